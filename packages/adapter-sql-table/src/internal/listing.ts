/**
 * Listing the table in pages by id (the primary key's order: no index on the version column needed), each page one
 * statement. The checkpoint of an entry is the highest version seen so far in this listing, not the entry's own: in
 * id order the last row need not be the newest, and the last checkpoint yielded is the one the core saves.
 */
import type { AdapterError, ListRequest } from "@tongbu/core"
import { FatalError, ListEntry } from "@tongbu/core"
import type Database from "better-sqlite3"
import { Chunk, Effect, Option, Stream } from "effect"
import type { Row, Table } from "./table.js"
import { quote } from "./table.js"

interface Pages {
  readonly first: Database.Statement<Array<unknown>, Row>
  readonly after: Database.Statement<Array<unknown>, Row>
}

export interface Listing {
  readonly all: Pages
  readonly since: Pages
}

export const prepareListing = (table: Table): Listing => {
  const { idColumn, versionColumn, versionKind } = table.options
  const id = quote(idColumn)
  const version = quote(versionColumn)
  // A row without a version counts as changed: listed again, never lost. An `updatedAt` stamp equal to the
  // checkpoint may be a later write within the same millisecond: listed again too.
  const changed = `(${version} IS NULL OR ${version} ${versionKind === "counter" ? ">" : ">="} ?)`
  const pages = (where: ReadonlyArray<string>): Pages => {
    const statement = (conditions: ReadonlyArray<string>) =>
      table.sqlite
        .prepare<Array<unknown>, Row>(
          `${table.select}${conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`} ORDER BY ${id} LIMIT ?`
        )
        .raw(true)
    return { first: statement(where), after: statement([...where, `${id} > ?`]) }
  }
  return { all: pages([]), since: pages([changed]) }
}

const parseCheckpoint = (
  table: Table,
  since: Option.Option<string>
): Effect.Effect<Option.Option<number>, FatalError> =>
  Option.match(since, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (value) =>
      /^\d{1,16}$/.test(value)
        ? Effect.succeed(Option.some(Number(value)))
        : Effect.fail(
            new FatalError({
              adapter: table.options.name,
              message: `checkpoint "${value}" was not issued by this adapter (a ${table.options.versionColumn} value)`
            })
          )
  })

interface Cursor {
  readonly after: Option.Option<Row[number]>
  /** The highest version seen so far, starting from the checkpoint listed after. */
  readonly high: Option.Option<number>
}

export const list = (
  table: Table,
  listing: Listing,
  request: ListRequest,
  serially: <A, E>(effect: Effect.Effect<A, E>) => Effect.Effect<A, E>
): Stream.Stream<ListEntry, AdapterError> =>
  Stream.unwrap(
    Effect.map(parseCheckpoint(table, request.since), (since) => {
      const { pageSize, lookbackMs, versionKind } = table.options
      const pages = Option.isSome(since) ? listing.since : listing.all
      const bound = Option.map(since, (value) => (versionKind === "updatedAt" ? value - lookbackMs : value))
      const page = (cursor: Cursor) =>
        serially(
          table.attempt(`listing of ${table.options.table}`, () => {
            const rows = Option.match(cursor.after, {
              onNone: () => pages.first.all(...Option.toArray(bound), pageSize),
              onSome: (after) => pages.after.all(...Option.toArray(bound), after, pageSize)
            })
            let high = cursor.high
            const entries = rows.map((row) => {
              const record = table.toRecord(row)
              const version = row[1]
              if (
                typeof version === "number" &&
                Number.isInteger(version) &&
                Option.getOrElse(high, () => -Infinity) < version
              ) {
                high = Option.some(version)
              }
              return new ListEntry({
                id: record.id,
                record,
                ...(record.version === undefined ? {} : { version: record.version }),
                ...Option.match(high, { onNone: () => ({}), onSome: (value) => ({ checkpoint: String(value) }) })
              })
            })
            const last = rows.at(-1)
            const next: Option.Option<Cursor> =
              rows.length < pageSize || last === undefined
                ? Option.none()
                : Option.some({ after: Option.some(last[0] ?? null), high })
            return [Chunk.fromIterable(entries), next] as const
          })
        )
      return Stream.paginateChunkEffect<Cursor, ListEntry, AdapterError, never>(
        { after: Option.none(), high: since },
        page
      )
    })
  )
