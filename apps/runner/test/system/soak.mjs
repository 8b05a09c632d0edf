// `pnpm test:soak`: runs the property suites (the core's and both pairs' system suites) again and again, each round with new
// seeds, for TONGBU_SOAK_SECONDS (default 600) with TONGBU_PROP_RUNS runs per property (default 200; the system suite
// run TONGBU_SYSTEM_RUNS histories, default a tenth of that), and prints each failure's seed, path and counterexample
// with the command that replays it. TONGBU_PROP_SEED (with TONGBU_PROP_PATH and TONGBU_SYSTEM_REPLAY) replays one
// system-suite counterexample, once, in the suite of TONGBU_SYSTEM_SUITE (a project name, default @tongbu/runner).
import { spawnSync } from "node:child_process"
import { randomInt } from "node:crypto"

const seconds = Number(process.env.TONGBU_SOAK_SECONDS ?? 600)
const runs = Number(process.env.TONGBU_PROP_RUNS ?? 200)
const systemRuns = Number(process.env.TONGBU_SYSTEM_RUNS ?? Math.max(1, Math.round(runs / 10)))
const replay = (process.env.TONGBU_PROP_SEED ?? "").trim() !== ""
const replaySuite = process.env.TONGBU_SYSTEM_SUITE || "@tongbu/runner"
// Settings that change what the system suite generates: a replay needs them as they were.
const shaping = ["TONGBU_BREAK", "TONGBU_SYSTEM_COMMANDS"]
  .filter((name) => (process.env[name] ?? "").trim() !== "")
  .map((name) => `${name}=${process.env[name]} `)
  .join("")
const suites = [
  { project: "@tongbu/core", file: "packages/core/test/Planner.props.test.ts" },
  { project: "@tongbu/store-sqlite", file: "packages/store-sqlite/test/Sync.props.test.ts" },
  { project: "@tongbu/runner", file: "apps/runner/test/system/system.test.ts", system: true },
  { project: "@tongbu/pair-hub-sql-table", file: "packages/pair-hub-sql-table/test/system.test.ts", system: true }
]
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g")
const strip = (text) => text.replace(ansi, "")

const until = Date.now() + seconds * 1000
let rounds = 0
let failures = 0
do {
  rounds++
  for (const suite of suites) {
    if (replay && suite.project !== replaySuite) continue
    const env = { ...process.env, TONGBU_PROP_RUNS: String(runs), TONGBU_SYSTEM_RUNS: String(systemRuns) }
    // the system suite's default seed is fixed (for CI): a soak round draws its own
    if (!replay) env.TONGBU_PROP_SEED = String(randomInt(1, 2 ** 31 - 1))
    // this loop is the soak: each child runs the suite once
    delete env.TONGBU_SOAK_SECONDS
    const result = spawnSync("pnpm", ["exec", "vitest", "run", "--project", suite.project, suite.file], {
      env,
      encoding: "utf8"
    })
    const output = strip(`${result.stdout}\n${result.stderr}`)
    if (result.status === 0) {
      process.stdout.write(`soak round ${rounds}: ${suite.file} passed\n`)
      continue
    }
    failures++
    process.stdout.write(`soak round ${rounds}: ${suite.file} FAILED\n`)
    for (const block of output.split(/(?=\{ seed: )/).slice(1)) {
      const [, seed, path] = /\{ seed: (-?\d+), path: "([^"]*)"/.exec(block) ?? []
      const [, commands] = /replayPath="([^"]*)"/.exec(block) ?? []
      process.stdout.write(`${block.split(/\n\s*❯ |\n\s+at /)[0].trim()}\n`)
      if (suite.system) {
        process.stdout.write(
          `replay: ${shaping}TONGBU_PROP_SEED=${seed} TONGBU_PROP_PATH="${path}"${commands === undefined ? "" : ` TONGBU_SYSTEM_REPLAY="${commands}"`} pnpm exec vitest run --project ${suite.project} ${suite.file}\n\n`
        )
      } else {
        process.stdout.write(
          `replay: pass { seed: ${seed}, path: "${path}" } to that property's fastCheck options, then pnpm exec vitest run --project ${suite.project} ${suite.file}\n\n`
        )
      }
    }
    if (!output.includes("{ seed: ")) process.stdout.write(`${output.split("Failed Tests")[1] ?? output}\n`)
  }
} while (!replay && Date.now() < until)
process.stdout.write(
  `soak: ${rounds} round(s) in ${Math.round((Date.now() - until) / 1000 + seconds)} s, ${failures} failing suite run(s)\n`
)
process.exit(failures === 0 ? 0 : 1)
