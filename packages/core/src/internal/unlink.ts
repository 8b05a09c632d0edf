import { Effect, Either, Option } from "effect"
import type { LinkShown, RecordOutcome } from "../Adapter.js"
import type { AdapterError, FatalError } from "../AdapterError.js"
import type { FieldValue, RecordId, Side } from "../Domain.js"
import { IdempotencyKey, otherSide } from "../Domain.js"
import type { Reason } from "../Plan.js"
import type { StoreWriteError } from "../SyncStore.js"
import { digestOf } from "./report.js"
import { retryTransient } from "./retry.js"
import type { UndoContext } from "./undo.js"
import { reason, same } from "./undo.js"

// Telling the sides that a link an undo removed is gone: each takes back what its `acknowledge` wrote to show the
// link, and shows why the record is no longer linked.

/** A link an undo removed. */
export interface Unlinked {
  readonly leftId: RecordId
  readonly rightId: RecordId
  /** The sides whose record still exists: a deleted record is told nothing. */
  readonly sides: ReadonlyArray<Side>
  /** What became of the records, beyond the link (a compensation's note). */
  readonly note?: string
}

export interface Told {
  readonly reasons: ReadonlyArray<Reason>
  /** Why a side could not be told, or could not take back what it showed: the operation is not undone yet. */
  readonly failure: Option.Option<string>
}

type Step = Either.Either<ReadonlyArray<Reason>, string>

const sideFailure = (error: AdapterError): Effect.Effect<Step, FatalError> =>
  error._tag === "FatalError" ? Effect.fail(error) : Effect.succeed(Either.left(error.message))

/**
 * Restores the before-image of each field the side wrote to show the link, where the record still holds what it
 * wrote (a person's later edit wins and is reported), through the side's own compare-and-set `update`.
 */
const takeBack = (ctx: UndoContext, side: Side, shown: LinkShown) =>
  Effect.gen(function* () {
    const adapter = ctx.sides[side]
    const read = yield* Effect.either(retryTransient(adapter.read(shown.id)))
    if (Either.isLeft(read)) return yield* sideFailure(read.left)
    if (Option.isNone(read.right)) return Either.right([])
    const now = read.right.value.fields
    const changes: Record<string, FieldValue> = {}
    const expected: Record<string, FieldValue> = {}
    const kept: Array<string> = []
    for (const [field, written] of Object.entries(shown.written)) {
      if (same(now[field], written)) {
        changes[field] = shown.before[field] ?? null
        expected[field] = written
      } else if (!same(now[field], shown.before[field])) kept.push(field)
    }
    let restored = Object.keys(changes)
    const what = `${adapter.name} record ${shown.id}`
    const notes: Array<Reason> = []
    if (!ctx.dryRun && restored.length > 0) {
      const key = IdempotencyKey.make(`rollback:shown:${side}:${shown.id}:${shown.linkedId}`)
      const write = yield* Effect.either(retryTransient(adapter.update({ key, id: shown.id, changes, expected })))
      if (Either.isLeft(write)) {
        const error = write.left
        if (error._tag === "StaleError") kept.push(...restored)
        // The value it held before is another record's now: it keeps showing the undone link, for a person to see.
        else if (error._tag === "CollisionError") notes.push(reason("collision", `${what}: ${error.message}; kept`))
        else return yield* sideFailure(error)
        restored = []
      }
    }
    const verb = ctx.dryRun ? "would be restored" : "restored"
    if (restored.length > 0)
      notes.push(reason("linkShownRestored", `${what}: ${restored.join(", ")} ${verb} to what it held before the link`))
    if (kept.length > 0) notes.push(reason("changedSince", `${what}: ${kept.join(", ")} changed since; kept`))
    return Either.right(notes)
  })

const tellOne = (ctx: UndoContext, unlinked: Unlinked, side: Side) =>
  Effect.gen(function* () {
    const adapter = ctx.sides[side]
    const [id, otherId] = side === "left" ? [unlinked.leftId, unlinked.rightId] : [unlinked.rightId, unlinked.leftId]
    const partner = `${ctx.sides[otherSide(side)].name} record ${otherId}`
    const shown = (yield* ctx.store.shownLinks(side, [id])).get(id)
    const restored: Step =
      shown === undefined || shown.linkedId !== otherId ? Either.right([]) : yield* takeBack(ctx, side, shown)
    if (Either.isLeft(restored)) return restored
    const why = `no longer linked to ${partner}: run ${ctx.target} was rolled back${unlinked.note === undefined ? "" : `; ${unlinked.note}`}`
    if (ctx.dryRun) {
      return Either.right([
        ...restored.right,
        reason("unlinked", `${adapter.name} record ${id} would be shown as ${why}`)
      ])
    }
    const outcome: RecordOutcome = {
      id,
      status: "skipped",
      action: "none",
      reason: Option.some(why),
      linkedId: Option.none()
    }
    const told = yield* Effect.either(retryTransient(adapter.acknowledge([outcome])))
    if (Either.isLeft(told)) return yield* sideFailure(told.left)
    yield* ctx.store.saveShown(side, told.right)
    yield* ctx.store.saveAcknowledged(side, new Map([[id, digestOf(outcome)]]))
    if (shown?.linkedId === otherId) yield* ctx.store.forgetShown(side, [id])
    return Either.right([...restored.right, reason("unlinked", `${adapter.name} record ${id} shown as ${why}`)])
  })

/**
 * Each side still holding its record takes back what it wrote to show the link and is told why the record is no
 * longer linked (a dry run says what would be). Safe to repeat: a field already restored counts as restored, and a
 * side told again shows the same.
 */
export const unlink = (ctx: UndoContext, unlinked: Unlinked): Effect.Effect<Told, FatalError | StoreWriteError> =>
  Effect.gen(function* () {
    const reasons: Array<Reason> = []
    for (const side of unlinked.sides) {
      const step = yield* tellOne(ctx, unlinked, side)
      if (Either.isLeft(step)) {
        const message = `${ctx.sides[side].name} could not be shown the undone link: ${step.left}; roll back again to finish`
        return { reasons, failure: Option.some(message) }
      }
      reasons.push(...step.right)
    }
    return { reasons, failure: Option.none() }
  })
