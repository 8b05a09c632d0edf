/**
 * The hub↔Zhibang pair's system suite: the hub adapter on a real hub file, the Zhibang adapter over HTTP semantics
 * against the mock ERP, the core's store and outbox, the runner's configuration and policy. Its worlds, its people's
 * edits, the ERP's fault profiles, and the deliberately broken variants (TONGBU_BREAK) that show the suite catches them.
 */
import fc from "fast-check"
import type { SystemSuite } from "../../src/testing.js"
import { deviations } from "./deviations.js"
import { edits, faultProfiles, type ProfileName } from "./edits.js"
import { System } from "./system.js"
import type { Breakage, WorldOptions } from "./world.js"

const breakageFrom = (text: string | undefined): Breakage => {
  if (text === undefined || text === "" || text === "none") return "none"
  if (text === "hubWins" || text === "noFindCreated") return text
  throw new Error(`TONGBU_BREAK must be hubWins or noFindCreated, not ${JSON.stringify(text)}`)
}

/** The two systems a history starts from: a generated hub file and an ERP with a few customers of its own. */
const worlds = (breakage: Breakage): fc.Arbitrary<WorldOptions> =>
  fc.record({
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
    hubCustomers: fc.integer({ min: 6, max: 10 }),
    erpCustomers: fc.integer({ min: 0, max: 4 }),
    erpDedupe: fc.boolean(),
    breakage: fc.constant(breakage)
  })

export const hubZhibang: SystemSuite<WorldOptions, System> = {
  title: "the hub and the ERP converge under the user's policies",
  right: "ERP",
  worlds: worlds(breakageFrom(process.env.TONGBU_BREAK)),
  make: (options, budget) => System.make(options, budget, deviations),
  edits,
  faults: Object.keys(faultProfiles) as Array<ProfileName>,
  maxCrashAt: 40,
  runs: 40
}
