/**
 * How the system suite runs: its run count, seed and replay path from the environment, the property itself, and the
 * soak loop that repeats it with new seeds for as long as asked, printing each failure's seed and commands.
 */
import fc from "fast-check"
import { History, histories, Real } from "./commands.js"
import type { Budget } from "./drive.js"
import { Meter } from "./drive.js"
import type { PairSystem, Snapshot, SystemSuite } from "./PairSystem.js"

export const numberFrom = (name: string): number | undefined => {
  const text = process.env[name]
  if (text === undefined || text.trim() === "") return undefined
  const value = Number(text)
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, not ${JSON.stringify(text)}`)
  return value
}

export interface SuiteSettings {
  /** Histories per `pnpm test` (TONGBU_SYSTEM_RUNS, else TONGBU_PROP_RUNS, else the suite's own count). */
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
  /** Real time one history may take before it fails as stuck (TONGBU_SYSTEM_BUDGET_SECONDS). */
  readonly budgetSeconds: number
}

export const suiteSettings = (runs: number): SuiteSettings => ({
  runs: numberFrom("TONGBU_SYSTEM_RUNS") ?? numberFrom("TONGBU_PROP_RUNS") ?? runs,
  maxCommands: numberFrom("TONGBU_SYSTEM_COMMANDS") ?? 12,
  // fixed by default, so CI checks the same histories every time; the soak draws a new seed each round
  seed: numberFrom("TONGBU_PROP_SEED") ?? 101,
  path: process.env.TONGBU_PROP_PATH || undefined,
  replayPath: process.env.TONGBU_SYSTEM_REPLAY || undefined,
  soakSeconds: numberFrom("TONGBU_SOAK_SECONDS"),
  budgetSeconds: numberFrom("TONGBU_SYSTEM_BUDGET_SECONDS") ?? 30
})

type Commands<Sys extends PairSystem<Snapshot<Sys>>> = Iterable<fc.AsyncCommand<History<Snapshot<Sys>>, Real<Sys>>>

export const generated = <Options, Sys extends PairSystem<Snapshot<Sys>>>(
  suite: SystemSuite<Options, Sys>,
  settings: SuiteSettings
): [fc.Arbitrary<Options>, fc.Arbitrary<Commands<Sys>>] => [
  suite.worlds,
  histories(suite, suite.right, settings.maxCommands, settings.replayPath)
]

/** Runs one generated history from its generated world, checking the invariants after each of its commands. */
export const runHistory =
  <Options, Sys extends PairSystem<Snapshot<Sys>>>(suite: SystemSuite<Options, Sys>, settings: SuiteSettings) =>
  async (options: Options, commands: Commands<Sys>): Promise<void> => {
    const seconds = settings.budgetSeconds
    const budget: Budget = { deadline: Date.now() + seconds * 1000, seconds, meter: new Meter() }
    const system = await suite.make(options, budget)
    try {
      await fc.asyncModelRun(() => ({ model: new History<Snapshot<Sys>>(), real: new Real(system, budget) }), commands)
    } finally {
      await system.close()
    }
  }

/** Every generated history, from its generated world, keeps the invariants after each of its commands. */
export const convergence = <Options, Sys extends PairSystem<Snapshot<Sys>>>(
  suite: SystemSuite<Options, Sys>,
  settings: SuiteSettings
) => fc.asyncProperty(...generated(suite, settings), runHistory(suite, settings))

/**
 * Runs the property again and again with new seeds until `seconds` have passed, printing every failure's report
 * (seed, path, shrunk commands, violation) as it is found; returns those reports.
 */
export const runSoak = async <Ts extends [unknown, ...Array<unknown>]>(
  property: fc.IAsyncProperty<Ts>,
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
