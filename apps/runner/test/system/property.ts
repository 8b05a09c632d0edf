/**
 * How the system suite runs: its run count, seed and replay path from the environment, the property itself, and the
 * soak loop that repeats it with new seeds for as long as asked, printing each failure's seed and commands.
 */
import fc from "fast-check"
import { histories } from "./commands.js"
import type { Deviations } from "./deviations.js"
import { Model } from "./model.js"
import { System } from "./system.js"
import type { Breakage, WorldOptions } from "./world.js"

const numberFrom = (name: string): number | undefined => {
  const text = process.env[name]
  if (text === undefined || text.trim() === "") return undefined
  const value = Number(text)
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, not ${JSON.stringify(text)}`)
  return value
}

const breakageFrom = (text: string | undefined): Breakage => {
  if (text === undefined || text === "" || text === "none") return "none"
  if (text === "hubWins" || text === "noFindCreated") return text
  throw new Error(`TONGBU_BREAK must be hubWins or noFindCreated, not ${JSON.stringify(text)}`)
}

export interface SuiteSettings {
  /** Histories per `pnpm test` (TONGBU_SYSTEM_RUNS, else TONGBU_PROP_RUNS). */
  readonly runs: number
  /** Commands per history at most (TONGBU_SYSTEM_COMMANDS). */
  readonly maxCommands: number
  /**
   * Replays one seed (TONGBU_PROP_SEED), and one counterexample in it: its path (TONGBU_PROP_PATH) and the commands'
   * replay path the counterexample prints as `replayPath` (TONGBU_SYSTEM_REPLAY).
   */
  readonly seed: number | undefined
  readonly path: string | undefined
  readonly replayPath: string | undefined
  /** Repeat with new seeds for this long (TONGBU_SOAK_SECONDS); unset: one property run of `runs` histories. */
  readonly soakSeconds: number | undefined
  /** A deliberately broken variant (TONGBU_BREAK=hubWins|noFindCreated), to see the suite catch it. */
  readonly breakage: Breakage
  /** Real time one history may take before it fails as stuck (TONGBU_SYSTEM_BUDGET_SECONDS). */
  readonly budgetSeconds: number
}

export const suiteSettings = (): SuiteSettings => ({
  runs: numberFrom("TONGBU_SYSTEM_RUNS") ?? numberFrom("TONGBU_PROP_RUNS") ?? 40,
  maxCommands: numberFrom("TONGBU_SYSTEM_COMMANDS") ?? 12,
  // fixed by default, so CI checks the same histories every time; the soak draws a new seed each round
  seed: numberFrom("TONGBU_PROP_SEED") ?? 101,
  path: process.env.TONGBU_PROP_PATH || undefined,
  replayPath: process.env.TONGBU_SYSTEM_REPLAY || undefined,
  soakSeconds: numberFrom("TONGBU_SOAK_SECONDS"),
  breakage: breakageFrom(process.env.TONGBU_BREAK),
  budgetSeconds: numberFrom("TONGBU_SYSTEM_BUDGET_SECONDS") ?? 30
})

/** The two systems a history starts from: a generated hub file and an ERP with a few customers of its own. */
export const worlds = (breakage: Breakage): fc.Arbitrary<WorldOptions> =>
  fc.record({
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
    hubCustomers: fc.integer({ min: 6, max: 10 }),
    erpCustomers: fc.integer({ min: 0, max: 4 }),
    erpDedupe: fc.boolean(),
    breakage: fc.constant(breakage)
  })

/** Runs one generated history from its generated world, checking the invariants after each of its commands. */
export const runHistory =
  (settings: SuiteSettings) =>
  async (world: WorldOptions, commands: Iterable<fc.AsyncCommand<Model, System>>): Promise<void> => {
    const system = await System.make(world, settings.budgetSeconds)
    try {
      await fc.asyncModelRun(() => ({ model: new Model(system.rules), real: system }), commands)
    } finally {
      await system.close()
    }
  }

/** Every generated history, from its generated world, keeps the invariants after each of its commands. */
export const convergence = (settings: SuiteSettings, deviations: Deviations) =>
  fc.asyncProperty(
    worlds(settings.breakage),
    histories(settings.maxCommands, deviations, settings.replayPath),
    runHistory(settings)
  )

/**
 * Runs the property again and again with new seeds until `seconds` have passed, printing every failure's report
 * (seed, path, shrunk commands, violation) as it is found; returns those reports.
 */
export const runSoak = async (
  property: fc.IAsyncProperty<[WorldOptions, Iterable<fc.AsyncCommand<Model, System>>]>,
  seconds: number,
  print: (text: string) => void
): Promise<ReadonlyArray<string>> => {
  const failures: Array<string> = []
  const until = Date.now() + seconds * 1000
  let histories = 0
  for (let round = 0; Date.now() < until; round++) {
    const seed = (Date.now() ^ (round * 0x9e3779b1)) >>> 1
    const details = await fc.check(property, {
      seed,
      numRuns: Number.MAX_SAFE_INTEGER,
      interruptAfterTimeLimit: until - Date.now(),
      markInterruptAsFailure: false,
      endOnFailure: false
    })
    histories += details.numRuns
    if (details.failed) {
      const report = fc.defaultReportMessage(details) ?? `seed ${details.seed} failed`
      failures.push(report)
      print(
        `soak: failure ${failures.length} (TONGBU_PROP_SEED=${details.seed} TONGBU_PROP_PATH=${details.counterexamplePath ?? ""})\n${report}\n`
      )
    }
  }
  print(`soak: ${histories} histories in ${seconds} s, ${failures.length} failure(s)\n`)
  return failures
}
