import type { StoredConflict } from "@tongbu/core"
import { type Fields, LinkState, StoreRows as rows } from "@tongbu/core"
import { and, asc, eq, isNull } from "drizzle-orm"
import { linkOf, saveLinks } from "./links.js"
import { runRow } from "./runs.js"
import { checkpoints, conflicts, leases } from "./schema.js"
import type { Tx } from "./tx.js"

// Conflicts, checkpoints and the pair's lease.

export const openConflicts = async (tx: Tx): Promise<Array<StoredConflict>> =>
  (
    await tx.db
      .select()
      .from(conflicts)
      .where(and(eq(conflicts.pairId, tx.pair), isNull(conflicts.resolution)))
      .orderBy(asc(conflicts.createdAt))
  ).map(rows.conflictFromRow)

export const saveConflict = async (tx: Tx, conflict: StoredConflict): Promise<void> => {
  const values = rows.encodeConflictValues({ left: conflict.left, right: conflict.right, baseline: conflict.baseline })
  const runId = runRow(conflict.runId)
  // The same conflict found again by a later run is the same row: reopened, with the values seen now.
  await tx.db
    .insert(conflicts)
    .values({
      pairId: tx.pair,
      id: conflict.id,
      runId,
      leftId: conflict.leftId,
      rightId: conflict.rightId,
      field: conflict.field,
      values,
      resolution: conflict.resolution ?? null,
      createdAt: conflict.createdAt
    })
    .onConflictDoUpdate({
      target: [conflicts.pairId, conflicts.id],
      set: { runId, values, resolution: conflict.resolution ?? null }
    })
}

/**
 * Records the resolution and moves the pair's baseline so that the next run carries the chosen value across: the
 * losing side's baseline becomes the value it held, so only the winning side appears changed.
 */
export const resolveConflict = async (
  tx: Tx,
  id: string,
  take: "left" | "right"
): Promise<StoredConflict | undefined> => {
  const [row] = await tx.db
    .update(conflicts)
    .set({ resolution: take })
    .where(and(eq(conflicts.pairId, tx.pair), eq(conflicts.id, id)))
    .returning()
  if (row === undefined) return undefined
  const conflict = rows.conflictFromRow(row)
  const link = await linkOf(tx, "left", conflict.leftId)
  if (link !== undefined && link.rightId === conflict.rightId) {
    const losing: Fields =
      take === "left"
        ? { ...link.right, [conflict.field]: conflict.right }
        : { ...link.left, [conflict.field]: conflict.left }
    await saveLinks(tx, [
      new LinkState({
        leftId: link.leftId,
        rightId: link.rightId,
        left: take === "left" ? link.left : losing,
        right: take === "left" ? losing : link.right
      })
    ])
  }
  return conflict
}

export const getCheckpoint = async (tx: Tx, name: string): Promise<string | undefined> => {
  const [row] = await tx.db
    .select()
    .from(checkpoints)
    .where(and(eq(checkpoints.pairId, tx.pair), eq(checkpoints.name, name)))
  return row?.value
}

export const saveCheckpoint = async (tx: Tx, name: string, value: string): Promise<void> => {
  await tx.db
    .insert(checkpoints)
    .values({ pairId: tx.pair, name, value })
    .onConflictDoUpdate({ target: [checkpoints.pairId, checkpoints.name], set: { value } })
}

/** Who holds the pair's lease under which epoch: what a fenced instance checks each of its writes against. */
export interface Fence {
  readonly holder: string
  readonly epoch: number
}

/**
 * The statement that reads the pair's lease for a write's check (`pair` already a quoted literal). The row is locked
 * for share until the write commits, so no takeover (which locks it for update) can slip in between the check and
 * the commit.
 */
export const leaseForShare = (pair: string): string =>
  `select holder, epoch from leases where pair_id = ${pair} for share`

/** The lease's holder now, when the row read no longer names `fence`'s holder and epoch. */
export const fencedBy = (
  row: { readonly holder: string; readonly epoch: string } | undefined,
  fence: Fence
): string | undefined => {
  if (row?.holder === fence.holder && Number(row.epoch) === fence.epoch) return undefined
  return row?.holder ?? "none"
}

/** The fence `holder` now holds, or undefined when another holder has the lease. */
export const acquireLease = async (tx: Tx, holder: string, ttlMs: number): Promise<Fence | undefined> => {
  // The row is made once, expired, so that the lock below always has a row to wait on.
  await tx.db.insert(leases).values({ pairId: tx.pair, holder, expiresAt: 0, epoch: 0 }).onConflictDoNothing()
  const [current] = await tx.db.select().from(leases).where(eq(leases.pairId, tx.pair)).for("update")
  const live = current !== undefined && current.expiresAt > tx.now
  if (live && current.holder !== holder) return undefined
  // Only a renewal of one's own live lease keeps the epoch: any taking over raises it, fencing the previous instance.
  const epoch = live ? current.epoch : (current?.epoch ?? 0) + 1
  await tx.db
    .update(leases)
    .set({ holder, expiresAt: tx.now + ttlMs, epoch })
    .where(eq(leases.pairId, tx.pair))
  return { holder, epoch }
}

/** Frees the lease by expiring it: the row stays, so the next holder's epoch is still higher. */
export const releaseLease = async (tx: Tx, holder: string): Promise<void> => {
  await tx.db
    .update(leases)
    .set({ expiresAt: 0 })
    .where(and(eq(leases.pairId, tx.pair), eq(leases.holder, holder)))
}
