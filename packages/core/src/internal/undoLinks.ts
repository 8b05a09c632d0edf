import { Effect, Either, Option } from "effect"
import type { Compensation } from "../Adapter.js"
import type { FatalError } from "../AdapterError.js"
import type { IdempotencyKey, RecordId, Side } from "../Domain.js"
import { otherSide } from "../Domain.js"
import type { Create, Intake, Link, Reason } from "../Plan.js"
import type { StoredOperation, StoreWriteError } from "../SyncStore.js"
import { Outcome } from "../SyncStore.js"
import { retryTransient } from "./retry.js"
import type { UndoContext, Undone } from "./undo.js"
import { failed, reason } from "./undo.js"
import { unlink } from "./unlink.js"

// Undoing what made records and links: a create is compensated as its side declares and its link removed, a link is
// removed, a record a side took in while listing is removed; the sides are told of every link that is gone.

type Base = Omit<ConstructorParameters<typeof Outcome>[0], "runId" | "outcome" | "reasons">

const outcomeOf = (ctx: UndoContext, base: Base, outcome: Outcome["outcome"], reasons: ReadonlyArray<Reason>) =>
  new Outcome({ runId: ctx.runId, ...base, outcome, reasons })

/** Compensates `id`, telling the side what the sync last wrote to it (in a dry run: what the side declares it would do). */
const compensate = (
  ctx: UndoContext,
  side: Side,
  id: RecordId,
  key: IdempotencyKey,
  created: StoredOperation | undefined
) => {
  const adapter = ctx.sides[side]
  if (!ctx.dryRun) {
    return Effect.flatMap(ctx.lastWritten.of(side, id, created), (written) =>
      Effect.either(retryTransient(adapter.compensateCreate({ key, id, written })))
    )
  }
  const predicted: Compensation = adapter.capabilities.canDelete
    ? { _tag: "Deleted" }
    : { _tag: "Withdrawn", note: `${adapter.name} cannot delete: record ${id} would be marked withdrawn` }
  return Effect.succeed(Either.right(predicted))
}

/** Removes the link and tells the sides; the outcome is `rolledBack` once every side still holding its record knows. */
const removeLink = (
  ctx: UndoContext,
  base: Base,
  pair: { readonly leftId: RecordId; readonly rightId: RecordId },
  sides: ReadonlyArray<Side>,
  reasons: ReadonlyArray<Reason>,
  note?: string
): Effect.Effect<Undone, FatalError | StoreWriteError> =>
  Effect.gen(function* () {
    if (!ctx.dryRun) yield* ctx.store.removeLink(pair.leftId, pair.rightId)
    ctx.unlinked.add(`left:${pair.leftId}`).add(`right:${pair.rightId}`)
    const told = yield* unlink(ctx, { ...pair, sides, ...(note === undefined ? {} : { note }) })
    const all = [...reasons, ...told.reasons]
    return Option.match(told.failure, {
      onNone: () => ({ outcome: outcomeOf(ctx, base, "rolledBack", all), undone: true }),
      onSome: (failure) => ({
        outcome: outcomeOf(ctx, base, "failed", [...all, reason("rollbackFailed", failure)]),
        undone: false
      })
    })
  })

/**
 * Deletes the created record, or has the side withdraw it when it cannot delete (reported for a person); a record
 * someone changed since is kept, with its link. The link is removed and the sides are told.
 */
export const undoCreate = (ctx: UndoContext, stored: StoredOperation, op: Create) =>
  Effect.gen(function* () {
    const adapter = ctx.sides[op.side]
    const id: RecordId | undefined = stored.resultId
    const base = { side: op.side, id: id ?? op.sourceId, otherId: op.sourceId, operation: "rollback:create" }
    if (id === undefined) {
      const reasons = [reason("rollbackFailed", "the journal holds no id for the created record")]
      return { outcome: outcomeOf(ctx, base, "failed", reasons), undone: false } satisfies Undone
    }
    const compensated = yield* compensate(ctx, op.side, id, op.key, stored)
    if (Either.isLeft(compensated)) return yield* failed(ctx, base)(compensated.left)
    const result = compensated.right
    if (result._tag === "Kept") {
      return {
        outcome: outcomeOf(ctx, base, "kept", [reason("changedSince", result.note)]),
        undone: true
      } satisfies Undone
    }
    const pair = op.side === "left" ? { leftId: id, rightId: op.sourceId } : { leftId: op.sourceId, rightId: id }
    if (result._tag === "Deleted") {
      const note = `${adapter.name} record ${id}, created from it, was deleted`
      return yield* removeLink(ctx, base, pair, [otherSide(op.side)], [], note)
    }
    return yield* removeLink(ctx, base, pair, ["left", "right"], [reason("withdrawn", result.note)], result.note)
  })

export const undoLink = (ctx: UndoContext, op: Link): Effect.Effect<Undone, FatalError | StoreWriteError> =>
  removeLink(
    ctx,
    { side: "left", id: op.leftId, otherId: op.rightId, operation: "rollback:link" },
    { leftId: op.leftId, rightId: op.rightId },
    ["left", "right"],
    []
  )

/**
 * Removes a record its side took in for the run while listing, unless it was linked since (a later run made it a
 * pair) or someone changed it since: then it is kept and reported.
 */
export const undoIntake = (ctx: UndoContext, op: Intake): Effect.Effect<Undone, FatalError | StoreWriteError> =>
  Effect.gen(function* () {
    const adapter = ctx.sides[op.side]
    const base = { side: op.side, id: op.id, operation: "rollback:intake" }
    const link = yield* ctx.store.linkOf(op.side, op.id)
    if (Option.isSome(link) && !ctx.unlinked.has(`${op.side}:${op.id}`)) {
      const otherId = op.side === "left" ? link.value.rightId : link.value.leftId
      const other = ctx.sides[otherSide(op.side)].name
      const why = `${adapter.name} record ${op.id} was linked to ${other} record ${otherId} since; kept`
      return { outcome: outcomeOf(ctx, base, "kept", [reason("linkedSince", why)]), undone: true }
    }
    const compensated = yield* compensate(ctx, op.side, op.id, op.key, undefined)
    if (Either.isLeft(compensated)) return yield* failed(ctx, base)(compensated.left)
    const result = compensated.right
    switch (result._tag) {
      case "Kept":
        return { outcome: outcomeOf(ctx, base, "kept", [reason("changedSince", result.note)]), undone: true }
      case "Withdrawn":
        return { outcome: outcomeOf(ctx, base, "rolledBack", [reason("withdrawn", result.note)]), undone: true }
      case "Deleted":
        return { outcome: outcomeOf(ctx, base, "rolledBack", []), undone: true }
    }
  })
