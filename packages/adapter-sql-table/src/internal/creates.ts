/**
 * Creates, each idempotent: through the key column (a repeat finds its row by key, in the transaction that would
 * insert) or, without one, through an id reserved before the insert, under the write lock.
 */
import { randomUUID } from "node:crypto"
import type { AdapterError, Created, CreateRequest, FindCreatedRequest, RecordId } from "@tongbu/core"
import type Database from "better-sqlite3"
import { Clock, Effect, Option } from "effect"
import type { Row, Table } from "./table.js"
import { quote, toCell } from "./table.js"
import type { Writing } from "./writing.js"

export const makeCreates = (table: Table, writing: Writing) => {
  const { sqlite, options, one } = table
  const { t, id, prepare, byKey, columnsOf, nextVersion, checkUnique } = writing
  const insert = (request: CreateRequest, rowId: number | string | undefined, now: number): Created => {
    const columns = columnsOf(request.fields, `create ${request.key}`)
    checkUnique(request.fields, null)
    const names = [
      ...columns.map(([, column]) => column),
      options.versionColumn,
      ...(options.keyColumn === undefined ? [] : [options.keyColumn]),
      ...(rowId === undefined ? [] : [options.idColumn])
    ]
    const version = nextVersion(now)
    const values = [
      ...columns.map(([field]) => toCell(request.fields[field])),
      version,
      ...(options.keyColumn === undefined ? [] : [request.key]),
      ...(rowId === undefined ? [] : [rowId])
    ]
    const sql = `INSERT INTO ${t} (${names.map(quote).join(", ")}) VALUES (${names.map(() => "?").join(", ")}) RETURNING ${id}`
    const created = String(
      prepare(sql)
        .pluck()
        .get(...values)
    ) as RecordId
    return { id: created, version: String(version) }
  }

  const reserveId = (): number | string =>
    table.shape.integerIds
      ? (sqlite.prepare<[], number | null>(`SELECT max(${id}) FROM ${t}`).pluck().get() ?? 0) + 1
      : randomUUID()

  /** With a key column: the row of an earlier attempt is found by key, else inserted, in one transaction. */
  const createByKey = (request: CreateRequest, lookup: Database.Statement<[string], Row>) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      table.attempt(`create ${request.key} in ${options.table}`, () =>
        sqlite
          .transaction((): Created => {
            const found = lookup.get(request.key)
            // an earlier attempt's row: its version now may hold someone's change since, so none is given
            return found === undefined
              ? insert(request, table.shape.integerIds ? undefined : randomUUID(), now)
              : { id: String(found[0]) as RecordId }
          })
          .immediate()
      )
    )

  /**
   * Without one: the id is chosen and recorded through `reserve` while this connection holds the write lock, then the
   * row is inserted under it; a create stopped before the commit leaves nothing, and `findCreated` reads the id back.
   */
  const createReserved = (request: CreateRequest) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const what = `create ${request.key} in ${options.table}`
      return yield* Effect.acquireUseRelease(
        table.attempt(what, () => {
          sqlite.exec("BEGIN IMMEDIATE")
          return reserveId()
        }),
        (rowId) =>
          Effect.zipRight(
            request.reserve(String(rowId)),
            table.attempt(what, () => {
              const created = insert(request, rowId, now)
              sqlite.exec("COMMIT")
              return created
            })
          ),
        () => Effect.sync(() => (sqlite.inTransaction ? sqlite.exec("ROLLBACK") : undefined))
      )
    })

  const create = (request: CreateRequest): Effect.Effect<Created, AdapterError> =>
    byKey === undefined ? createReserved(request) : createByKey(request, byKey)

  const findCreated = (request: FindCreatedRequest) =>
    table.attempt(`lookup of create ${request.key} in ${options.table}`, (): Option.Option<RecordId> => {
      if (byKey !== undefined)
        return Option.map(Option.fromNullable(byKey.get(request.key)), (row) => String(row[0]) as RecordId)
      return Option.flatMap(
        Option.flatMap(request.provisionalId, (provisional) => table.idOf(provisional as RecordId)),
        (rowId) => Option.map(Option.fromNullable(one.get(rowId)), (row) => String(row[0]) as RecordId)
      )
    })

  return { create, findCreated }
}
