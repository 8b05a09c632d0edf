import { StoreRows } from "@tongbu/core"
import type { NodePgDatabase } from "drizzle-orm/node-postgres"
import type { PoolClient, QueryResult, QueryResultRow } from "pg"

/**
 * One transaction of one pair's view: drizzle for the queries it builds well, the same connection's client for the
 * statements that bind whole arrays (`unnest`), the time the transaction was given (Effect's `Clock`).
 */
export interface Tx {
  readonly db: NodePgDatabase
  readonly client: PoolClient
  readonly pair: string
  readonly now: number
}

/** A row was asked for that the pair's store does not hold (no such run, no such operation). */
/** A row that does not decode, or a write that found nothing to change: it becomes the store's error. */
export const RowError = StoreRows.RowError

/** The rows a statement changed, as the driver counts them. */
export const changes = (result: { readonly rowCount: number | null }): number => result.rowCount ?? 0

/**
 * Runs a statement of the outbox's hot path as a named prepared statement: each connection parses and plans it once,
 * not on every batch.
 */
export const prepared = <R extends QueryResultRow>(
  tx: Tx,
  name: string,
  text: string,
  values: ReadonlyArray<unknown>
): Promise<QueryResult<R>> => tx.client.query<R>({ name: `tongbu_${name}`, text, values: [...values] })
