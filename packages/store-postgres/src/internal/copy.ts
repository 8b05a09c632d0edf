import { StoreExport } from "@tongbu/core"
import { and, asc, eq, getTableColumns, type SQL, sql } from "drizzle-orm"
import type { PgColumn, PgTable } from "drizzle-orm/pg-core"
import * as t from "./schema.js"
import type { Tx } from "./tx.js"

// A pair's export, page by page in each table's key order, and its import into a pair that holds nothing yet.

interface Spec {
  readonly table: PgTable & { readonly pairId: PgColumn }
  /** The table's key within its pair, in page order. */
  readonly key: ReadonlyArray<PgColumn>
  readonly keyOf: (row: never) => ReadonlyArray<unknown>
}

const spec = {
  runs: { table: t.runs, key: [t.runs.id], keyOf: (row: StoreExport.Rows["runs"]) => [row.id] },
  operations: { table: t.operations, key: [t.operations.id], keyOf: (row: StoreExport.Rows["operations"]) => [row.id] },
  outcomes: { table: t.outcomes, key: [t.outcomes.id], keyOf: (row: StoreExport.Rows["outcomes"]) => [row.id] },
  untold: {
    table: t.untold,
    key: [t.untold.runId, t.untold.side],
    keyOf: (row: StoreExport.Rows["untold"]) => [row.runId, row.side]
  },
  conflicts: { table: t.conflicts, key: [t.conflicts.id], keyOf: (row: StoreExport.Rows["conflicts"]) => [row.id] },
  links: { table: t.links, key: [t.links.leftId], keyOf: (row: StoreExport.Rows["links"]) => [row.leftId] },
  checkpoints: {
    table: t.checkpoints,
    key: [t.checkpoints.name],
    keyOf: (row: StoreExport.Rows["checkpoints"]) => [row.name]
  },
  acknowledgements: {
    table: t.acknowledgements,
    key: [t.acknowledgements.side, t.acknowledgements.recordId],
    keyOf: (row: StoreExport.Rows["acknowledgements"]) => [row.side, row.recordId]
  },
  shown: {
    table: t.shownLinks,
    key: [t.shownLinks.side, t.shownLinks.recordId],
    keyOf: (row: StoreExport.Rows["shown"]) => [row.side, row.recordId]
  }
} satisfies { readonly [T in Exclude<StoreExport.Table, "lease">]: Spec }

const list = (items: ReadonlyArray<unknown>): SQL =>
  sql.join(
    items.map((item) => sql`${item}`),
    sql`, `
  )

/**
 * One page of a table's rows of the pair, after `after` in key order. The columns are the table's but its pair's id:
 * the rows of `StoreRows`, which every table here is declared to match.
 */
export const page = async <T extends StoreExport.Table>(
  tx: Tx,
  table: T,
  after: StoreExport.Rows[T] | undefined
): Promise<ReadonlyArray<StoreExport.Rows[T]>> => {
  if (table === "lease") {
    if (after !== undefined) return []
    const found = await tx.db
      .select({ holder: t.leases.holder, epoch: t.leases.epoch })
      .from(t.leases)
      .where(eq(t.leases.pairId, tx.pair))
    return found as unknown as ReadonlyArray<StoreExport.Rows[T]>
  }
  const { table: from, key, keyOf } = spec[table as Exclude<StoreExport.Table, "lease">] as Spec
  const { pairId, ...columns } = getTableColumns(from)
  const found = await tx.db
    .select(columns)
    .from(from)
    .where(
      and(
        eq(from.pairId, tx.pair),
        after === undefined ? undefined : sql`(${sql.join([...key], sql`, `)}) > (${list(keyOf(after as never))})`
      )
    )
    .orderBy(...key.map((column) => asc(column)))
    .limit(StoreExport.batchSize)
  return found as unknown as ReadonlyArray<StoreExport.Rows[T]>
}

const tableNames = [
  "runs",
  "operations",
  "outcomes",
  "untold",
  "conflicts",
  "links",
  "checkpoints",
  "acknowledgements",
  "shown_links",
  "leases"
]

/** Whether the pair has no row in any table (its lease included: a runner may have started on it). */
export const isEmpty = async (tx: Tx): Promise<boolean> => {
  const found = tableNames.map((name) => `exists (select 1 from ${name} where pair_id = $1)`).join(" or ")
  const result = await tx.client.query<{ found: boolean }>(`select ${found} as found`, [tx.pair])
  return result.rows[0]?.found === false
}

/** A statement binds at most 65535 parameters. */
const slices = <A>(items: ReadonlyArray<A>, size = 1_000): Array<Array<A>> => {
  const out: Array<Array<A>> = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** Writes one chunk's rows as they are, ids included, into the pair. */
export const insert = async (tx: Tx, chunk: StoreExport.Chunk): Promise<void> => {
  if (chunk.table === "lease") {
    // Free (expired), with the epoch it had: whoever takes it next raises it further.
    for (const row of chunk.rows)
      await tx.db.insert(t.leases).values({ pairId: tx.pair, holder: row.holder, expiresAt: 0, epoch: row.epoch })
    return
  }
  const { table } = spec[chunk.table] as Spec
  for (const slice of slices(chunk.rows as ReadonlyArray<object>))
    await tx.db.insert(table).values(slice.map((row) => ({ ...row, pairId: tx.pair })) as never)
}

/**
 * Moves each id sequence past the ids just imported, so that the pair's next run, operation or outcome gets a new one.
 * Only ever forward: a sequence is shared by every pair of the database.
 */
export const advanceSequences = async (tx: Tx): Promise<void> => {
  for (const table of ["runs", "operations", "outcomes"]) {
    await tx.client.query(
      `select setval(s, m) from (
         select pg_get_serial_sequence('${table}', 'id')::regclass as s, (select max(id) from ${table} where pair_id = $1) as m
       ) as t
       where m is not null and m > nextval(s)`,
      [tx.pair]
    )
  }
}
