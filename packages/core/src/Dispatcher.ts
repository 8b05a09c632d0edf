import { Clock, Duration, Effect, Either, Option } from "effect"
import { LeftAdapter, RightAdapter } from "./Adapter.js"
import type { FatalError } from "./AdapterError.js"
import type { LinkState, RecordId, RunId } from "./Domain.js"
import type { Dispatch } from "./internal/dispatchState.js"
import { attempt, commit, orFailed, record } from "./internal/dispatchState.js"
import * as Journal from "./internal/journal.js"
import * as O from "./internal/opOutcome.js"
import { PairLinks } from "./internal/pairLinks.js"
import * as Steps from "./internal/steps.js"
import type { Action, Create, Operation, Update } from "./Plan.js"
import type { Outcome, StoredOperation, StoreWriteError } from "./SyncStore.js"
import { SyncStore } from "./SyncStore.js"

export interface DispatchOptions {
  /** Attempts per operation before it is parked with its last error (default 5). */
  readonly maxAttempts?: number
  /** The delay before the first retry of a transient failure; it doubles on each retry, with jitter (default 200 ms). */
  readonly retryBase?: Duration.DurationInput
  /** The link states the plan expects once applied (`Plan.links`). Without them (a resume) both sides are re-read. */
  readonly links?: ReadonlyArray<LinkState>
  /**
   * The operations were enqueued by this run (`Sync.run`'s own dispatch): the attempt mark of an operation whose
   * repetition is harmless (an update is a compare-and-set; an action on a side that recognizes repeats) is then
   * journaled with its completion rather than before its call. Left false by a resume, where every mark is durable
   * before its call, so an operation that keeps crashing the process is parked once its attempts are used up.
   */
  readonly fresh?: boolean
}

export interface DispatchSummary {
  /** One per operation that reached an end in this dispatch (done, rejected, parked, or left for a re-plan). */
  readonly outcomes: ReadonlyArray<Outcome>
}

const phaseOf = (op: Operation): 0 | 1 | 2 => (op._tag === "Link" ? 0 : op._tag === "Create" ? 1 : 2)
const laneOf = (op: Operation): 0 | 1 | 2 =>
  op._tag === "Create" || op._tag === "Update" || op._tag === "Action" ? (op.side === "left" ? 0 : 1) : 2

/** The state of one dispatch: the pairs its updates and links touch, registered before any of them finishes. */
const begin = (runId: RunId, operations: ReadonlyArray<StoredOperation>, options: DispatchOptions) =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const touchesLinks = operations.some(({ operation }) => operation._tag === "Update" || operation._tag === "Link")
    const pairs = new PairLinks(touchesLinks ? yield* store.links : [], options.links ?? [])
    for (const stored of operations) if (stored.operation._tag === "Update") pairs.register(stored.operation)
    return {
      runId,
      store,
      adapters: { left: yield* LeftAdapter, right: yield* RightAdapter },
      journal: yield* Journal.make(store),
      pairs,
      maxAttempts: Math.max(1, options.maxAttempts ?? 5),
      retryBase: Duration.decode(options.retryBase ?? Duration.millis(200)),
      created: new Map(),
      outcomes: [],
      fresh: options.fresh === true,
      stopped: undefined
    } satisfies Dispatch as Dispatch
  })

/** A create, asking first whether an earlier attempt (this run's or a crashed one's) landed. */
const create = (d: Dispatch, stored: StoredOperation, op: Create) => {
  const adapter = d.adapters[op.side]
  let provisionalId = Option.fromNullable(stored.provisionalId)
  // The provisional id is durable before the write that makes the record real (spec: allocate, record, save).
  const reserve = (id: string) =>
    Effect.orDie(commit(d, () => [{ _tag: "Provisional", key: op.key, provisionalId: id }])).pipe(
      Effect.tap(() => {
        provisionalId = Option.some(id)
      })
    )
  const call = (attemptNo: number) =>
    Effect.flatMap(
      attemptNo > 1 || stored.state === "attempted"
        ? adapter.findCreated({ key: op.key, sourceId: op.sourceId, fields: op.fields, provisionalId })
        : Effect.succeed(Option.none<RecordId>()),
      Option.match({
        onSome: Effect.succeed,
        onNone: () => adapter.create({ key: op.key, sourceId: op.sourceId, fields: op.fields, reserve })
      })
    )
  return Effect.matchEffect(attempt(d, stored, call, true, false), {
    onFailure: orFailed(d, stored),
    onSuccess: (id) => {
      d.created.set(`${op.side}:${op.sourceId}`, id)
      const result = { resultId: id, written: op.fields, links: [d.pairs.created(op, id)] }
      return record(d, () => [{ _tag: "Completed", key: op.key, result }], O.done(d.runId, op, id))
    }
  })
}

/**
 * An update; its pair's link state is settled with the completion, in the order the pair's updates finish. One that
 * fills back the source of a create waits for it: the created record's id is its counterpart.
 */
const update = (d: Dispatch, stored: StoredOperation, op: Update) => {
  const call = () => d.adapters[op.side].update({ key: op.key, id: op.id, changes: op.changes, expected: op.before })
  const [leftId, rightId] = op.side === "left" ? [op.id, op.otherId] : [op.otherId, op.id]
  const perform = (otherId: RecordId) =>
    Effect.matchEffect(attempt(d, stored, call, true, true), {
      onFailure: orFailed(d, stored, otherId),
      onSuccess: ({ overwritten }) =>
        record(
          d,
          () => {
            const linkBefore = d.pairs.linkBefore(leftId, rightId)
            const links = [d.pairs.settle(op, true, otherId)]
            return [{ _tag: "Completed", key: op.key, result: { written: op.changes, overwritten, links, linkBefore } }]
          },
          O.done(d.runId, op, otherId)
        )
    })
  return Effect.flatMap(
    Steps.resolveOther(op, d.created, d.store),
    Option.match({ onNone: () => commit(d, ...Steps.notFilled(d.runId, op)), onSome: perform })
  )
}

/** An action on its record, which may be one this dispatch (or an earlier one) created. */
const action = (d: Dispatch, stored: StoredOperation, op: Action) => {
  const adapter = d.adapters[op.side]
  const idempotent = adapter.capabilities.idempotentActions
  const perform = (id: RecordId) => {
    const uncertain = (attemptedAt: number) =>
      commit(d, ...Steps.uncertain(d.runId, op, adapter.name, id, stored.runId, attemptedAt))
    // attempted by a run that stopped before it heard the answer: attempted when it was marked so
    if (stored.state === "attempted" && !idempotent) return uncertain(stored.updatedAt)
    const call = () => adapter.perform({ key: op.key, id, kind: op.kind, payload: op.payload })
    // A side that cannot recognize a repeated action gets no blind retry: an ambiguous failure parks it instead.
    return Effect.matchEffect(attempt(d, stored, call, idempotent, idempotent), {
      onFailure: (error) =>
        error._tag === "TransientError" && !idempotent
          ? Effect.flatMap(Clock.currentTimeMillis, uncertain)
          : orFailed(d, stored, id)(error),
      onSuccess: () =>
        record(d, () => [{ _tag: "Completed", key: op.key, result: { links: [] } }], O.done(d.runId, op, id))
    })
  }
  return Effect.flatMap(
    Steps.resolveTarget(op, d.created, d.store),
    Option.match({ onNone: () => commit(d, ...Steps.notCreated(d.runId, op)), onSome: perform })
  )
}

/** One operation, unless a fatal error stopped the dispatch; a crash-looping one is parked without another try. */
const execute =
  (d: Dispatch) =>
  (stored: StoredOperation): Effect.Effect<void, StoreWriteError> => {
    const op = stored.operation
    if (d.stopped !== undefined) return Effect.void
    if (stored.attempts >= d.maxAttempts && stored.state === "attempted" && op._tag !== "Link") {
      return commit(d, ...Steps.exhausted(d.runId, op, stored))
    }
    switch (op._tag) {
      case "Link": {
        const links = () => [d.pairs.linked(op.leftId, op.rightId)]
        return record(d, () => [{ _tag: "Completed", key: op.key, result: { links: links() } }], O.done(d.runId, op))
      }
      case "Create":
        return Steps.catchStoreDefect(create(d, stored, op))
      case "Update":
        return update(d, stored, op)
      case "Action":
        return action(d, stored, op)
      case "Skip":
      case "Conflict":
      case "Intake":
        return record(d, () => [{ _tag: "Completed", key: op.key, result: { links: [] } }])
    }
  }

/**
 * One phase: each side's operations with the concurrency it declares (its creates one at a time where it asks), the
 * others 64 at a time; every step of the phase is durable before the next phase starts.
 */
const runPhase = (d: Dispatch, phase: 0 | 1 | 2, lanes: ReadonlyArray<ReadonlyArray<StoredOperation>>) =>
  Effect.zipRight(
    Effect.forEach(
      lanes,
      (ops, lane) => {
        const capabilities = lane === 2 ? undefined : d.adapters[lane === 0 ? "left" : "right"].capabilities
        const concurrency =
          capabilities === undefined ? 64 : phase === 1 && capabilities.serializeCreates ? 1 : capabilities.concurrency
        return Steps.forEachPooled(ops, concurrency, execute(d))
      },
      { concurrency: "unbounded", discard: true }
    ),
    d.journal.flush
  )

/** The operations by phase (links, creates, the rest), each phase by lane (left, right, neither side), in order. */
const byPhase = (operations: ReadonlyArray<StoredOperation>) => {
  const phases = [0, 1, 2].map(() => [[], [], []] as Array<Array<StoredOperation>>)
  for (const stored of operations) phases[phaseOf(stored.operation)]![laneOf(stored.operation)]!.push(stored)
  return phases
}

/**
 * Executes operations recorded in the outbox: links first, then creates, then updates and actions, each side with the
 * concurrency it declares (creates one at a time where it asks). Every step is journaled before the next (an
 * operation's completion commits with its worker's next step, or at the end of its phase), so a crash at any instant
 * leaves each operation `pending`, `attempted` or finished, and a later dispatch of the unfinished ones
 * finishes them without doing anything twice. A `FatalError` stops new operations (those in flight finish), leaves
 * the rest pending and fails the dispatch.
 */
export const dispatch = (
  runId: RunId,
  operations: ReadonlyArray<StoredOperation>,
  options: DispatchOptions = {}
): Effect.Effect<DispatchSummary, FatalError | StoreWriteError, LeftAdapter | RightAdapter | SyncStore> =>
  Effect.gen(function* () {
    const d = yield* begin(runId, operations, options)
    const phases = byPhase(operations)
    // The next phase depends on this one's results (an action on a record created here).
    for (const phase of [0, 1, 2] as const) yield* runPhase(d, phase, phases[phase]!)
    if (d.stopped !== undefined) return yield* Effect.fail(d.stopped)
    return { outcomes: d.outcomes }
  }).pipe(Effect.annotateLogs("runId", runId))

/** A dispatch stopped by a `FatalError` as a value (the run is then recorded as failed); store failures stay errors. */
export const stopsOnFatal = <A, R>(
  dispatched: Effect.Effect<A, FatalError | StoreWriteError, R>
): Effect.Effect<Either.Either<A, FatalError>, StoreWriteError, R> =>
  dispatched.pipe(
    Effect.map(Either.right),
    Effect.catchTag("FatalError", (error) => Effect.succeed(Either.left(error)))
  )
