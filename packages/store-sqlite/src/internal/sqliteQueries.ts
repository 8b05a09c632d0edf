import type {
  ActionResolution,
  Completion,
  Counts,
  Fields,
  JournalEntry,
  Operation,
  Outcome,
  ParkedAction,
  ResolvedAction,
  Run,
  RunId,
  Side,
  StartedRun,
  StartRun,
  StoredConflict,
  StoredOperation
} from "@tongbu/core"
import { IdempotencyKey, LinkState, RecordId, StoreRows as rows, zeroCounts } from "@tongbu/core"
import { and, asc, desc, eq, inArray, isNull, or } from "drizzle-orm"
import { Option } from "effect"
import { acknowledgements, checkpoints, conflicts, lease, links, operations, outcomes, runs } from "./schema.js"
import type { Db } from "./sqlitePrepared.js"
import { prepared } from "./sqlitePrepared.js"
import { reads } from "./sqliteReads.js"
import { markUntold } from "./sqliteUntold.js"

export type { Db } from "./sqlitePrepared.js"

// The store's SQL, synchronous like better-sqlite3 itself: SqliteStore wraps each call in one transaction and turns
// what it throws into a StoreError.

/** SQLite allows a bounded number of parameters per statement. */
const chunks = <A>(items: ReadonlyArray<A>, size = 500): Array<ReadonlyArray<A>> => {
  const out: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

export const allLinks = (db: Db): Array<LinkState> => reads(db).links()

export const linkOf = (db: Db, side: Side, id: RecordId): LinkState | undefined => {
  const row = db
    .select()
    .from(links)
    .where(side === "left" ? eq(links.leftId, id) : eq(links.rightId, id))
    .get()
  return row === undefined ? undefined : rows.linkFromRow(row)
}

export const saveLinks = (db: Db, states: ReadonlyArray<LinkState>): void => {
  const { saveLink } = prepared(db)
  for (const link of states) saveLink(rows.linkToRow(link))
}

export const removeLink = (db: Db, leftId: RecordId, rightId: RecordId): void => {
  db.delete(links)
    .where(and(eq(links.leftId, leftId), eq(links.rightId, rightId)))
    .run()
}

export const startRun = (db: Db, now: number, run: StartRun, ops: ReadonlyArray<Operation>): StartedRun => {
  const { id } = db
    .insert(runs)
    .values({
      kind: run.kind,
      status: "running",
      direction: run.direction,
      dryRun: run.dryRun,
      full: run.full,
      target: run.target ?? null,
      startedAt: now,
      counts: rows.encodeCounts(zeroCounts),
      warnings: run.warnings === undefined || run.warnings.length === 0 ? null : rows.encodeWarnings(run.warnings)
    })
    .returning({ id: runs.id })
    .get()
  const { enqueue } = prepared(db)
  const runId = rows.toRunId(id)
  const stored: Array<StoredOperation> = []
  ops.forEach((operation, seq) => {
    const row = enqueue({ key: operation.key, runId: id, seq, operation: rows.encodeJson(operation), now })
    if (row !== undefined) stored.push(rows.enqueuedOperation(runId, seq, operation, row, now))
  })
  for (const side of run.untold ?? []) markUntold(db, side, [runId])
  return { runId, operations: stored }
}

const runRow = (id: RunId): number => {
  const row = rows.runRowId(id)
  if (row === null) throw new rows.RowError(`there is no run ${id}`)
  return row
}

export const finishRun = (
  db: Db,
  now: number,
  id: RunId,
  status: Run["status"],
  counts: Counts,
  error?: string
): void => {
  const result = db
    .update(runs)
    .set({ status, counts: rows.encodeCounts(counts), error: error ?? null, finishedAt: now })
    .where(eq(runs.id, runRow(id)))
    .run()
  if (result.changes === 0) throw new rows.RowError(`there is no run ${id}`)
}

export const listRuns = (db: Db, limit: number): Array<Run> =>
  db.select().from(runs).orderBy(desc(runs.id)).limit(limit).all().map(rows.runFromRow)

export const getRun = (db: Db, id: RunId): Run | undefined => {
  const rowId = rows.runRowId(id)
  if (rowId === null) return undefined
  const row = db.select().from(runs).where(eq(runs.id, rowId)).get()
  return row === undefined ? undefined : rows.runFromRow(row)
}

export const runOperations = (db: Db, runId: RunId): Array<StoredOperation> => {
  const rowId = rows.runRowId(runId)
  if (rowId === null) return []
  return prepared(db)
    .operationsOfRun.all({ runId: rowId })
    .map((row) => rows.operationFromRow(row))
}

export const unfinished = (db: Db): Array<StoredOperation> =>
  db
    .select()
    .from(operations)
    .where(inArray(operations.state, ["pending", "attempted"]))
    .orderBy(asc(operations.runId), asc(operations.seq))
    .all()
    .map((row) => rows.operationFromRow(row))

export const settledKeys = (db: Db): Set<string> => reads(db).settledKeys()

const parkedOf = (db: Db, row: typeof operations.$inferSelect): ParkedAction | undefined => {
  const stored = rows.operationFromRow(row)
  const action = stored.operation
  if (action._tag !== "Action") return undefined
  const targetId =
    action.target._tag === "Id"
      ? Option.some(action.target.id)
      : Option.fromNullable(linkOf(db, action.side === "left" ? "right" : "left", action.target.sourceId)).pipe(
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

export const parkedActions = (db: Db): Array<ParkedAction> =>
  db
    .select()
    .from(operations)
    .where(eq(operations.state, "parked"))
    .orderBy(asc(operations.id))
    .all()
    .flatMap((row) => parkedOf(db, row) ?? [])

export const resolveAction = (db: Db, now: number, idOrKey: string, resolution: ActionResolution): ResolvedAction => {
  const byKey = eq(operations.key, idOrKey)
  const row = db
    .select()
    .from(operations)
    .where(/^\d+$/.test(idOrKey) ? or(eq(operations.id, Number(idOrKey)), byKey) : byKey)
    .get()
  if (row === undefined) return { _tag: "Unknown" }
  const parked = parkedOf(db, row)
  const key = IdempotencyKey.make(row.key)
  if (parked === undefined) return { _tag: "NotAction", key, operation: rows.operationFromRow(row).operation._tag }
  if (row.state !== "parked") return { _tag: "NotParked", key, state: rows.operationFromRow(row).state }
  // A retry clears the attempts, or the dispatcher would take it for one that used them up and park it again.
  db.update(operations)
    .set(
      resolution === "done"
        ? { state: "done", lastError: `marked delivered by a person: ${parked.reason}`, updatedAt: now }
        : { state: "pending", attempts: 0, lastError: null, updatedAt: now }
    )
    .where(eq(operations.id, row.id))
    .run()
  return { _tag: "Resolved", action: parked }
}

const changed = (result: { readonly changes: number }, key: IdempotencyKey): void => {
  if (result.changes === 0) throw new rows.RowError(`there is no operation ${key} in the outbox`)
}

export const complete = (db: Db, now: number, key: IdempotencyKey, result: Completion, attempts = 0): void => {
  changed(
    prepared(db).completed({
      key,
      now,
      attempts,
      resultId: result.resultId ?? null,
      written: result.written === undefined ? null : rows.encodeJson(result.written),
      linkBefore: result.linkBefore === undefined ? null : rows.encodeJson(result.linkBefore),
      overwritten: result.overwritten === undefined ? null : rows.encodeJson(result.overwritten)
    }),
    key
  )
  saveLinks(db, result.links)
}

/** Applies one entry; `attempts`: attempt marks folded into this end of the operation (see `applyJournal`). */
export const applyEntry = (db: Db, now: number, entry: JournalEntry, attempts = 0): void => {
  const statements = prepared(db)
  switch (entry._tag) {
    case "Attempted":
      changed(statements.attempted(entry.key, now), entry.key)
      break
    case "Provisional":
      changed(statements.provisional(entry.key, now, entry.provisionalId), entry.key)
      break
    case "Completed":
      complete(db, now, entry.key, entry.result, attempts)
      break
    case "Failed":
      changed(statements.failed(entry.key, now, entry.state, entry.error, attempts), entry.key)
      break
    case "Outcome":
      recordOutcomes(db, [entry.outcome])
      break
    case "Links":
      saveLinks(db, entry.links)
      break
  }
}

/**
 * Applies a journal batch (one transaction) with one row write per operation where the batch holds its attempt and
 * its end: an `Attempted` followed, in the same batch, by the operation's `Completed` or `Failed` is folded into that
 * end (its attempts counted there). The end overwrites everything else the mark sets, so the row ends as the entries
 * one by one would leave it; no one reads between them, the batch commits whole or not at all.
 */
export const applyJournal = (db: Db, now: number, entries: ReadonlyArray<JournalEntry>): void => {
  const folded = new Array<number>(entries.length).fill(0)
  // the index of the nearest end of each operation after the entry being looked at
  const nextEnd = new Map<string, number>()
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!
    if (entry._tag === "Completed" || entry._tag === "Failed") nextEnd.set(entry.key, i)
    else if (entry._tag === "Attempted") {
      const end = nextEnd.get(entry.key)
      if (end !== undefined) {
        folded[end]!++
        folded[i] = -1
      }
    }
  }
  entries.forEach((entry, i) => {
    if (folded[i] !== -1) applyEntry(db, now, entry, folded[i])
  })
}

export const markRolledBack = (db: Db, now: number, key: IdempotencyKey): void =>
  changed(prepared(db).rolledBack(key, now), key)

export const recordOutcomes = (db: Db, items: ReadonlyArray<Outcome>): void => {
  const statements = prepared(db)
  for (const outcome of items) {
    statements.insertOutcome({
      runId: runRow(outcome.runId),
      side: outcome.side,
      recordId: outcome.id,
      otherId: outcome.otherId ?? null,
      operation: outcome.operation,
      outcome: outcome.outcome,
      reasons: rows.encodeJson(outcome.reasons)
    })
  }
}

export const runOutcomes = (db: Db, runId: RunId): Array<Outcome> => {
  const rowId = rows.runRowId(runId)
  if (rowId === null) return []
  return db
    .select()
    .from(outcomes)
    .where(eq(outcomes.runId, rowId))
    .orderBy(asc(outcomes.id))
    .all()
    .map(rows.outcomeFromRow)
}

export const openConflicts = (db: Db): Array<StoredConflict> =>
  db
    .select()
    .from(conflicts)
    .where(isNull(conflicts.resolution))
    .orderBy(asc(conflicts.createdAt))
    .all()
    .map(rows.conflictFromRow)

export const saveConflict = (db: Db, conflict: StoredConflict): void => {
  const values = rows.encodeConflictValues({ left: conflict.left, right: conflict.right, baseline: conflict.baseline })
  const runId = runRow(conflict.runId)
  // The same conflict found again by a later run is the same row: reopened, with the values seen now.
  db.insert(conflicts)
    .values({
      id: conflict.id,
      runId,
      leftId: conflict.leftId,
      rightId: conflict.rightId,
      field: conflict.field,
      values,
      resolution: conflict.resolution ?? null,
      createdAt: conflict.createdAt
    })
    .onConflictDoUpdate({ target: conflicts.id, set: { runId, values, resolution: conflict.resolution ?? null } })
    .run()
}

/**
 * Records the resolution and moves the pair's baseline so that the next run carries the chosen value across: the
 * losing side's baseline becomes the value it held, so only the winning side appears changed.
 */
export const resolveConflict = (db: Db, id: string, take: "left" | "right"): StoredConflict | undefined => {
  const row = db.select().from(conflicts).where(eq(conflicts.id, id)).get()
  if (row === undefined) return undefined
  db.update(conflicts).set({ resolution: take }).where(eq(conflicts.id, id)).run()
  const conflict = rows.conflictFromRow({ ...row, resolution: take })
  const link = linkOf(db, "left", conflict.leftId)
  if (link !== undefined && link.rightId === conflict.rightId) {
    const losing: Fields =
      take === "left"
        ? { ...link.right, [conflict.field]: conflict.right }
        : { ...link.left, [conflict.field]: conflict.left }
    saveLinks(db, [
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

export const getCheckpoint = (db: Db, name: string): string | undefined =>
  db.select().from(checkpoints).where(eq(checkpoints.name, name)).get()?.value

export const saveCheckpoint = (db: Db, name: string, value: string): void => {
  db.insert(checkpoints).values({ name, value }).onConflictDoUpdate({ target: checkpoints.name, set: { value } }).run()
}

/** Who holds the lease under which epoch: what a fenced instance checks each write against. */
export interface Fence {
  readonly holder: string
  readonly epoch: number
}

/** The lease's holder now, when it no longer names `fence`'s holder and epoch. */
export const fencedBy = (db: Db, fence: Fence): string | undefined => {
  const current = prepared(db).lease()
  if (current?.holder === fence.holder && current.epoch === fence.epoch) return undefined
  return current?.holder ?? "none"
}

/** The fence `holder` now holds, or undefined when another holder has the lease. */
export const acquireLease = (db: Db, now: number, holder: string, ttlMs: number): Fence | undefined => {
  const current = db.select().from(lease).where(eq(lease.id, 1)).get()
  const live = current !== undefined && current.expiresAt > now
  if (live && current.holder !== holder) return undefined
  // Only a renewal of one's own live lease keeps the epoch: any taking over raises it, fencing the previous instance.
  const epoch = live ? current.epoch : (current?.epoch ?? 0) + 1
  const expiresAt = now + ttlMs
  db.insert(lease)
    .values({ id: 1, holder, expiresAt, epoch })
    .onConflictDoUpdate({ target: lease.id, set: { holder, expiresAt, epoch } })
    .run()
  return { holder, epoch }
}

/** Frees the lease by expiring it: the row stays, so the next holder's epoch is still higher. */
export const releaseLease = (db: Db, holder: string): void => {
  db.update(lease)
    .set({ expiresAt: 0 })
    .where(and(eq(lease.id, 1), eq(lease.holder, holder)))
    .run()
}

export const acknowledged = (db: Db, side: Side, ids: ReadonlyArray<RecordId>): Map<RecordId, string> => {
  const out = new Map<RecordId, string>()
  for (const part of chunks(ids)) {
    const found = db
      .select()
      .from(acknowledgements)
      .where(and(eq(acknowledgements.side, side), inArray(acknowledgements.recordId, [...part])))
      .all()
    for (const row of found) out.set(RecordId.make(row.recordId), row.digest)
  }
  return out
}

export const saveAcknowledged = (db: Db, side: Side, digests: ReadonlyMap<RecordId, string>): void => {
  const { acknowledged } = prepared(db)
  for (const [recordId, digest] of digests) acknowledged(side, recordId, digest)
}
