// Makes a fresh clone ready with nothing but Node.js and npm: the pinned pnpm, the dependencies from the lockfile, then
// the runner's bundle (rebuilt when older than its sources). Cheap when everything is in place already, so every entry
// command runs it first.
import { execSync } from "node:child_process"

const PNPM = "10.34.9"

const pnpmVersion = () => {
  try {
    return execSync("pnpm --version", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim()
  } catch {
    return null
  }
}

const found = pnpmVersion()
if (found !== PNPM) {
  console.error(found === null ? `Installing pnpm ${PNPM}…` : `Found pnpm ${found}; installing the pinned ${PNPM}…`)
  execSync(`npm install --global pnpm@${PNPM}`, { stdio: "inherit" })
}
execSync("pnpm install --frozen-lockfile --prefer-offline", { stdio: "inherit" })
execSync("node apps/runner/scripts/build.mjs --if-stale", { stdio: "inherit" })
