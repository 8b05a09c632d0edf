import { describe, expect, it } from "@effect/vitest"
import { Run, RunId } from "@tongbu/core"
import * as Alerts from "../src/Alerts.js"

const HOUR = 3_600_000
const now = 100 * HOUR
const thresholds = { minSuccessRate: 0.8, maxFailuresPerHour: 10, maxHoursWithoutSuccess: 2 }
const zero = { created: 0, updated: 0, linked: 0, unchanged: 0, skipped: 0, conflicts: 0, actions: 0, failed: 0 }

const run = (
  id: string,
  startedAt: number,
  status: Run["status"],
  counts: Partial<typeof zero>,
  extra: Partial<Run> = {}
) =>
  new Run({
    id: RunId.make(id),
    kind: "sync",
    status,
    direction: "both",
    dryRun: false,
    full: false,
    startedAt,
    finishedAt: startedAt + 1000,
    counts: { ...zero, ...counts },
    warnings: [],
    ...extra
  })

const firing = (runs: ReadonlyArray<Run>) =>
  Alerts.evaluate(runs, now, thresholds)
    .filter((a) => a.firing)
    .map((a) => `${a.rule}:${a.severity}`)

describe("Alerts (sync-rules §9)", () => {
  it("nothing fires after a recent good run", () => {
    expect(firing([run("a", now - 10 * 60_000, "completed", { created: 20, failed: 1 })])).toEqual([])
  })

  it("a success rate below 80% over the last hour is critical", () => {
    expect(firing([run("a", now - 10 * 60_000, "completed", { created: 7, failed: 3 })])).toEqual([
      "successRate:critical"
    ])
  })

  it("more than 10 failures in the last hour is a warning, older failures do not count", () => {
    const runs = [
      run("old", now - 3 * HOUR, "completed", { failed: 50 }),
      run("a", now - 30 * 60_000, "completed", { created: 100, failed: 6 }),
      run("b", now - 20 * 60_000, "completed", { created: 100, failed: 5 })
    ]
    expect(firing(runs)).toEqual(["failures:warning"])
  })

  it("no successful run for 2 hours is info; dry runs and failed runs do not count as successes", () => {
    const runs = [
      run("good", now - 3 * HOUR, "completed", { created: 1 }),
      run("dry", now - 10 * 60_000, "completed", {}, { dryRun: true }),
      run("bad", now - 5 * 60_000, "failed", {}, { error: "wrong password" })
    ]
    expect(firing(runs)).toEqual(["successRate:critical", "noSuccess:info"])
  })

  it("an empty history says so", () => {
    const alerts = Alerts.evaluate([], now, thresholds)
    expect(alerts.find((a) => a.rule === "noSuccess")).toMatchObject({ firing: true, message: "no successful run yet" })
    expect(alerts.find((a) => a.rule === "successRate")?.firing).toBe(false)
  })
})
