import { Effect, Either, Option } from "effect"
import type { SyncAdapter } from "../Adapter.js"
import type { AdapterError, FatalError } from "../AdapterError.js"
import type { Fields, FieldValue, RunId, Side } from "../Domain.js"
import { IdempotencyKey, LinkState, otherSide } from "../Domain.js"
import type { Action, ReasonParams, Update } from "../Plan.js"
import { Reason } from "../Plan.js"
import type { StoredOperation, SyncStoreService } from "../SyncStore.js"
import { Outcome } from "../SyncStore.js"
import type { LastWritten } from "./lastWritten.js"
import { retryTransient } from "./retry.js"

// Undoing one operation of the journal. Each step is safe to repeat: a field already back at its before-image
// counts as restored, a compensation is idempotent by the create's key, removing a link twice removes nothing,
// taking back what a side showed of a link restores only what it still shows. Creates and links: `undoLinks.ts`.

export interface UndoContext {
  readonly runId: RunId
  /** The run rolled back. */
  readonly target: RunId
  readonly dryRun: boolean
  readonly store: SyncStoreService
  readonly sides: Record<Side, SyncAdapter>
  /** Records (`side:id`) whose link this rollback removed so far, or would in a dry run. */
  readonly unlinked: Set<string>
  /** What the sync last wrote to a record: what `compensateCreate` compares it with. */
  readonly lastWritten: LastWritten
}

export interface Undone {
  readonly outcome: Outcome
  /** The operation is now undone (it is marked rolled back unless a dry run). */
  readonly undone: boolean
}

export const same = (a: FieldValue | undefined, b: FieldValue | undefined) => (a ?? null) === (b ?? null)
export const reason = (rule: string, message: string, params?: ReasonParams) =>
  new Reason({ rule, message, ...(params === undefined ? {} : { params }) })

/** A failure of the side while undoing: the operation stays done (a later rollback tries again); fatal stops all. */
export const failed =
  (ctx: UndoContext, base: Omit<ConstructorParameters<typeof Outcome>[0], "runId" | "outcome" | "reasons">) =>
  (error: AdapterError): Effect.Effect<Undone, FatalError> =>
    error._tag === "FatalError"
      ? Effect.fail(error)
      : Effect.succeed({
          outcome: new Outcome({
            runId: ctx.runId,
            ...base,
            outcome: "failed",
            reasons: [reason("rollbackFailed", error.message)]
          }),
          undone: false
        })

/**
 * Restores the before-image of each field that still holds what the sync wrote; a field someone changed since keeps
 * its value and is reported. The pair's baseline then records the restored value on this side and keeps the other
 * side's, so the next run sees no change to carry across again.
 */
export const undoUpdate = (ctx: UndoContext, stored: StoredOperation, op: Update) =>
  Effect.gen(function* () {
    const adapter = ctx.sides[op.side]
    const base = { side: op.side, id: op.id, otherId: op.otherId, operation: "rollback:update" }
    const written = stored.written ?? op.changes
    const read = yield* Effect.either(retryTransient(adapter.read(op.id)))
    if (Either.isLeft(read)) return yield* failed(ctx, base)(read.left)
    const current = read.right
    if (Option.isNone(current)) {
      const outcome = new Outcome({
        runId: ctx.runId,
        ...base,
        outcome: "kept",
        reasons: [
          reason("recordGone", `record ${op.id} no longer exists on ${adapter.name}`, { id: op.id, side: op.side })
        ]
      })
      return { outcome, undone: true } satisfies Undone
    }
    const native = Object.keys(op.changes)
    const restore: Record<string, FieldValue> = {}
    const expected: Record<string, FieldValue> = {}
    const restored = new Set<string>()
    const kept: Array<string> = []
    // What the update replaced, as the side stored it, goes back exactly; `before` (as read) is the fallback for a
    // field it found already written (a retry after a lost acknowledgement) and for journals older than this.
    const overwritten = stored.overwritten
    native.forEach((field, i) => {
      const now = current.value.fields[field]
      const before = op.before[field] ?? null
      if (same(now, written[field])) {
        restore[field] = overwritten !== undefined && field in overwritten ? (overwritten[field] ?? null) : before
        expected[field] = written[field] ?? null
      } else if (!same(now, before)) {
        kept.push(field)
        return
      }
      restored.add(op.canonicalFields[i] ?? field)
    })
    if (!ctx.dryRun && Object.keys(restore).length > 0) {
      const key = IdempotencyKey.make(`rollback:${op.key}`)
      const request = { key, id: op.id, changes: restore, expected, asStored: overwritten !== undefined }
      const write = yield* Effect.either(retryTransient(adapter.update(request)))
      if (write._tag === "Left") {
        if (write.left._tag !== "StaleError") return yield* failed(ctx, base)(write.left)
        // Edited between the read and the write: those fields are someone else's now.
        for (const field of Object.keys(restore)) {
          kept.push(field)
          restored.delete(op.canonicalFields[native.indexOf(field)] ?? field)
        }
      }
    }
    if (!ctx.dryRun && restored.size > 0) yield* restoreBaseline(ctx.store, op, stored.linkBefore, restored)
    const reasons =
      kept.length === 0
        ? []
        : [
            reason("changedSince", `${kept.join(", ")} changed since by someone else; kept`, {
              fields: kept.join(", ")
            })
          ]
    const outcome = new Outcome({
      runId: ctx.runId,
      ...base,
      outcome: restored.size > 0 ? "rolledBack" : "kept",
      reasons
    })
    return { outcome, undone: true } satisfies Undone
  })

const restoreBaseline = (
  store: SyncStoreService,
  op: Update,
  before: LinkState | undefined,
  fields: ReadonlySet<string>
) =>
  Effect.gen(function* () {
    const link = yield* store.linkOf(op.side, op.id)
    if (Option.isNone(link)) return
    const target: Record<string, FieldValue> = { ...link.value[op.side] }
    // What the side holds again: its values when planned, not the older baseline (it may have changed since, as when
    // both sides changed a field and the other side's value won). Journals older than `canonicalBefore` have only that.
    const restored = op.canonicalBefore ?? before?.[op.side]
    for (const field of fields) {
      const value: Fields[string] | undefined = restored?.[field]
      if (value === undefined) delete target[field]
      else target[field] = value
    }
    const source = otherSide(op.side)
    yield* store.saveLinks([
      new LinkState({
        ...link.value,
        [op.side]: target,
        [source]: link.value[source],
        ...(op.side === "left" ? { leftVersion: undefined } : { rightVersion: undefined })
      })
    ])
  })

export const undoAction = (ctx: UndoContext, op: Action): Undone => ({
  outcome: new Outcome({
    runId: ctx.runId,
    side: op.side,
    id: op.target._tag === "Id" ? op.target.id : op.target.sourceId,
    operation: `rollback:action:${op.kind}`,
    outcome: "kept",
    reasons: [
      reason("irreversible", `a ${op.kind} action cannot be undone; undo it on ${ctx.sides[op.side].name} if needed`, {
        kind: op.kind,
        side: op.side
      })
    ]
  }),
  undone: false
})
