import { Option } from "effect"
import type { RecordOutcome } from "../Adapter.js"
import type { LinkState, RecordId, RunId, Side } from "../Domain.js"
import { otherSide } from "../Domain.js"
import type { Conflict, Operation, Plan } from "../Plan.js"
import type { Counts } from "../SyncStore.js"
import { Outcome, StoredConflict } from "../SyncStore.js"
import * as O from "./opOutcome.js"

// What a run reports beyond what the dispatcher recorded per operation: the plan's own outcomes (skips, conflicts,
// operations already settled), the counts, and what each side is told about its records.

export const isDispatchable = (op: Operation): boolean =>
  op._tag === "Create" || op._tag === "Update" || op._tag === "Link" || op._tag === "Action"

/** Outcomes of the plan's operations that the dispatcher does not execute. */
export const planOutcomes = (runId: RunId, plan: Plan, dispatched: ReadonlySet<string>): Array<Outcome> =>
  plan.operations.flatMap((op): Array<Outcome> => {
    switch (op._tag) {
      case "Skip":
        return [
          new Outcome(
            { runId, side: op.side, id: op.id, operation: "skip", outcome: "skipped", reasons: op.reasons },
            true
          )
        ]
      case "Conflict":
        return [
          O.notDone(
            runId,
            op,
            "conflict",
            O.reason("manual", `${op.field} changed on both sides; parked for a person to choose`, undefined, {
              field: op.field
            })
          )
        ]
      default:
        return dispatched.has(op.key)
          ? []
          : [
              O.notDone(
                runId,
                op,
                "skipped",
                O.reason("settled", "already done, parked or rolled back in an earlier run; not repeated")
              )
            ]
    }
  })

export const storedConflict = (runId: RunId, op: Conflict, now: number): StoredConflict =>
  new StoredConflict({
    id: op.key,
    runId,
    leftId: op.leftId,
    rightId: op.rightId,
    field: op.field,
    left: op.left,
    right: op.right,
    baseline: op.baseline,
    createdAt: now
  })

export const countOutcomes = (outcomes: ReadonlyArray<Outcome>, unchanged: number): Counts => {
  const counts = { created: 0, updated: 0, linked: 0, unchanged, skipped: 0, conflicts: 0, actions: 0, failed: 0 }
  for (const outcome of outcomes) {
    switch (outcome.outcome) {
      case "created":
        counts.created++
        break
      case "updated":
        counts.updated++
        break
      case "linked":
        counts.linked++
        break
      case "performed":
        counts.actions++
        break
      case "skipped":
      case "kept":
        counts.skipped++
        break
      case "conflict":
        counts.conflicts++
        break
      case "failed":
        counts.failed++
        break
      case "unchanged":
      case "rolledBack":
        break
    }
  }
  return counts
}

const status = (outcome: Outcome["outcome"]): RecordOutcome["status"] =>
  outcome === "failed"
    ? "failed"
    : outcome === "conflict"
      ? "conflict"
      : outcome === "skipped" || outcome === "kept"
        ? "skipped"
        : "synced"
const rank: Record<RecordOutcome["status"], number> = { synced: 0, skipped: 1, conflict: 2, failed: 3 }
const action = (operation: string): RecordOutcome["action"] =>
  operation === "create" || operation === "update" || operation === "link" ? operation : "none"

const isAction = (outcome: Outcome): boolean => outcome.operation.startsWith("action:")

/**
 * `items` followed by the outcomes of `earlier` runs (newest first) about records that no later run mentions: what
 * runs never told a side (its `acknowledge` failed, or the run died before it), with the latest word on each record
 * winning.
 */
export const withEarlier = (
  items: ReadonlyArray<Outcome>,
  earlier: ReadonlyArray<ReadonlyArray<Outcome>>
): ReadonlyArray<Outcome> => {
  const mentioned = new Set<string>()
  const at = (side: Side, id: RecordId) => `${side}\u0000${id}`
  const mention = (outcome: Outcome) => {
    mentioned.add(at(outcome.side, outcome.id))
    if (outcome.otherId !== undefined) mentioned.add(at(otherSide(outcome.side), outcome.otherId))
  }
  for (const item of items) if (!isAction(item)) mention(item)
  const all = [...items]
  for (const run of earlier) {
    const untold = run.filter(
      (outcome) =>
        !isAction(outcome) &&
        !mentioned.has(at(outcome.side, outcome.id)) &&
        (outcome.otherId === undefined || !mentioned.has(at(otherSide(outcome.side), outcome.otherId)))
    )
    for (const outcome of untold) mention(outcome)
    all.push(...untold)
  }
  return all
}

/**
 * The outcomes of `earlier` runs without those that would show a link no longer among `links`: a rollback removed it
 * and told the sides why, which is newer than anything those runs have to say.
 */
export const linksStanding = (
  earlier: ReadonlyArray<ReadonlyArray<Outcome>>,
  links: ReadonlyArray<LinkState>
): ReadonlyArray<ReadonlyArray<Outcome>> => {
  if (earlier.length === 0) return earlier
  const pairs = new Set(links.map((link) => `${link.leftId}\u0000${link.rightId}`))
  const stands = (outcome: Outcome) =>
    outcome.otherId === undefined ||
    status(outcome.outcome) !== "synced" ||
    pairs.has(
      outcome.side === "left" ? `${outcome.id}\u0000${outcome.otherId}` : `${outcome.otherId}\u0000${outcome.id}`
    )
  return earlier.map((run) => run.filter(stands))
}

/** What the store keeps of what a side was told about a record: equal digests, nothing new to show. */
export const digestOf = (outcome: RecordOutcome): string =>
  JSON.stringify([outcome.status, outcome.action, Option.getOrNull(outcome.reason), Option.getOrNull(outcome.linkedId)])

/**
 * What to tell `side` about its records: each record's worst outcome in this run (its own, or its partner's in a
 * pair), actions left out (they are events, not the record's sync state). `previous` digests what the side was told
 * before: a record is told again only when that changed or the record was read this run (the side may have reset
 * its state), so a run that changes nothing writes nothing.
 */
export const acknowledgements = (
  side: Side,
  outcomes: ReadonlyArray<Outcome>,
  read: ReadonlySet<RecordId>,
  previous: ReadonlyMap<RecordId, string>
): { readonly outcomes: ReadonlyArray<RecordOutcome>; readonly digests: ReadonlyMap<RecordId, string> } => {
  const byId = new Map<RecordId, RecordOutcome>()
  for (const outcome of outcomes) {
    if (isAction(outcome)) continue
    const own = outcome.side === side
    const id = own ? outcome.id : outcome.otherId
    if (id === undefined || (!own && outcome.side !== otherSide(side))) continue
    const next: RecordOutcome = {
      id,
      status: status(outcome.outcome),
      action: action(outcome.operation),
      reason:
        outcome.reasons.length === 0 ? Option.none() : Option.some(outcome.reasons.map((r) => r.message).join("; ")),
      ...(outcome.reasons.length === 0 ? {} : { reasons: outcome.reasons }),
      linkedId: Option.fromNullable(own ? outcome.otherId : outcome.id)
    }
    const current = byId.get(id)
    if (current === undefined || rank[next.status] > rank[current.status]) byId.set(id, next)
  }
  const digests = new Map<RecordId, string>()
  const told: Array<RecordOutcome> = []
  for (const [id, outcome] of byId) {
    const digest = digestOf(outcome)
    if (previous.get(id) === digest && !read.has(id)) continue
    digests.set(id, digest)
    told.push(outcome)
  }
  return { outcomes: told, digests }
}
