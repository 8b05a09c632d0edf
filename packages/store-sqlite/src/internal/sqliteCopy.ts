import { StoreExport } from "@tongbu/core"
import { and, asc, eq, gt, or } from "drizzle-orm"
import type { SQLiteColumn } from "drizzle-orm/sqlite-core"
import * as t from "./schema.js"
import type { Db } from "./sqlitePrepared.js"

// The store's export, page by page in each table's key order, and its import: synchronous like the rest of the
// store's SQL, each call inside a transaction SqliteStore opens.

const limit = StoreExport.batchSize

/** After (a, b) in the order of the key (a, b). */
const afterPair = (a: SQLiteColumn, b: SQLiteColumn, after: readonly [unknown, unknown]) =>
  or(gt(a, after[0]), and(eq(a, after[0]), gt(b, after[1])))

type Pages = {
  readonly [T in StoreExport.Table]: (
    db: Db,
    after: StoreExport.Rows[T] | undefined
  ) => ReadonlyArray<StoreExport.Rows[T]>
}

export const pages: Pages = {
  runs: (db, after) =>
    db
      .select()
      .from(t.runs)
      .where(after === undefined ? undefined : gt(t.runs.id, after.id))
      .orderBy(asc(t.runs.id))
      .limit(limit)
      .all(),
  operations: (db, after) =>
    db
      .select()
      .from(t.operations)
      .where(after === undefined ? undefined : gt(t.operations.id, after.id))
      .orderBy(asc(t.operations.id))
      .limit(limit)
      .all(),
  outcomes: (db, after) =>
    db
      .select()
      .from(t.outcomes)
      .where(after === undefined ? undefined : gt(t.outcomes.id, after.id))
      .orderBy(asc(t.outcomes.id))
      .limit(limit)
      .all(),
  untold: (db, after) =>
    db
      .select()
      .from(t.untold)
      .where(after === undefined ? undefined : afterPair(t.untold.runId, t.untold.side, [after.runId, after.side]))
      .orderBy(asc(t.untold.runId), asc(t.untold.side))
      .limit(limit)
      .all(),
  conflicts: (db, after) =>
    db
      .select()
      .from(t.conflicts)
      .where(after === undefined ? undefined : gt(t.conflicts.id, after.id))
      .orderBy(asc(t.conflicts.id))
      .limit(limit)
      .all(),
  links: (db, after) =>
    db
      .select()
      .from(t.links)
      .where(after === undefined ? undefined : gt(t.links.leftId, after.leftId))
      .orderBy(asc(t.links.leftId))
      .limit(limit)
      .all(),
  checkpoints: (db, after) =>
    db
      .select()
      .from(t.checkpoints)
      .where(after === undefined ? undefined : gt(t.checkpoints.name, after.name))
      .orderBy(asc(t.checkpoints.name))
      .limit(limit)
      .all(),
  acknowledgements: (db, after) =>
    db
      .select()
      .from(t.acknowledgements)
      .where(
        after === undefined
          ? undefined
          : afterPair(t.acknowledgements.side, t.acknowledgements.recordId, [after.side, after.recordId])
      )
      .orderBy(asc(t.acknowledgements.side), asc(t.acknowledgements.recordId))
      .limit(limit)
      .all(),
  shown: (db, after) =>
    db
      .select()
      .from(t.shownLinks)
      .where(
        after === undefined
          ? undefined
          : afterPair(t.shownLinks.side, t.shownLinks.recordId, [after.side, after.recordId])
      )
      .orderBy(asc(t.shownLinks.side), asc(t.shownLinks.recordId))
      .limit(limit)
      .all(),
  lease: (db, after) =>
    after === undefined ? db.select({ holder: t.lease.holder, epoch: t.lease.epoch }).from(t.lease).limit(1).all() : []
}

const everyTable = [
  t.runs,
  t.operations,
  t.outcomes,
  t.untold,
  t.conflicts,
  t.links,
  t.checkpoints,
  t.acknowledgements,
  t.shownLinks,
  t.lease
]

/** Whether the store holds any row at all (a file holds one pair). */
export const isEmpty = (db: Db): boolean =>
  everyTable.every((table) => db.select().from(table).limit(1).all().length === 0)

/** SQLite binds a bounded number of parameters per statement. */
const slices = <A>(items: ReadonlyArray<A>, size = 200): Array<Array<A>> => {
  const out: Array<Array<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

type Target = readonly [(typeof everyTable)[number], ReadonlyArray<object>]

const targetOf = (chunk: StoreExport.Chunk): Target => {
  switch (chunk.table) {
    case "runs":
      return [t.runs, chunk.rows]
    case "operations":
      return [t.operations, chunk.rows]
    case "outcomes":
      return [t.outcomes, chunk.rows]
    case "untold":
      return [t.untold, chunk.rows]
    case "conflicts":
      return [t.conflicts, chunk.rows]
    case "links":
      return [t.links, chunk.rows]
    case "checkpoints":
      return [t.checkpoints, chunk.rows]
    case "acknowledgements":
      return [t.acknowledgements, chunk.rows]
    case "shown":
      return [t.shownLinks, chunk.rows]
    case "lease":
      // Free (expired), with the epoch it had: whoever takes it next raises it further.
      return [t.lease, chunk.rows.map((row) => ({ id: 1, holder: row.holder, expiresAt: 0, epoch: row.epoch }))]
  }
}

/** Writes one chunk's rows as they are (ids included: an autoincrement table's counter follows the largest). */
export const insert = (db: Db, chunk: StoreExport.Chunk): void => {
  const [table, values] = targetOf(chunk)
  for (const slice of slices(values))
    db.insert(table)
      .values(slice as never)
      .run()
}
