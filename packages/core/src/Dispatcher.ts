import { Clock, Duration, Effect, Either, Option, Schedule } from "effect"
import type { SyncAdapter } from "./Adapter.js"
import { LeftAdapter, RightAdapter } from "./Adapter.js"
import type { AdapterError, FatalError } from "./AdapterError.js"
import type { LinkState, RecordId, RunId, Side } from "./Domain.js"
import * as Journal from "./internal/journal.js"
import { maskMobiles } from "./internal/mask.js"
import * as O from "./internal/opOutcome.js"
import { PairLinks } from "./internal/pairLinks.js"
import * as Steps from "./internal/steps.js"
import type { Action, Create, Operation, Update } from "./Plan.js"
import type { JournalEntry, Outcome, StoredOperation, StoreError } from "./SyncStore.js"
import { SyncStore } from "./SyncStore.js"

export interface DispatchOptions {
  /** Attempts per operation before it is parked with its last error (default 5). */
  readonly maxAttempts?: number
  /** The delay before the first retry of a transient failure; it doubles on each retry, with jitter (default 200 ms). */
  readonly retryBase?: Duration.DurationInput
  /** The link states the plan expects once applied (`Plan.links`). Without them (a resume) both sides are re-read. */
  readonly links?: ReadonlyArray<LinkState>
}

export interface DispatchSummary {
  /** One per operation that reached an end in this dispatch (done, rejected, parked, or left for a re-plan). */
  readonly outcomes: ReadonlyArray<Outcome>
}

const isTransient = (error: AdapterError | StoreError): boolean => error._tag === "TransientError"
const phase = (op: Operation): 0 | 1 | 2 => (op._tag === "Link" ? 0 : op._tag === "Create" ? 1 : 2)
const targetSide = (op: Operation): Side | undefined =>
  op._tag === "Create" || op._tag === "Update" || op._tag === "Action" ? op.side : undefined

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
): Effect.Effect<DispatchSummary, FatalError | StoreError, LeftAdapter | RightAdapter | SyncStore> =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const adapters: Record<Side, SyncAdapter> = { left: yield* LeftAdapter, right: yield* RightAdapter }
    const journal = yield* Journal.make(store)
    const touchesLinks = operations.some(
      (stored) => stored.operation._tag === "Update" || stored.operation._tag === "Link"
    )
    const pairs = new PairLinks(touchesLinks ? yield* store.links : [], options.links ?? [])
    for (const stored of operations) if (stored.operation._tag === "Update") pairs.register(stored.operation)
    const maxAttempts = Math.max(1, options.maxAttempts ?? 5)
    const retryBase = Duration.decode(options.retryBase ?? Duration.millis(200))
    const outcomes: Array<Outcome> = []
    const created = new Map<string, RecordId>()
    let stopped: FatalError | undefined

    /** Writes a step's entries (and its outcome) through `write`, and keeps the outcome for the run's report. */
    const journaled =
      (write: Journal.Journal["commit"]) => (build: () => ReadonlyArray<JournalEntry>, outcome?: Outcome) =>
        write(() => (outcome === undefined ? build() : [...build(), { _tag: "Outcome", outcome }])).pipe(
          Effect.tap(() => {
            if (outcome !== undefined) outcomes.push(outcome)
          })
        )
    const commit = journaled(journal.commit)
    /** Records a finished step without waiting: the worker's next step, or the phase's end, commits it first. */
    const record = journaled(journal.append)

    /** Records how an operation failed, in the words its outcome gives, and stops the dispatch on a fatal error. */
    const failed = (stored: StoredOperation, error: AdapterError, resolvedId?: RecordId) => {
      const op = stored.operation
      const links = (): ReadonlyArray<JournalEntry> =>
        op._tag === "Update" ? [{ _tag: "Links", links: [pairs.settle(op, false)] }] : []
      const step = Steps.classify(error, stored, maxAttempts)
      if (error._tag === "FatalError" && stopped === undefined) stopped = error
      return Effect.zipRight(
        step.outcome === undefined
          ? Effect.void
          : Effect.logWarning(`${O.subject(op).operation} ${op.key}: ${maskMobiles(step.error)}`),
        commit(
          () => [{ _tag: "Failed", key: op.key, state: step.state, error: step.error }, ...links()],
          step.outcome && O.notDone(runId, op, step.outcome.kind, step.outcome.reason, resolvedId)
        )
      )
    }

    /** Marks the attempt, calls, and retries transient failures with exponential backoff and jitter. */
    const attempt = <A>(
      stored: StoredOperation,
      call: (attemptNo: number) => Effect.Effect<A, AdapterError, never>,
      retry = true
    ) => {
      let attemptNo = stored.attempts
      const once = Effect.suspend(() => {
        attemptNo++
        return Effect.zipRight(
          commit(() => [{ _tag: "Attempted", key: stored.key }]),
          call(attemptNo)
        )
      })
      const times = retry ? Math.max(0, maxAttempts - stored.attempts - 1) : 0
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
          schedule: Schedule.jittered(Schedule.exponential(retryBase)),
          times,
          while: isTransient
        })
      })
    }

    const create = (stored: StoredOperation, op: Create) => {
      const adapter = adapters[op.side]
      let provisionalId = Option.fromNullable(stored.provisionalId)
      const reserve = (id: string) =>
        Effect.orDie(commit(() => [{ _tag: "Provisional", key: op.key, provisionalId: id }])).pipe(
          Effect.tap(() => {
            provisionalId = Option.some(id)
          })
        )
      // After any earlier attempt (this run's or a crashed one's), first ask whether it landed.
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
      return Effect.matchEffect(attempt(stored, call), {
        onFailure: (error) => (error._tag === "StoreError" ? Effect.fail(error) : failed(stored, error)),
        onSuccess: (id) => {
          created.set(`${op.side}:${op.sourceId}`, id)
          return record(
            () => [
              {
                _tag: "Completed",
                key: op.key,
                result: { resultId: id, written: op.fields, links: [pairs.created(op, id)] }
              }
            ],
            O.done(runId, op, id)
          )
        }
      })
    }

    const update = (stored: StoredOperation, op: Update) => {
      const call = () => adapters[op.side].update({ key: op.key, id: op.id, changes: op.changes, expected: op.before })
      const [leftId, rightId] = op.side === "left" ? [op.id, op.otherId] : [op.otherId, op.id]
      return Effect.matchEffect(attempt(stored, call), {
        onFailure: (error) => (error._tag === "StoreError" ? Effect.fail(error) : failed(stored, error)),
        onSuccess: ({ overwritten }) =>
          record(
            () => {
              const linkBefore = pairs.linkBefore(leftId, rightId)
              return [
                {
                  _tag: "Completed",
                  key: op.key,
                  result: { written: op.changes, overwritten, links: [pairs.settle(op, true)], linkBefore }
                }
              ]
            },
            O.done(runId, op)
          )
      })
    }

    const action = (stored: StoredOperation, op: Action) =>
      Effect.gen(function* () {
        const adapter = adapters[op.side]
        const target = yield* Steps.resolveTarget(op, created, store)
        if (Option.isNone(target)) return yield* commit(...Steps.notCreated(runId, op))
        const id = target.value
        // attempted by a run that stopped before it heard the answer: attempted when it was marked so
        if (stored.state === "attempted" && !adapter.capabilities.idempotentActions) {
          return yield* commit(...Steps.uncertain(runId, op, adapter.name, id, stored.runId, stored.updatedAt))
        }
        const call = () => adapter.perform({ key: op.key, id, kind: op.kind, payload: op.payload })
        // A side that cannot recognize a repeated action gets no blind retry: an ambiguous failure parks it instead.
        return yield* Effect.matchEffect(attempt(stored, call, adapter.capabilities.idempotentActions), {
          onFailure: (error) =>
            error._tag === "StoreError"
              ? Effect.fail(error)
              : error._tag === "TransientError" && !adapter.capabilities.idempotentActions
                ? Effect.flatMap(Clock.currentTimeMillis, (now) =>
                    commit(...Steps.uncertain(runId, op, adapter.name, id, stored.runId, now))
                  )
                : failed(stored, error, id),
          onSuccess: () =>
            record(() => [{ _tag: "Completed", key: op.key, result: { links: [] } }], O.done(runId, op, id))
        })
      })

    const execute = (stored: StoredOperation): Effect.Effect<void, StoreError> => {
      const op = stored.operation
      if (stopped !== undefined) return Effect.void
      if (stored.attempts >= maxAttempts && stored.state === "attempted" && op._tag !== "Link") {
        return commit(...Steps.exhausted(runId, op, stored))
      }
      switch (op._tag) {
        case "Link":
          return record(
            () => [{ _tag: "Completed", key: op.key, result: { links: [pairs.linked(op.leftId, op.rightId)] } }],
            O.done(runId, op)
          )
        case "Create":
          return Steps.catchStoreDefect(create(stored, op))
        case "Update":
          return update(stored, op)
        case "Action":
          return action(stored, op)
        case "Skip":
        case "Conflict":
        case "Intake":
          return record(() => [{ _tag: "Completed", key: op.key, result: { links: [] } }])
      }
    }

    for (const current of [0, 1, 2] as const) {
      const batch = operations.filter((stored) => phase(stored.operation) === current)
      yield* Effect.forEach(
        (["left", "right", undefined] as const).map((side) =>
          batch.filter((stored) => targetSide(stored.operation) === side)
        ),
        (ops, i) => {
          const side = i === 0 ? "left" : i === 1 ? "right" : undefined
          const capabilities = side === undefined ? undefined : adapters[side].capabilities
          const concurrency =
            capabilities === undefined
              ? 64
              : current === 1 && capabilities.serializeCreates
                ? 1
                : capabilities.concurrency
          return Steps.forEachPooled(ops, concurrency, execute)
        },
        { concurrency: "unbounded", discard: true }
      )
      // The next phase depends on this one's results (an action on a record created here).
      yield* journal.flush
    }
    if (stopped !== undefined) return yield* Effect.fail(stopped)
    return { outcomes }
  }).pipe(Effect.annotateLogs("runId", runId))

/** A dispatch stopped by a `FatalError` as a value (the run is then recorded as failed); store failures stay errors. */
export const stopsOnFatal = <A, R>(
  dispatched: Effect.Effect<A, FatalError | StoreError, R>
): Effect.Effect<Either.Either<A, FatalError>, StoreError, R> =>
  dispatched.pipe(
    Effect.map(Either.right),
    Effect.catchTag("FatalError", (error) => Effect.succeed(Either.left(error)))
  )
