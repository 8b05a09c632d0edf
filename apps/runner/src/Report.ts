import type { Counts, Outcome, Reason, Run, RunId, Sync } from "@tongbu/core"
import { Pair } from "@tongbu/pair"
import { Option } from "effect"
import { formatTime, table, truncate, withPairs } from "./internal/text.js"
import * as Labels from "./Labels.js"
import type { Lang } from "./Lang.js"
import { maskMobiles } from "./Logging.js"
import * as Reasons from "./Reasons.js"
import { textsOf, word } from "./Texts.js"

/** What the report of one run needs (a sync's `RunReport`, or a stored run with its outcomes). */
export interface RunView {
  readonly runId: Option.Option<RunId>
  readonly status: string
  readonly dryRun: boolean
  readonly counts: Counts
  readonly items: ReadonlyArray<Outcome>
  /** Why a failed run stopped. */
  readonly error?: Option.Option<string>
  /** What the run went on without (kept with the run: `runs show` repeats them). */
  readonly warnings?: ReadonlyArray<Sync.RunWarning>
}

/**
 * One record's outcome, naming both sides: `leftId` / `rightId`, and the same ids under the names the pair's labels
 * give (`hubId` / `erpId` for the hub↔ERP pair, `hubId` / `tableId` for hub↔sql-table; see `Labels.keyed`).
 */
export interface ItemJson {
  readonly leftId: string | null
  readonly rightId: string | null
  readonly [sideId: string]: unknown
  readonly operation: string
  readonly outcome: string
  readonly reason: string | null
  readonly reasons: ReadonlyArray<{
    readonly rule: string
    readonly message: string
    readonly collidingId: string | null
  }>
}

export const itemJson =
  (labels: Pair.Labels) =>
  (item: Outcome): ItemJson => {
    const other = item.otherId ?? null
    const leftId = item.side === "left" ? item.id : other
    const rightId = item.side === "right" ? item.id : other
    return {
      ...Labels.keyed(labels, "Id", leftId, rightId),
      leftId,
      rightId,
      operation: item.operation,
      outcome: item.outcome,
      reason: item.reasons.length === 0 ? null : maskMobiles(item.reasons.map((r) => r.message).join("; ")),
      reasons: item.reasons.map((r) => ({
        rule: r.rule,
        message: maskMobiles(r.message),
        collidingId: r.collidingId ?? null
      }))
    }
  }

const warningsJson = (warnings: ReadonlyArray<Sync.RunWarning>) =>
  warnings.map((w) => ({ code: w.code, side: w.side, message: maskMobiles(w.message) }))

/** The `--json` object of `tongbu sync` (and of `runs show`). */
export const runJson = (view: RunView, labels: Pair.Labels) => ({
  runId: Option.getOrNull(view.runId),
  status: view.status,
  dryRun: view.dryRun,
  counts: view.counts,
  error: Option.getOrNull(view.error ?? Option.none()),
  warnings: warningsJson(view.warnings ?? []),
  items: view.items.map(itemJson(labels))
})

/** Reasons differing only in ids and numbers count as one. */
const reasonKey = (reason: Reason, lang: Lang, labels: Pair.Labels) =>
  `${reason.rule}: ${maskMobiles(Reasons.render(reason, lang, labels)).replace(/[0-9]{3,}/g, "…")}`

/** The most frequent reasons among skipped, conflicting and failed records, with a count each. */
export const topReasons = (
  items: ReadonlyArray<Outcome>,
  limit: number,
  labels: Pair.Labels,
  lang: Lang = "en"
): ReadonlyArray<readonly [string, number]> => {
  const counts = new Map<string, number>()
  for (const item of items) {
    if (item.outcome !== "skipped" && item.outcome !== "failed" && item.outcome !== "conflict") continue
    for (const reason of item.reasons) {
      const key = reasonKey(reason, lang, labels)
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit)
}

/** Skipped records by the rule that skipped them. */
export const skippedByRule = (items: ReadonlyArray<Outcome>): ReadonlyArray<readonly [string, number]> => {
  const counts = new Map<string, number>()
  for (const item of items) {
    if (item.outcome !== "skipped") continue
    for (const rule of new Set(item.reasons.map((r) => r.rule))) counts.set(rule, (counts.get(rule) ?? 0) + 1)
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

/** The human summary of a run: a counts table (skips broken down by rule) and the top reasons. */
export const summary = (view: RunView, labels: Pair.Labels, lang: Lang = "en"): string => {
  const t = textsOf(lang)
  const id = Option.match(view.runId, { onNone: () => t.notRecorded, onSome: (id) => id })
  const title = `${view.dryRun ? t.dryRun : t.run} ${id}: ${word(t, view.status)}${view.dryRun ? t.nothingWritten : ""}`
  const c = view.counts
  const count = (name: keyof Counts) => [word(t, name), String(c[name])]
  const rows: Array<Array<string>> = [
    count("created"),
    count("updated"),
    count("linked"),
    count("unchanged"),
    count("skipped"),
    ...skippedByRule(view.items).map(([rule, n]) => [`  ${Reasons.ruleLabel(rule, lang)}`, String(n)]),
    count("conflicts"),
    count("actions"),
    count("failed")
  ]
  const reasons = topReasons(view.items, 5, labels, lang)
  const reasonLines =
    reasons.length === 0 ? [] : ["", t.topReasons, table(reasons.map(([r, n]) => [`${n}×`, truncate(r, 100)]))]
  const error = Option.match(view.error ?? Option.none(), {
    onNone: () => [],
    onSome: (e) => ["", `${t.stopped}: ${maskMobiles(e)}`]
  })
  const warnings = (view.warnings ?? []).map((w) => `Warning (${w.code}): ${maskMobiles(w.message)}`)
  return [title, "", table(rows), ...reasonLines, ...(warnings.length === 0 ? [] : ["", ...warnings]), ...error].join(
    "\n"
  )
}

const reasonText = (item: Outcome, lang: Lang, labels: Pair.Labels) =>
  maskMobiles(item.reasons.map((reason) => Reasons.render(reason, lang, labels)).join(lang === "zh" ? "；" : "; "))

/** The per-record outcomes of a run, one line each, a column per side headed by its label. */
export const itemsTable = (items: ReadonlyArray<Outcome>, labels: Pair.Labels, lang: Lang = "en"): string => {
  const t = textsOf(lang)
  const json = itemJson(labels)
  return items.length === 0
    ? t.noOutcomes
    : table(
        [
          t.itemHeader(Pair.labelsIn(labels, lang)),
          ...items.map((item) => {
            const i = json(item)
            const reason = truncate(reasonText(item, lang, labels), 80)
            return [i.leftId ?? "-", i.rightId ?? "-", word(t, i.operation), word(t, i.outcome), reason]
          })
        ],
        { header: true }
      )
}

export const runRow = (run: Run, lang: Lang = "en"): ReadonlyArray<string> => {
  const t = textsOf(lang)
  return [
    run.id,
    word(t, run.kind) + (run.dryRun ? ` (${t.dry})` : ""),
    word(t, run.direction) + (run.full ? ` ${t.full}` : ""),
    word(t, run.status),
    formatTime(run.startedAt),
    String(run.counts.created),
    String(run.counts.updated),
    String(run.counts.skipped),
    String(run.counts.conflicts),
    String(run.counts.failed)
  ]
}

/** The runs as a table; `pairs[i]`, when given, is the pair of `runs[i]` (a column of its own). */
export const runsTable = (runs: ReadonlyArray<Run>, lang: Lang = "en", pairs?: ReadonlyArray<string>): string => {
  const t = textsOf(lang)
  return runs.length === 0
    ? t.noRuns
    : table(withPairs([t.runHeader, ...runs.map((run) => runRow(run, lang))], pairs, lang), { header: true })
}

export const runJsonOf = (run: Run) => ({
  runId: run.id,
  kind: run.kind,
  status: run.status,
  direction: run.direction,
  dryRun: run.dryRun,
  full: run.full,
  target: run.target ?? null,
  startedAt: new Date(run.startedAt).toISOString(),
  finishedAt: run.finishedAt === undefined ? null : new Date(run.finishedAt).toISOString(),
  counts: run.counts,
  error: run.error ?? null,
  warnings: warningsJson(run.warnings)
})
