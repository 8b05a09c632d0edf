// vitest's global setup of this project: the e2e tests run the `tongbu` users run, the bundle, so it is built first
// when missing or older than the sources (about 1.5 s; a check of the sources' times when it is fresh).
import { execFileSync } from "node:child_process"
import { join, resolve } from "node:path"

export default function setup() {
  const runnerDir = resolve(import.meta.dirname, "../..")
  execFileSync(process.execPath, [join(runnerDir, "scripts/build.mjs"), "--if-stale"], { stdio: "inherit" })
}
