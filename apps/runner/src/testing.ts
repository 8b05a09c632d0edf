/**
 * The system suite for a pair, as `@tongbu/core/testing` is the conformance suite for an adapter: generated histories
 * of people editing side L and side R, sync runs with faults and crashes at the Nth call to side R, and rollbacks,
 * against the whole stack of the pair's world, checking the world's invariants after every command. A pair brings its
 * world (`SystemSuite`); one test file runs it: `systemSuite(mySuite)`. See docs/adapter-guide.md, "A system suite
 * for your pair".
 */
import { describe, expect, it } from "@effect/vitest"
import { test } from "@fast-check/vitest"
import type { PairSystem, Snapshot, SystemSuite } from "./internal/system/PairSystem.js"
import { convergence, generated, runHistory, runSoak, suiteSettings } from "./internal/system/property.js"

export { InvariantViolation } from "./internal/system/commands.js"
export * from "./internal/system/drive.js"
export * from "./internal/system/outcomes.js"
export * from "./internal/system/PairSystem.js"
export * as RunnerProcess from "./internal/system/RunnerProcess.js"

/**
 * Registers the suite's test: `runs` histories (TONGBU_SYSTEM_RUNS) from the fixed seed 101 (TONGBU_PROP_SEED), or,
 * with TONGBU_SOAK_SECONDS, new seeds for that long.
 */
export const systemSuite = <Options, Sys extends PairSystem<Snapshot<Sys>>>(suite: SystemSuite<Options, Sys>): void => {
  const settings = suiteSettings(suite.runs)
  describe(suite.title, () => {
    if (settings.soakSeconds !== undefined) {
      const seconds = settings.soakSeconds
      it(
        `keeps every invariant for ${seconds} s of generated histories (soak)`,
        async () => {
          const failures = await runSoak(convergence(suite, settings), seconds, (text) => process.stdout.write(text))
          expect(failures).toEqual([])
        },
        (seconds + 600) * 1000
      )
      return
    }
    test.prop(generated(suite, settings), {
      numRuns: settings.runs,
      ...(settings.seed === undefined ? {} : { seed: settings.seed }),
      ...(settings.path === undefined ? {} : { path: settings.path })
    })(
      "keeps every invariant after every command of a generated history",
      runHistory(suite, settings),
      settings.runs * 15_000 + 60_000
    )
  })
}
