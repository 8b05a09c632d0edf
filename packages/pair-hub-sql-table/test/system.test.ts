/**
 * The hub↔sql-table pair's system suite: generated histories of edits in the hub and in the team's table, runs with
 * the table's calls refused or their answers lost, crashes at the Nth call to the table, and rollbacks, through the
 * runner's own configuration, policy and layers.
 */
import { systemSuite } from "@tongbu/runner/testing"
import fc from "fast-check"
import { edits } from "./system/edits.js"
import { System } from "./system/system.js"
import { faultProfiles } from "./system/wire.js"

systemSuite({
  title: "the hub and the table converge under the pair's policy",
  right: "table",
  worlds: fc.record({
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
    hubCustomers: fc.integer({ min: 4, max: 8 }),
    tableCustomers: fc.integer({ min: 0, max: 3 })
  }),
  make: System.make,
  edits,
  faults: Object.keys(faultProfiles),
  maxCrashAt: 8,
  runs: 25
})
