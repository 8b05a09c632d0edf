import type { Duration } from "effect"
import { Effect, Schedule } from "effect"
import type { SyncAdapter } from "../Adapter.js"
import type { AdapterError, FatalError } from "../AdapterError.js"
import type { RecordId, RunId, Side } from "../Domain.js"
import { maskMobiles } from "../Mask.js"
import type { JournalEntry, Outcome, StoredOperation, StoreWriteError, SyncStoreService } from "../SyncStore.js"
import type * as Journal from "./journal.js"
import * as O from "./opOutcome.js"
import type { PairLinks } from "./pairLinks.js"
import * as Steps from "./steps.js"

// One dispatch's state, and how its steps are journaled, attempted and failed (the operations' own steps and the
// phases are in Dispatcher.ts).

/** What one dispatch works with, and what it learns on the way (the ids it created, the error that stopped it). */
export interface Dispatch {
  readonly runId: RunId
  readonly store: SyncStoreService
  readonly adapters: Record<Side, SyncAdapter>
  readonly journal: Journal.Journal
  readonly pairs: PairLinks
  readonly maxAttempts: number
  readonly retryBase: Duration.Duration
  readonly created: Map<string, RecordId>
  readonly outcomes: Array<Outcome>
  readonly fresh: boolean
  stopped: FatalError | undefined
}

export type Entries = () => ReadonlyArray<JournalEntry>

const isTransient = (error: AdapterError | StoreWriteError): boolean => error._tag === "TransientError"

/**
 * Writes a step's entries (and its outcome, kept for the run's report): `commit` resumes once they are durable;
 * `record` does not wait, the worker's next step (or the phase's end) commits them first.
 */
const journaled = (d: Dispatch, write: Journal.Journal["commit"]) => (build: Entries, outcome?: Outcome) =>
  Effect.map(write(outcome === undefined ? build : () => [...build(), { _tag: "Outcome", outcome }]), () => {
    if (outcome !== undefined) d.outcomes.push(outcome)
  })
export const commit = (d: Dispatch, build: Entries, outcome?: Outcome) => journaled(d, d.journal.commit)(build, outcome)
export const record = (d: Dispatch, build: Entries, outcome?: Outcome) => journaled(d, d.journal.append)(build, outcome)

/** Records how an operation failed, in the words its outcome gives, and stops the dispatch on a fatal error. */
export const failed = (d: Dispatch, stored: StoredOperation, error: AdapterError, resolvedId?: RecordId) => {
  const op = stored.operation
  const step = Steps.classify(error, stored, d.maxAttempts)
  if (error._tag === "FatalError" && d.stopped === undefined) d.stopped = error
  const entries: Entries = () => [
    { _tag: "Failed", key: op.key, state: step.state, error: step.error },
    ...(op._tag === "Update" ? [{ _tag: "Links" as const, links: [d.pairs.settle(op, false, resolvedId)] }] : [])
  ]
  const outcome = step.outcome && O.notDone(d.runId, op, step.outcome.kind, step.outcome.reason, resolvedId)
  if (step.outcome === undefined) return commit(d, entries, outcome)
  return Effect.zipRight(
    Effect.logWarning(`${O.subject(op).operation} ${op.key}: ${maskMobiles(step.error)}`),
    commit(d, entries, outcome)
  )
}

/**
 * Marks the attempt, then calls; transient failures are retried with exponential backoff and jitter. The mark is
 * durable before the call unless `harmless` (a repeat of the call has no further effect) in a fresh dispatch.
 */
export const attempt = <A>(
  d: Dispatch,
  stored: StoredOperation,
  call: (attemptNo: number) => Effect.Effect<A, AdapterError>,
  retry: boolean,
  harmless: boolean
): Effect.Effect<A, AdapterError | StoreWriteError> => {
  let attemptNo = stored.attempts
  const mark = harmless && d.fresh ? d.journal.append : d.journal.commit
  const once = Effect.suspend(() => {
    attemptNo++
    return Effect.zipRight(
      mark(() => [{ _tag: "Attempted", key: stored.key }]),
      call(attemptNo)
    )
  })
  const times = retry ? Math.max(0, d.maxAttempts - stored.attempts - 1) : 0
  if (times === 0) return once
  // The retry machinery is set up only once a transient failure happened: most operations succeed first time.
  return Effect.catchIf(once, isTransient, (first) => {
    let replayed = false
    const again = Effect.suspend(() => {
      if (replayed) return once
      replayed = true
      return Effect.fail(first)
    })
    return Effect.retry(again, {
      schedule: Schedule.jittered(Schedule.exponential(d.retryBase)),
      times,
      while: isTransient
    })
  })
}

/** A store failure ends the dispatch; an adapter's error ends only its operation. */
export const orFailed =
  (d: Dispatch, stored: StoredOperation, resolvedId?: RecordId) =>
  (error: AdapterError | StoreWriteError): Effect.Effect<void, StoreWriteError> =>
    error._tag === "StoreError" || error._tag === "StoreFenced"
      ? Effect.fail(error)
      : failed(d, stored, error, resolvedId)
