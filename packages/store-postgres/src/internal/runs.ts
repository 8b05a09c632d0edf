import type { Counts, Operation, Outcome, Run, RunId, StartedRun, StartRun, StoredOperation } from "@tongbu/core"
import { StoreRows as rows, zeroCounts } from "@tongbu/core"
import { and, asc, desc, eq } from "drizzle-orm"
import { outcomes, runs } from "./schema.js"
import { changes, prepared, RowError, type Tx } from "./tx.js"
import { markUntold } from "./untold.js"

// Runs, the operations a run enqueues, and the outcomes it records.

/** Returns the rows of enqueued operations (none for a settled key), in the order of `ops`. */
const enqueueStatement = `insert into operations as o (pair_id, key, run_id, seq, operation, state, attempts, updated_at)
  select $1, k, $2, s, op, 'pending', 0, $3 from unnest($4::text[], $5::int[], $6::text[]) as t(k, s, op)
  on conflict (pair_id, key) do update set
    run_id = excluded.run_id, seq = excluded.seq, operation = excluded.operation,
    state = case when o.state = 'attempted' then 'attempted' else 'pending' end,
    attempts = 0, last_error = null, updated_at = excluded.updated_at
  where o.state not in ('done', 'parked', 'rolledBack')
  returning key, state, attempts, provisional_id as "provisionalId", result_id as "resultId", written,
    link_before as "linkBefore", overwritten, last_error as "lastError"`

/**
 * Records a new key, moves one recorded before but not settled to this run (an `attempted` one keeps its state and
 * provisional id, so the dispatcher still asks whether it landed), leaves a settled one as it is.
 */
const enqueue = async (tx: Tx, runRow: number, ops: ReadonlyArray<Operation>, from: number) => {
  const result = await prepared<rows.EnqueuedRow & { readonly key: string }>(tx, "enqueue", enqueueStatement, [
    tx.pair,
    runRow,
    tx.now,
    ops.map((op) => op.key),
    ops.map((_, i) => from + i),
    ops.map(rows.encodeJson)
  ])
  return new Map(result.rows.map((row) => [row.key, row]))
}

export const startRun = async (tx: Tx, run: StartRun, ops: ReadonlyArray<Operation>): Promise<StartedRun> => {
  const [inserted] = await tx.db
    .insert(runs)
    .values({
      pairId: tx.pair,
      kind: run.kind,
      status: "running",
      direction: run.direction,
      dryRun: run.dryRun,
      full: run.full,
      target: run.target ?? null,
      startedAt: tx.now,
      counts: rows.encodeCounts(zeroCounts),
      warnings: run.warnings === undefined || run.warnings.length === 0 ? null : rows.encodeWarnings(run.warnings)
    })
    .returning({ id: runs.id })
  if (inserted === undefined) throw new RowError("the new run was not recorded")
  const runId = rows.toRunId(inserted.id)
  const stored: Array<StoredOperation> = []
  // One statement enqueues them all, unless a key comes twice: one statement cannot upsert a row twice, so then
  // each goes alone, in order, as one after another would.
  const distinct = new Set(ops.map((op) => op.key)).size === ops.length
  const batches = distinct ? [ops] : ops.map((op) => [op])
  let seq = 0
  for (const batch of batches) {
    const enqueued = batch.length === 0 ? new Map() : await enqueue(tx, inserted.id, batch, seq)
    for (const operation of batch) {
      const row = enqueued.get(operation.key)
      if (row !== undefined) stored.push(rows.enqueuedOperation(runId, seq, operation, row, tx.now))
      seq++
    }
  }
  for (const side of run.untold ?? []) await markUntold(tx, side, [runId])
  return { runId, operations: stored }
}

export const runRow = (id: RunId): number => {
  const row = rows.runRowId(id)
  if (row === null) throw new RowError(`there is no run ${id}`)
  return row
}

const ofPair = (tx: Tx, id: number) => and(eq(runs.pairId, tx.pair), eq(runs.id, id))

export const finishRun = async (
  tx: Tx,
  id: RunId,
  status: Run["status"],
  counts: Counts,
  error?: string
): Promise<void> => {
  const result = await tx.db
    .update(runs)
    .set({ status, counts: rows.encodeCounts(counts), error: error ?? null, finishedAt: tx.now })
    .where(ofPair(tx, runRow(id)))
  if (changes(result) === 0) throw new RowError(`there is no run ${id}`)
}

export const listRuns = async (tx: Tx, limit: number): Promise<Array<Run>> =>
  (await tx.db.select().from(runs).where(eq(runs.pairId, tx.pair)).orderBy(desc(runs.id)).limit(limit)).map(
    rows.runFromRow
  )

export const getRun = async (tx: Tx, id: RunId): Promise<Run | undefined> => {
  const rowId = rows.runRowId(id)
  if (rowId === null) return undefined
  const [row] = await tx.db.select().from(runs).where(ofPair(tx, rowId))
  return row === undefined ? undefined : rows.runFromRow(row)
}

export const recordOutcomes = async (tx: Tx, items: ReadonlyArray<Outcome>): Promise<void> => {
  if (items.length === 0) return
  const runIds = items.map((outcome) => runRow(outcome.runId))
  // `with ordinality … order by` keeps the outcomes' order in their ids, which is the order they are read back in.
  await prepared(
    tx,
    "outcomes",
    `insert into outcomes (pair_id, run_id, side, record_id, other_id, operation, outcome, reasons)
     select $1, r, s, i, o, op, oc, re
     from unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       with ordinality as t(r, s, i, o, op, oc, re, n)
     order by n`,
    [
      tx.pair,
      runIds,
      items.map((o) => o.side),
      items.map((o) => o.id),
      items.map((o) => o.otherId ?? null),
      items.map((o) => o.operation),
      items.map((o) => o.outcome),
      items.map((o) => rows.encodeJson(o.reasons))
    ]
  )
}

export const runOutcomes = async (tx: Tx, runId: RunId): Promise<Array<Outcome>> => {
  const rowId = rows.runRowId(runId)
  if (rowId === null) return []
  return (
    await tx.db
      .select()
      .from(outcomes)
      .where(and(eq(outcomes.pairId, tx.pair), eq(outcomes.runId, rowId)))
      .orderBy(asc(outcomes.id))
  ).map(rows.outcomeFromRow)
}
