import type { ActionResolution, ParkedAction, ResolvedAction, RunId, StoredOperation } from "@tongbu/core"
import { IdempotencyKey, StoreRows as rows } from "@tongbu/core"
import { and, asc, eq, inArray, or } from "drizzle-orm"
import { Option } from "effect"
import { linkOf } from "./links.js"
import { operations } from "./schema.js"
import { changes, RowError, type Tx } from "./tx.js"

// The outbox: each operation's row from pending to done (or parked, or rolled back).

const settled = ["done", "parked", "rolledBack"] as const

const ofPair = (tx: Tx) => eq(operations.pairId, tx.pair)

export const runOperations = async (tx: Tx, runId: RunId): Promise<Array<StoredOperation>> => {
  const rowId = rows.runRowId(runId)
  if (rowId === null) return []
  return (
    await tx.db
      .select()
      .from(operations)
      .where(and(ofPair(tx), eq(operations.runId, rowId)))
      .orderBy(asc(operations.seq))
  ).map(rows.operationFromRow)
}

export const unfinished = async (tx: Tx): Promise<Array<StoredOperation>> =>
  (
    await tx.db
      .select()
      .from(operations)
      .where(and(ofPair(tx), inArray(operations.state, ["pending", "attempted"])))
      .orderBy(asc(operations.runId), asc(operations.seq))
  ).map(rows.operationFromRow)

export const settledKeys = async (tx: Tx): Promise<Set<string>> =>
  new Set(
    (
      await tx.db
        .select({ key: operations.key })
        .from(operations)
        .where(and(ofPair(tx), inArray(operations.state, [...settled])))
    ).map((row) => row.key)
  )

export const markRolledBack = async (tx: Tx, key: IdempotencyKey): Promise<void> => {
  const result = await tx.db
    .update(operations)
    .set({ state: "rolledBack", updatedAt: tx.now })
    .where(and(ofPair(tx), eq(operations.key, key)))
  if (changes(result) === 0) throw new RowError(`there is no operation ${key} in the outbox`)
}

const parkedOf = async (tx: Tx, row: typeof operations.$inferSelect): Promise<ParkedAction | undefined> => {
  const stored = rows.operationFromRow(row)
  const action = stored.operation
  if (action._tag !== "Action") return undefined
  const other = action.side === "left" ? "right" : "left"
  const targetId =
    action.target._tag === "Id"
      ? Option.some(action.target.id)
      : Option.fromNullable(await linkOf(tx, other, action.target.sourceId)).pipe(
          Option.map((link) => (action.side === "left" ? link.leftId : link.rightId))
        )
  return {
    id: row.id,
    key: stored.key,
    runId: stored.runId,
    action,
    targetId,
    reason: stored.lastError ?? "parked",
    parkedAt: stored.updatedAt
  }
}

export const parkedActions = async (tx: Tx): Promise<Array<ParkedAction>> => {
  const found = await tx.db
    .select()
    .from(operations)
    .where(and(ofPair(tx), eq(operations.state, "parked")))
    .orderBy(asc(operations.id))
  const out: Array<ParkedAction> = []
  for (const row of found) {
    const parked = await parkedOf(tx, row)
    if (parked !== undefined) out.push(parked)
  }
  return out
}

export const resolveAction = async (tx: Tx, idOrKey: string, resolution: ActionResolution): Promise<ResolvedAction> => {
  const byKey = eq(operations.key, idOrKey)
  const asId = /^\d{1,15}$/.test(idOrKey) ? Number(idOrKey) : undefined
  const [row] = await tx.db
    .select()
    .from(operations)
    .where(and(ofPair(tx), asId === undefined ? byKey : or(eq(operations.id, asId), byKey)))
    .orderBy(asc(operations.id))
    .limit(1)
  if (row === undefined) return { _tag: "Unknown" }
  const parked = await parkedOf(tx, row)
  const key = IdempotencyKey.make(row.key)
  if (parked === undefined) return { _tag: "NotAction", key, operation: rows.operationFromRow(row).operation._tag }
  if (row.state !== "parked") return { _tag: "NotParked", key, state: rows.operationFromRow(row).state }
  // A retry clears the attempts, or the dispatcher would take it for one that used them up and park it again.
  await tx.db
    .update(operations)
    .set(
      resolution === "done"
        ? { state: "done", lastError: `marked delivered by a person: ${parked.reason}`, updatedAt: tx.now }
        : { state: "pending", attempts: 0, lastError: null, updatedAt: tx.now }
    )
    .where(and(ofPair(tx), eq(operations.id, row.id)))
  return { _tag: "Resolved", action: parked }
}
