/**
 * A store's whole state for its pair, as dialect-free rows (`StoreRows`) in chunks: what `SyncStore.exportState` gives
 * and `importState` takes, so that a pair moves from one store to another (SQLite to PostgreSQL) keeping its history.
 */
import { Effect, Option, Schema, Stream } from "effect"
import * as rows from "./StoreRows.js"
import type { StoreError } from "./SyncStore.js"

/** The tables, in the order an export gives them and an import needs them: runs before the rows that name a run. */
export const tables = [
  "runs",
  "operations",
  "outcomes",
  "untold",
  "conflicts",
  "links",
  "checkpoints",
  "acknowledgements",
  "shown",
  "lease"
] as const
export type Table = (typeof tables)[number]

/** An outbox row with its id: the id `actions resolve` takes, kept by a copy. */
export interface OperationRow extends rows.OperationRow {
  readonly id: number
}
export interface UntoldRow {
  readonly runId: number
  readonly side: string
}
export interface CheckpointRow {
  readonly name: string
  readonly value: string
}
export interface AcknowledgementRow {
  readonly side: string
  readonly recordId: string
  readonly digest: string
}
/** The lease's holder and fencing epoch; an import keeps the epoch (so it only grows) and leaves the lease free. */
export interface LeaseRow {
  readonly holder: string
  readonly epoch: number
}

export interface Rows {
  readonly runs: rows.RunRow
  readonly operations: OperationRow
  readonly outcomes: rows.OutcomeRow
  readonly untold: UntoldRow
  readonly conflicts: rows.ConflictRow
  readonly links: rows.LinkRow
  readonly checkpoints: CheckpointRow
  readonly acknowledgements: AcknowledgementRow
  readonly shown: rows.ShownRow
  readonly lease: LeaseRow
}

/** Rows of one table, at most `batchSize` of them. */
export type Chunk = { readonly [T in Table]: { readonly table: T; readonly rows: ReadonlyArray<Rows[T]> } }[Table]

/** How many rows of each table an import copied. */
export type Counts = { readonly [T in Table]: number }

/** Rows per chunk: a store of 100k links is never held at once. */
export const batchSize = 1_000

/** The target of an import already holds rows of its pair: nothing was copied, nothing there was changed. */
export class StoreNotEmpty extends Schema.TaggedError<StoreNotEmpty>()("StoreNotEmpty", {
  /** The pair (or the store, for one that holds a single pair) named in the message. */
  pair: Schema.String,
  message: Schema.String
}) {}

/**
 * One page of a table: the rows after `after` (the last row of the previous page, absent for the first page) in the
 * table's key order, at most `batchSize`.
 */
export type Page<T extends Table> = (after: Rows[T] | undefined) => Effect.Effect<ReadonlyArray<Rows[T]>, StoreError>

export type Pages = { readonly [T in Table]: Page<T> }

const pagesOf = <T extends Table>(table: T, page: Page<T>): Stream.Stream<Chunk, StoreError> =>
  Stream.paginateEffect(Option.none<Rows[T]>(), (after) =>
    Effect.map(page(Option.getOrUndefined(after)), (found) => {
      const last = found.at(-1)
      const next = found.length < batchSize || last === undefined ? Option.none() : Option.some(Option.some(last))
      return [{ table, rows: found } as Chunk, next] as const
    })
  ).pipe(Stream.filter((chunk) => chunk.rows.length > 0))

/** A store's export from its keyset pages, table after table in `tables` order. */
export const fromPages = (pages: Pages): Stream.Stream<Chunk, StoreError> =>
  Stream.flatMap(Stream.fromIterable(tables), (table) => pagesOf(table, pages[table] as never))

export const noCounts: Counts = Object.fromEntries(tables.map((table) => [table, 0])) as Record<Table, number>

export const add = (counts: Counts, chunk: Chunk): Counts => ({
  ...counts,
  [chunk.table]: counts[chunk.table] + chunk.rows.length
})

/**
 * Reads every row of `chunk` as the store that holds it will (throwing `RowError` naming the row): an import writes
 * only rows its store can read back.
 */
export const check = (chunk: Chunk): void => {
  switch (chunk.table) {
    case "runs":
      for (const row of chunk.rows) rows.runFromRow(row)
      break
    case "operations":
      for (const row of chunk.rows) rows.operationFromRow(row)
      break
    case "outcomes":
      for (const row of chunk.rows) rows.outcomeFromRow(row)
      break
    case "untold":
      for (const row of chunk.rows) rows.decodeSide(row.side, `untold row of run ${row.runId}`)
      break
    case "conflicts":
      for (const row of chunk.rows) rows.conflictFromRow(row)
      break
    case "links":
      for (const row of chunk.rows) rows.linkFromRow(row)
      break
    case "acknowledgements":
      for (const row of chunk.rows) rows.decodeSide(row.side, `acknowledgement of ${row.recordId}`)
      break
    case "shown":
      for (const row of chunk.rows) rows.shownFromRow(row)
      break
    case "checkpoints":
    case "lease":
      break
  }
}

/** "12 runs, 340 operations, …": what an import copied, for a person. */
export const describeCounts = (counts: Counts): string => tables.map((table) => `${counts[table]} ${table}`).join(", ")
