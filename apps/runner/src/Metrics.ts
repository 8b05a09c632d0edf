import type { Outcome, SyncStoreService } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import type { Pair } from "@tongbu/pair"
import type { MetricPair } from "effect"
import { Effect, Metric, MetricState, Option } from "effect"
import * as Alerts from "./Alerts.js"

export const runs = Metric.counter("tongbu_runs_total", {
  description: "Sync and rollback runs finished, by kind and status"
})
export const operations = Metric.counter("tongbu_operations_total", {
  description: "Per-record outcomes of runs, by outcome"
})
export const runWarnings = Metric.counter("tongbu_run_warnings_total", {
  description: "Warnings of sync runs (an auxiliary listing the run went on without), by code"
})
const queueDepth = Metric.gauge("tongbu_queue_depth", {
  description: "Operations in the outbox not yet done (pending or attempted)"
})
const alertFiring = Metric.gauge("tongbu_alert_firing", {
  description: "1 when a monitoring rule of sync-rules §9 fires"
})

/** Counts a finished run, its per-record outcomes and its warnings. */
export const recordRun = (
  kind: string,
  status: string,
  items: ReadonlyArray<Outcome>,
  warnings: ReadonlyArray<{ readonly code: string }> = []
) =>
  Effect.gen(function* () {
    for (const warning of warnings) yield* Metric.increment(Metric.tagged(runWarnings, "code", warning.code))
    yield* Metric.increment(Metric.tagged(Metric.tagged(runs, "kind", kind), "status", status))
    const byOutcome = new Map<string, number>()
    for (const item of items) byOutcome.set(item.outcome, (byOutcome.get(item.outcome) ?? 0) + 1)
    for (const [outcome, n] of byOutcome) yield* Metric.incrementBy(Metric.tagged(operations, "outcome", outcome), n)
  })

const escapeHelp = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n")
const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')

const labels = (tags: ReadonlyArray<{ readonly key: string; readonly value: string }>, extra: string | null = null) => {
  const parts = tags.map((t) => `${t.key}="${escapeLabel(t.value)}"`)
  if (extra !== null) parts.push(extra)
  return parts.length === 0 ? "" : `{${parts.join(",")}}`
}

const number = (n: number | bigint) =>
  typeof n === "bigint" ? n.toString() : Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : "-Inf"

/** The Prometheus text exposition (version 0.0.4) of metric pairs; series of one name are grouped under one header. */
export const prometheusText = (pairs: ReadonlyArray<MetricPair.MetricPair.Untyped>): string => {
  const families = new Map<string, { type: string; help: string; lines: Array<string> }>()
  for (const { metricKey: key, metricState: state } of pairs) {
    const tags = key.tags
    const family = (type: string) => {
      const found = families.get(key.name)
      if (found) return found.lines
      const created = { type, help: Option.getOrElse(key.description, () => key.name), lines: [] as Array<string> }
      families.set(key.name, created)
      return created.lines
    }
    if (MetricState.isCounterState(state)) family("counter").push(`${key.name}${labels(tags)} ${number(state.count)}`)
    else if (MetricState.isGaugeState(state)) family("gauge").push(`${key.name}${labels(tags)} ${number(state.value)}`)
    else if (MetricState.isHistogramState(state)) {
      const lines = family("histogram")
      for (const [bound, count] of state.buckets) {
        lines.push(`${key.name}_bucket${labels(tags, `le="${number(bound)}"`)} ${count}`)
      }
      lines.push(`${key.name}_sum${labels(tags)} ${state.sum}`, `${key.name}_count${labels(tags)} ${state.count}`)
    }
  }
  return [...families.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, f]) => [`# HELP ${name} ${escapeHelp(f.help)}`, `# TYPE ${name} ${f.type}`, ...f.lines].join("\n"))
    .join("\n")
    .concat("\n")
}

/** A pair as /metrics reads it: its store, its alert rules, its own metrics. */
export interface ScrapedPair {
  readonly id: string
  readonly store: Effect.Effect<SyncStoreService, unknown>
  readonly thresholds: Alerts.Thresholds
  /** The pair's metrics, shown before their first update. */
  readonly listed: ReadonlyArray<Pair.PairMetric>
}

/**
 * Refreshes each pair's gauges read from its store (queue depth, alerts), then renders every metric (boundaries
 * include +Inf). Every series of a pair carries `pair="<id>"`; a pair whose store cannot be read is left out of the
 * gauges, the others are shown.
 */
export const scrape = (pairs: ReadonlyArray<ScrapedPair>) =>
  Effect.gen(function* () {
    for (const pair of pairs) {
      yield* Effect.gen(function* () {
        const unfinished = yield* SyncStore.pipe(Effect.flatMap((store) => store.unfinished))
        yield* Metric.set(queueDepth, unfinished.length)
        for (const alert of yield* Alerts.current(pair.thresholds)) {
          yield* Metric.set(
            Metric.tagged(Metric.tagged(alertFiring, "rule", alert.rule), "severity", alert.severity),
            alert.firing ? 1 : 0
          )
        }
        // a metric shows up once touched: the pair's (e.g. ERP latency) are listed, empty, before their first update
        for (const metric of pair.listed) yield* Metric.value(Metric.tagged(metric, "pair", pair.id))
      }).pipe(
        Effect.provideServiceEffect(SyncStore, pair.store),
        Effect.tagMetrics("pair", pair.id),
        Effect.catchAll((error) => Effect.logWarning(`the store of pair ${pair.id} cannot be read for /metrics`, error))
      )
    }
    return prometheusText(yield* Metric.snapshot)
  })
