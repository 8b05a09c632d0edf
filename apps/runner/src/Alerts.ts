import type { Run } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import { Clock, Effect } from "effect"

/** The monitoring rules of sync-rules §9, as configured. */
export interface Thresholds {
  readonly minSuccessRate: number
  readonly maxFailuresPerHour: number
  readonly maxHoursWithoutSuccess: number
}

export type Severity = "critical" | "warning" | "info"

export interface Alert {
  readonly rule: "successRate" | "failures" | "noSuccess"
  readonly severity: Severity
  readonly firing: boolean
  readonly message: string
}

const HOUR = 3_600_000

const succeeded = (run: Run) => run.counts.created + run.counts.updated + run.counts.linked + run.counts.actions

/**
 * Evaluates the three rules over real (not dry) sync runs: the success rate and the failures count records of runs
 * started in the last hour (a failed run counts as one failure more); "no success" looks at completed runs.
 */
export const evaluate = (runs: ReadonlyArray<Run>, now: number, thresholds: Thresholds): ReadonlyArray<Alert> => {
  const real = runs.filter((run) => run.kind === "sync" && !run.dryRun && run.status !== "running")
  const lastHour = real.filter((run) => run.startedAt >= now - HOUR)
  const failures = lastHour.reduce((n, run) => n + run.counts.failed + (run.status === "failed" ? 1 : 0), 0)
  const successes = lastHour.reduce((n, run) => n + succeeded(run), 0)
  const attempted = successes + failures
  const rate = attempted === 0 ? 1 : successes / attempted
  const lastSuccess = Math.max(
    -Infinity,
    ...real.filter((run) => run.status === "completed").map((run) => run.finishedAt ?? run.startedAt)
  )
  const quietHours = (now - lastSuccess) / HOUR
  const percent = (x: number) => `${Math.round(x * 1000) / 10}%`
  return [
    {
      rule: "successRate",
      severity: "critical",
      firing: rate < thresholds.minSuccessRate,
      message:
        attempted === 0
          ? "no record was written or failed in the last hour"
          : `success rate over the last hour: ${percent(rate)} of ${attempted} operations (alert below ${percent(thresholds.minSuccessRate)})`
    },
    {
      rule: "failures",
      severity: "warning",
      firing: failures > thresholds.maxFailuresPerHour,
      message: `${failures} failures in the last hour (alert above ${thresholds.maxFailuresPerHour})`
    },
    {
      rule: "noSuccess",
      severity: "info",
      firing: quietHours > thresholds.maxHoursWithoutSuccess,
      message: Number.isFinite(lastSuccess)
        ? `last successful run ${Math.floor(quietHours * 60)} minutes ago (alert after ${thresholds.maxHoursWithoutSuccess} hours)`
        : "no successful run yet"
    }
  ]
}

/** The rules evaluated now, from the store's run history. */
export const current = (thresholds: Thresholds) =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const now = yield* Clock.currentTimeMillis
    const runs = yield* store.runs(10_000)
    return evaluate(runs, now, thresholds)
  })
