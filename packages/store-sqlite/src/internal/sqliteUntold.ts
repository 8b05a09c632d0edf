import type { RunId, Untold } from "@tongbu/core"
import { type Side, StoreRows } from "@tongbu/core"
import { and, desc, eq, inArray } from "drizzle-orm"
import { untold } from "./schema.js"
import type { Db } from "./sqlitePrepared.js"

// Which side of which run has not been told the run's outcomes yet (see `SyncStore.untold`).

/** SQLite allows a bounded number of parameters per statement. */
const CHUNK = 500

const rowIds = (runIds: ReadonlyArray<RunId>): Array<number> =>
  runIds.map((id) => {
    const row = StoreRows.runRowId(id)
    if (row === null) throw new StoreRows.RowError(`there is no run ${id}`)
    return row
  })

export const pending = (db: Db): Array<Untold> =>
  db
    .select()
    .from(untold)
    .orderBy(desc(untold.runId), untold.side)
    .all()
    .map((row) => ({
      runId: StoreRows.toRunId(row.runId),
      side: StoreRows.decodeSide(row.side, `untold row ${row.runId}/${row.side}`)
    }))

export const markUntold = (db: Db, side: Side, runIds: ReadonlyArray<RunId>): void => {
  for (const runId of rowIds(runIds)) db.insert(untold).values({ runId, side }).onConflictDoNothing().run()
}

export const markTold = (db: Db, side: Side, runIds: ReadonlyArray<RunId>): void => {
  const rows = rowIds(runIds)
  for (let i = 0; i < rows.length; i += CHUNK)
    db.delete(untold)
      .where(and(eq(untold.side, side), inArray(untold.runId, rows.slice(i, i + CHUNK))))
      .run()
}
