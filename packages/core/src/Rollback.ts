import { Effect, Either, Option, Schema } from "effect"
import type { SyncAdapter } from "./Adapter.js"
import { LeftAdapter, RightAdapter } from "./Adapter.js"
import type { FatalError } from "./AdapterError.js"
import type { IdempotencyKey, RunId, Side } from "./Domain.js"
import { RunId as RunIdSchema } from "./Domain.js"
import { makeLastWritten } from "./internal/lastWritten.js"
import { keys } from "./internal/planner/context.js"
import { countOutcomes } from "./internal/report.js"
import type { UndoContext, Undone } from "./internal/undo.js"
import { undoAction, undoUpdate } from "./internal/undo.js"
import { undoCreate, undoIntake, undoLink } from "./internal/undoLinks.js"
import { Reason, Skip } from "./Plan.js"
import type { Counts, Outcome, StoredOperation, StoreWriteError } from "./SyncStore.js"
import { SyncStore } from "./SyncStore.js"

/** The rollback cannot start: no such run or operation, or a run that is itself a rollback. */
export class RollbackRefused extends Schema.TaggedError<RollbackRefused>()("RollbackRefused", {
  message: Schema.String
}) {}

export type RollbackError = RollbackRefused | StoreWriteError

export interface RollbackOptions {
  /** Report what would be undone; nothing is written to either side nor to the store. */
  readonly dryRun: boolean
  /** Undo only this operation of the run. */
  readonly key?: IdempotencyKey
}

export interface RollbackReport {
  /** The rollback's own run in the store; none for a dry run. */
  readonly runId: Option.Option<RunId>
  /** The run rolled back. */
  readonly target: RunId
  readonly status: "completed" | "failed"
  readonly dryRun: boolean
  /** `rolledBack` undone; `skipped` kept (changed since, irreversible); `failed` not undone this time. */
  readonly counts: Counts
  readonly items: ReadonlyArray<Outcome>
  readonly error: Option.Option<string>
}

const undo = (ctx: UndoContext, stored: StoredOperation): Effect.Effect<Undone, FatalError | StoreWriteError> => {
  const op = stored.operation
  switch (op._tag) {
    case "Update":
      return undoUpdate(ctx, stored, op)
    case "Create":
      return undoCreate(ctx, stored, op)
    case "Link":
      return undoLink(ctx, op)
    case "Action":
      return Effect.succeed(undoAction(ctx, op))
    case "Intake":
      return undoIntake(ctx, op)
    case "Skip":
    case "Conflict":
      return Effect.dieMessage(
        `operation ${op.key} (${op._tag}) is an outcome, not a change; it is never journaled as done`
      )
  }
}

/**
 * The pair a rolled-back create had linked is recorded as a link undone (under the key the planner gives a link), so
 * that a record the side could only withdraw is not matched and linked again by its natural key. Recorded with the
 * rollback run and marked rolled back once the create is undone; should the rollback stop before that, finishing
 * the marker does nothing but settle it.
 */
const linkUndone = (stored: StoredOperation): ReadonlyArray<Skip> => {
  const op = stored.operation
  if (op._tag !== "Create" || stored.resultId === undefined) return []
  const [leftId, rightId] = op.side === "left" ? [stored.resultId, op.sourceId] : [op.sourceId, stored.resultId]
  const reason = new Reason({
    rule: "linkUndone",
    message: `the create of ${op.side} ${stored.resultId} was rolled back`
  })
  return [new Skip({ key: keys.link(leftId, rightId), side: "left", id: leftId, reasons: [reason] })]
}

/**
 * Rolls back a sync run (or one of its operations), newest operation first: an update's fields are restored where
 * they still hold what the sync wrote (a later edit by a person wins and is reported), a create is compensated as
 * its side declares (deleted, or withdrawn for a person to finish; a record changed since is kept), a link is
 * removed, a record a side took in while listing (intake) is removed unless changed or linked since, an action is
 * reported as irreversible. For every link removed, each side takes back what its `acknowledge` wrote to show the
 * link (where the record still holds it) and is told why the record is no longer linked; an operation counts as
 * undone only once that is done. It is journaled as a run of kind "rollback" with its own outcomes, and idempotent:
 * operations already rolled back are passed over, and an operation undone halfway is undone again safely.
 */
export const run = (
  target: RunId,
  options: RollbackOptions
): Effect.Effect<RollbackReport, RollbackError, LeftAdapter | RightAdapter | SyncStore> =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const sides: Record<Side, SyncAdapter> = { left: yield* LeftAdapter, right: yield* RightAdapter }
    const rolledBack = yield* store.run(target)
    if (Option.isNone(rolledBack)) return yield* new RollbackRefused({ message: `there is no run ${target}` })
    if (rolledBack.value.kind !== "sync") {
      return yield* new RollbackRefused({ message: `run ${target} is itself a rollback; roll back sync runs only` })
    }
    const journal = yield* store.operations(target)
    if (options.key !== undefined && !journal.some((op) => op.key === options.key)) {
      return yield* new RollbackRefused({ message: `run ${target} has no operation ${options.key}` })
    }
    const todo = journal
      .filter((op) => op.state === "done" && (options.key === undefined || op.key === options.key))
      .sort((a, b) => b.seq - a.seq)
    const runId = options.dryRun
      ? RunIdSchema.make("dry-run")
      : (yield* store.startRun(
          { kind: "rollback", direction: "both", dryRun: false, full: false, target },
          todo.flatMap(linkUndone)
        )).runId
    const lastWritten = yield* makeLastWritten(store, target)
    const ctx: UndoContext = { runId, target, dryRun: options.dryRun, store, sides, unlinked: new Set(), lastWritten }
    const items: Array<Outcome> = []
    let stopped: FatalError | undefined
    for (const stored of todo) {
      const result = yield* Effect.either(undo(ctx, stored))
      if (Either.isLeft(result)) {
        if (result.left._tag === "StoreError" || result.left._tag === "StoreFenced") return yield* result.left
        stopped = result.left
        break
      }
      items.push(result.right.outcome)
      if (!options.dryRun && result.right.undone) {
        yield* store.markRolledBack(stored.key)
        for (const marker of linkUndone(stored)) yield* store.markRolledBack(marker.key)
      }
    }
    const counts: Counts = {
      ...countOutcomes(items, 0),
      rolledBack: items.filter((item) => item.outcome === "rolledBack").length
    }
    const error = stopped === undefined ? Option.none() : Option.some(`${stopped.adapter}: ${stopped.message}`)
    const status = Option.isNone(error) ? "completed" : "failed"
    if (!options.dryRun) {
      yield* store.recordOutcomes(items)
      yield* store.finishRun(runId, status, counts, Option.getOrUndefined(error))
      yield* Effect.logInfo(
        `rollback of run ${target}: ${counts.rolledBack} undone, ${counts.skipped} kept, ${counts.failed} failed`
      )
    }
    return {
      runId: options.dryRun ? Option.none() : Option.some(runId),
      target,
      status,
      dryRun: options.dryRun,
      counts,
      items,
      error
    } satisfies RollbackReport
  }).pipe(Effect.annotateLogs("rollbackOf", target))
