import { Effect, Option } from "effect"
import type { AdapterError } from "../AdapterError.js"
import type { RecordId, RunId } from "../Domain.js"
import { otherSide } from "../Domain.js"
import type { Action, Operation, Update } from "../Plan.js"
import type { JournalEntry, Outcome, StoredOperation, StoreWriteError, SyncStoreService } from "../SyncStore.js"
import { isStoreWriteError } from "../SyncStore.js"
import * as O from "./opOutcome.js"
import { keys } from "./planner/context.js"

// The dispatcher's decisions, apart from its plumbing: what each failure means for the operation and its record.

interface FailedStep {
  readonly state: "pending" | "rejected" | "parked"
  readonly error: string
  /** Absent for a fatal error: the operation is left for the next run, it has no outcome yet. */
  readonly outcome?: { readonly kind: "failed" | "skipped"; readonly reason: ReturnType<typeof O.reason> }
}

export const classify = (error: AdapterError, stored: StoredOperation, maxAttempts: number): FailedStep => {
  switch (error._tag) {
    case "TransientError": {
      const message = `gave up after ${Math.max(maxAttempts, stored.attempts + 1)} attempts: ${error.message}`
      return { state: "parked", error: message, outcome: { kind: "failed", reason: O.reason("retry", message) } }
    }
    case "RejectedError": {
      const message = error.field === undefined ? error.message : `${error.field}: ${error.message}`
      return { state: "rejected", error: message, outcome: { kind: "failed", reason: O.reason("rejected", message) } }
    }
    case "CollisionError":
      return {
        state: "rejected",
        error: error.message,
        outcome: { kind: "skipped", reason: O.reason("uniqueKey", error.message, error.collidingId) }
      }
    case "StaleError": {
      const message = `changed on ${error.adapter} while syncing; will be re-planned`
      return { state: "pending", error: message, outcome: { kind: "skipped", reason: O.reason("stale", message) } }
    }
    case "FatalError":
      return { state: "pending", error: error.message }
  }
}

type Step = readonly [() => ReadonlyArray<JournalEntry>, Outcome]

const finish =
  (op: Operation, state: FailedStep["state"], error: string): (() => ReadonlyArray<JournalEntry>) =>
  () => [{ _tag: "Failed", key: op.key, state, error }]

/** A stored operation that already used up its attempts (a crash loop on it, say): parked without another try. */
export const exhausted = (runId: RunId, op: Operation, stored: StoredOperation): Step => {
  const message = `gave up after ${stored.attempts} attempts: ${stored.lastError ?? "no answer"}`
  return [finish(op, "parked", message), O.notDone(runId, op, "failed", O.reason("retry", message))]
}

/** An action planned on a record being created, whose create did not happen: left for a later run. */
export const notCreated = (runId: RunId, op: Action): Step => {
  const source = op.target._tag === "CreatedFrom" ? op.target.sourceId : ""
  const message = `not performed: record ${source} of ${otherSide(op.side)} was not created on ${op.side}`
  return [finish(op, "rejected", message), O.notDone(runId, op, "skipped", O.reason("afterCreate", message))]
}

/** What an action carries, as a person would look for it on the side (the follow-up's text, the salespeople). */
const payloadText = (op: Action): string =>
  Object.entries(op.payload)
    .filter(([, value]) => value !== null && value !== "")
    .map(([field, value]) => `${field} ${JSON.stringify(value)}`)
    .join(", ")

/**
 * An action that may have reached a side that cannot recognize a repeat: parked for a person, never doubled. The
 * message says what to look at and how to settle it: the record (id and name), the action's kind, content and the
 * time it was attempted, the run that planned it, and the command that marks it done or sends it again.
 */
export const uncertain = (
  runId: RunId,
  op: Action,
  adapter: string,
  id: RecordId,
  plannedBy: RunId,
  attemptedAt: number
): Step => {
  const at = new Date(attemptedAt).toISOString()
  const content = payloadText(op)
  const name = op.label === undefined ? "" : ` (${JSON.stringify(op.label)})`
  const message = `may have been delivered: attempted at ${at}; check ${adapter} record ${id}${name} for a ${op.kind}${content === "" ? "" : ` with ${content}`} (planned by run ${plannedBy}); it is not sent again: once checked, \`tongbu actions resolve <id> --done\` if it is there, \`--retry\` to send it once more`
  const params = {
    side: op.side,
    id,
    kind: op.kind,
    content,
    at,
    run: plannedBy,
    ...(op.label === undefined ? {} : { name: op.label })
  }
  return [finish(op, "parked", message), O.notDone(runId, op, "failed", O.reason("uncertain", message, id, params), id)]
}

/**
 * The counterpart of an update: its id, or, for one filling back the source of a create (`otherId` the create's
 * key), the record created from it in this or an earlier dispatch.
 */
export const resolveOther = (
  op: Update,
  created: ReadonlyMap<string, RecordId>,
  store: SyncStoreService
): Effect.Effect<Option.Option<RecordId>, StoreWriteError> => {
  const target = otherSide(op.side)
  if ((op.otherId as string) !== keys.create(target, op.id)) return Effect.succeed(Option.some(op.otherId))
  const here = created.get(`${target}:${op.id}`)
  if (here !== undefined) return Effect.succeed(Option.some(here))
  return Effect.map(
    store.linkOf(op.side, op.id),
    Option.map((link) => (target === "left" ? link.leftId : link.rightId))
  )
}

/** An update filling back the source of a create that did not happen: nothing to fill, left for a later run. */
export const notFilled = (runId: RunId, op: Update): Step => {
  const message = `not performed: record ${op.id} of ${op.side} was not created on ${otherSide(op.side)}`
  return [finish(op, "rejected", message), O.notDone(runId, op, "skipped", O.reason("afterCreate", message))]
}

/** The record an action is about: its id, or the record created from its source in this or an earlier dispatch. */
export const resolveTarget = (
  op: Action,
  created: ReadonlyMap<string, RecordId>,
  store: SyncStoreService
): Effect.Effect<Option.Option<RecordId>, StoreWriteError> => {
  if (op.target._tag === "Id") return Effect.succeed(Option.some(op.target.id))
  const { sourceId } = op.target
  const here = created.get(`${op.side}:${sourceId}`)
  if (here !== undefined) return Effect.succeed(Option.some(here))
  return Effect.map(
    store.linkOf(otherSide(op.side), sourceId),
    Option.map((link) => (op.side === "left" ? link.leftId : link.rightId))
  )
}

/** `reserve` cannot fail in its signature: a store failure inside it travels as a defect and is a store error again here. */
export const catchStoreDefect = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | StoreWriteError, R> =>
  Effect.catchSomeDefect(effect, (defect) =>
    isStoreWriteError(defect) ? Option.some(Effect.fail(defect)) : Option.none()
  )

/** `f` over `items`, at most `n` at a time, on `n` long-lived fibers rather than a fiber per item. */
export const forEachPooled = <A, E, R>(
  items: ReadonlyArray<A>,
  n: number,
  f: (item: A) => Effect.Effect<void, E, R>
): Effect.Effect<void, E, R> => {
  let next = 0
  const worker: Effect.Effect<void, E, R> = Effect.suspend(() => {
    const item = items[next++]
    return item === undefined ? Effect.void : Effect.zipRight(f(item), worker)
  })
  return Effect.forEach(Array.from({ length: Math.min(n, items.length) }), () => worker, {
    concurrency: "unbounded",
    discard: true
  })
}
