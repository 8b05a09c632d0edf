import type { Counts, Outcome, Reason, Run, RunId, Sync } from "@tongbu/core"
import { Option } from "effect"
import { formatTime, table, truncate } from "./internal/text.js"
import { maskMobiles } from "./Logging.js"

/** What the report of one run needs (a sync's `RunReport`, or a stored run with its outcomes). */
export interface RunView {
  readonly runId: Option.Option<RunId>
  readonly status: string
  readonly dryRun: boolean
  readonly counts: Counts
  readonly items: ReadonlyArray<Outcome>
  /** Why a failed run stopped. */
  readonly error?: Option.Option<string>
  /** What the run went on without (not stored: a stored run shows none). */
  readonly warnings?: ReadonlyArray<Sync.RunWarning>
}

/** One record's outcome, naming both sides (hub = left, ERP = right). */
export interface ItemJson {
  readonly hubId: string | null
  readonly erpId: string | null
  readonly operation: string
  readonly outcome: string
  readonly reason: string | null
  readonly reasons: ReadonlyArray<{
    readonly rule: string
    readonly message: string
    readonly collidingId: string | null
  }>
}

export const itemJson = (item: Outcome): ItemJson => {
  const other = item.otherId ?? null
  return {
    hubId: item.side === "left" ? item.id : other,
    erpId: item.side === "right" ? item.id : other,
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

/** The `--json` object of `tongbu sync` (and of `runs show`). */
export const runJson = (view: RunView) => ({
  runId: Option.getOrNull(view.runId),
  status: view.status,
  dryRun: view.dryRun,
  counts: view.counts,
  error: Option.getOrNull(view.error ?? Option.none()),
  warnings: (view.warnings ?? []).map((w) => ({ code: w.code, side: w.side, message: maskMobiles(w.message) })),
  items: view.items.map(itemJson)
})

/** Reasons differing only in ids and numbers count as one. */
const reasonKey = (reason: Reason) => `${reason.rule}: ${maskMobiles(reason.message).replace(/[0-9]{3,}/g, "…")}`

/** The most frequent reasons among skipped, conflicting and failed records, with a count each. */
export const topReasons = (items: ReadonlyArray<Outcome>, limit: number): ReadonlyArray<readonly [string, number]> => {
  const counts = new Map<string, number>()
  for (const item of items) {
    if (item.outcome !== "skipped" && item.outcome !== "failed" && item.outcome !== "conflict") continue
    for (const reason of item.reasons) counts.set(reasonKey(reason), (counts.get(reasonKey(reason)) ?? 0) + 1)
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
export const summary = (view: RunView): string => {
  const id = Option.match(view.runId, { onNone: () => "(not recorded)", onSome: (id) => id })
  const title = `${view.dryRun ? "Dry run" : "Run"} ${id}: ${view.status}${view.dryRun ? " — nothing was written" : ""}`
  const c = view.counts
  const rows: Array<Array<string>> = [
    ["created", String(c.created)],
    ["updated", String(c.updated)],
    ["linked", String(c.linked)],
    ["unchanged", String(c.unchanged)],
    ["skipped", String(c.skipped)],
    ...skippedByRule(view.items).map(([rule, n]) => [`  ${rule}`, String(n)]),
    ["conflicts", String(c.conflicts)],
    ["actions", String(c.actions)],
    ["failed", String(c.failed)]
  ]
  const reasons = topReasons(view.items, 5)
  const reasonLines =
    reasons.length === 0 ? [] : ["", "Top reasons:", table(reasons.map(([r, n]) => [`${n}×`, truncate(r, 100)]))]
  const error = Option.match(view.error ?? Option.none(), {
    onNone: () => [],
    onSome: (e) => ["", `Stopped: ${maskMobiles(e)}`]
  })
  const warnings = (view.warnings ?? []).map((w) => `Warning (${w.code}): ${maskMobiles(w.message)}`)
  return [title, "", table(rows), ...reasonLines, ...(warnings.length === 0 ? [] : ["", ...warnings]), ...error].join(
    "\n"
  )
}

/** The per-record outcomes of a run, one line each. */
export const itemsTable = (items: ReadonlyArray<Outcome>): string =>
  items.length === 0
    ? "(no per-record outcomes)"
    : table(
        [
          ["hub", "erp", "operation", "outcome", "reason"],
          ...items
            .map(itemJson)
            .map((i) => [i.hubId ?? "-", i.erpId ?? "-", i.operation, i.outcome, truncate(i.reason ?? "", 80)])
        ],
        { header: true }
      )

export const runRow = (run: Run): ReadonlyArray<string> => [
  run.id,
  run.kind + (run.dryRun ? " (dry)" : ""),
  run.direction + (run.full ? " full" : ""),
  run.status,
  formatTime(run.startedAt),
  String(run.counts.created),
  String(run.counts.updated),
  String(run.counts.skipped),
  String(run.counts.conflicts),
  String(run.counts.failed)
]

export const runsTable = (runs: ReadonlyArray<Run>): string =>
  runs.length === 0
    ? "No runs yet."
    : table(
        [
          ["run", "kind", "direction", "status", "started", "created", "updated", "skipped", "conflicts", "failed"],
          ...runs.map(runRow)
        ],
        {
          header: true
        }
      )

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
  error: run.error ?? null
})
