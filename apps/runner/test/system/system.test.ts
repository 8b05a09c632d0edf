/**
 * The system suite: generated histories of edits on both sides, runs with faults and crashes, and rollbacks, against
 * the whole stack (the hub adapter on a real hub file, the Zhibang adapter over HTTP semantics against the mock ERP,
 * the core's store and outbox, the runner's configuration and policy), checking after every command that the two
 * systems converge under the user's policies. See docs/adapter-guide.md for how to run it and read a failure.
 */
import { describe, expect, it } from "@effect/vitest"
import { test } from "@fast-check/vitest"
import { histories } from "./commands.js"
import { deviations } from "./deviations.js"
import { convergence, runHistory, runSoak, suiteSettings, worlds } from "./property.js"

const settings = suiteSettings()

describe("the hub and the ERP converge under the user's policies", () => {
  if (settings.soakSeconds !== undefined) {
    const seconds = settings.soakSeconds
    it(
      `keeps every invariant for ${seconds} s of generated histories (soak)`,
      async () => {
        const failures = await runSoak(convergence(settings, deviations), seconds, (text) => process.stdout.write(text))
        expect(failures).toEqual([])
      },
      (seconds + 600) * 1000
    )
    return
  }
  test.prop([worlds(settings.breakage), histories(settings.maxCommands, deviations, settings.replayPath)], {
    numRuns: settings.runs,
    ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    ...(settings.path === undefined ? {} : { path: settings.path })
  })(
    "keeps every invariant after every command of a generated history",
    runHistory(settings),
    settings.runs * 15_000 + 60_000
  )
})
