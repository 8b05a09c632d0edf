import type { RunId, Side, Untold } from "@tongbu/core"
import { StoreRows } from "@tongbu/core"
import { desc, eq } from "drizzle-orm"
import { untold } from "./schema.js"
import { RowError, type Tx } from "./tx.js"

// Which side of which run has not been told the run's outcomes yet (see `SyncStore.untold`).

const rowIds = (runIds: ReadonlyArray<RunId>): Array<number> =>
  runIds.map((id) => {
    const row = StoreRows.runRowId(id)
    if (row === null) throw new RowError(`there is no run ${id}`)
    return row
  })

export const pending = async (tx: Tx): Promise<Array<Untold>> =>
  (await tx.db.select().from(untold).where(eq(untold.pairId, tx.pair)).orderBy(desc(untold.runId), untold.side)).map(
    (row) => ({
      runId: StoreRows.toRunId(row.runId),
      side: StoreRows.decodeSide(row.side, `untold row ${row.runId}/${row.side}`)
    })
  )

export const markUntold = async (tx: Tx, side: Side, runIds: ReadonlyArray<RunId>): Promise<void> => {
  if (runIds.length === 0) return
  await tx.client.query(
    `insert into untold (pair_id, run_id, side) select $1, r, $2 from unnest($3::bigint[]) as t(r)
     on conflict do nothing`,
    [tx.pair, side, rowIds(runIds)]
  )
}

export const markTold = async (tx: Tx, side: Side, runIds: ReadonlyArray<RunId>): Promise<void> => {
  if (runIds.length === 0) return
  await tx.client.query("delete from untold where pair_id = $1 and side = $2 and run_id = any($3::bigint[])", [
    tx.pair,
    side,
    rowIds(runIds)
  ])
}
