import type { Run } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import { Clock, Effect } from "effect"
import type { Lang } from "./Lang.js"

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
  /** The numbers `message` is made of (percentages as percent), for a wording in another language. */
  readonly values: Readonly<Record<string, number>>
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
  const percentOf = (x: number) => Math.round(x * 1000) / 10
  const percent = (x: number) => `${percentOf(x)}%`
  const minutes = Math.floor(quietHours * 60)
  return [
    {
      rule: "successRate",
      severity: "critical",
      firing: rate < thresholds.minSuccessRate,
      message:
        attempted === 0
          ? "no record was written or failed in the last hour"
          : `success rate over the last hour: ${percent(rate)} of ${attempted} operations (alert below ${percent(thresholds.minSuccessRate)})`,
      values: { attempted, rate: percentOf(rate), min: percentOf(thresholds.minSuccessRate) }
    },
    {
      rule: "failures",
      severity: "warning",
      firing: failures > thresholds.maxFailuresPerHour,
      message: `${failures} failures in the last hour (alert above ${thresholds.maxFailuresPerHour})`,
      values: { failures, max: thresholds.maxFailuresPerHour }
    },
    {
      rule: "noSuccess",
      severity: "info",
      firing: quietHours > thresholds.maxHoursWithoutSuccess,
      message: Number.isFinite(lastSuccess)
        ? `last successful run ${minutes} minutes ago (alert after ${thresholds.maxHoursWithoutSuccess} hours)`
        : "no successful run yet",
      values: Number.isFinite(lastSuccess)
        ? { minutes, hours: thresholds.maxHoursWithoutSuccess }
        : { hours: thresholds.maxHoursWithoutSuccess }
    }
  ]
}

/** An alert's detail in words of `lang`. */
export const detail = (alert: Alert, lang: Lang): string => {
  if (lang === "en") return alert.message
  const v = alert.values
  switch (alert.rule) {
    case "successRate":
      return v.attempted === 0
        ? "最近一小时没有写入或失败的记录"
        : `最近一小时成功率：${v.rate}%，共 ${v.attempted} 项操作（低于 ${v.min}% 告警）`
    case "failures":
      return `最近一小时失败 ${v.failures} 次（超过 ${v.max} 次告警）`
    case "noSuccess":
      return v.minutes === undefined
        ? "还没有成功的运行"
        : `上次成功运行在 ${v.minutes} 分钟前（超过 ${v.hours} 小时告警）`
  }
}

/** The rules evaluated now, from the store's run history. */
export const current = (thresholds: Thresholds) =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const now = yield* Clock.currentTimeMillis
    const runs = yield* store.runs(10_000)
    return evaluate(runs, now, thresholds)
  })
