/**
 * Creates, compare-and-set updates and compensation, each one SQLite transaction. A create is idempotent through the
 * key column (a repeat finds its row by key) or, without one, through an id reserved before the insert.
 */
import { randomUUID } from "node:crypto"
import type {
  AdapterError,
  CompensateRequest,
  Compensation,
  CreateRequest,
  Fields,
  FindCreatedRequest,
  RecordId,
  Updated,
  UpdateRequest
} from "@tongbu/core"
import { CollisionError, RejectedError, StaleError } from "@tongbu/core"
import type Database from "better-sqlite3"
import { Clock, Effect, Option } from "effect"
import type { Row, Table } from "./table.js"
import { quote, sameValue, toCell } from "./table.js"

export const makeWrites = (table: Table) => {
  const { sqlite, options } = table
  const { name } = options
  const t = quote(options.table)
  const id = quote(options.idColumn)
  const version = quote(options.versionColumn)
  const statements = new Map<string, Database.Statement>()
  // Statements are built only from configured, validated names; the cache keeps one per set of columns written.
  const prepare = (sql: string): Database.Statement => {
    const cached = statements.get(sql)
    if (cached !== undefined) return cached
    const statement = sqlite.prepare(sql)
    statements.set(sql, statement)
    return statement
  }
  const { one } = table
  const maxVersion = sqlite.prepare<[], number | null>(`SELECT max(${version}) FROM ${t}`).pluck()
  const key = options.keyColumn === undefined ? undefined : quote(options.keyColumn)
  const byKey =
    key === undefined ? undefined : sqlite.prepare<[string], Row>(`SELECT ${id} FROM ${t} WHERE ${key} = ?`).raw(true)
  const keyOf =
    key === undefined
      ? undefined
      : sqlite.prepare<[number | string], unknown>(`SELECT ${key} FROM ${t} WHERE ${id} = ?`).pluck()
  const holders = new Map(
    table.shape.unique.map((field) => {
      const column = quote(options.columns[field] ?? field)
      return [
        field,
        sqlite
          .prepare<[unknown, unknown], unknown>(`SELECT ${id} FROM ${t} WHERE ${column} = ? AND ${id} IS NOT ? LIMIT 1`)
          .pluck()
      ]
    })
  )

  const columnsOf = (fields: Fields, what: string): ReadonlyArray<readonly [string, string]> =>
    Object.keys(fields).map((field) => {
      const column = options.columns[field]
      if (column === undefined) {
        throw new RejectedError({
          adapter: name,
          field,
          message: `${what}: ${field} is not a field of ${options.table} (fields: ${table.fields.join(", ")})`
        })
      }
      return [field, column] as const
    })

  /** The table-wide next version: above every row's, and for `updatedAt` at least now. */
  const nextVersion = (now: number): number => {
    const high = maxVersion.get() ?? 0
    return options.versionKind === "counter" ? high + 1 : Math.max(now, high + 1)
  }

  const checkUnique = (fields: Fields, self: number | string | null): void => {
    for (const [field, holder] of holders) {
      const value = toCell(fields[field])
      if (value === null || !(field in fields)) continue
      const found = holder.get(value, self)
      if (found !== undefined) {
        throw new CollisionError({
          adapter: name,
          field,
          collidingId: String(found) as RecordId,
          message: `${field} already belongs to record ${String(found)} of ${options.table}`
        })
      }
    }
  }

  const insert = (request: CreateRequest, rowId: number | string | undefined, now: number): RecordId => {
    const columns = columnsOf(request.fields, `create ${request.key}`)
    checkUnique(request.fields, null)
    const names = [
      ...columns.map(([, column]) => column),
      options.versionColumn,
      ...(options.keyColumn === undefined ? [] : [options.keyColumn]),
      ...(rowId === undefined ? [] : [options.idColumn])
    ]
    const values = [
      ...columns.map(([field]) => toCell(request.fields[field])),
      nextVersion(now),
      ...(options.keyColumn === undefined ? [] : [request.key]),
      ...(rowId === undefined ? [] : [rowId])
    ]
    const sql = `INSERT INTO ${t} (${names.map(quote).join(", ")}) VALUES (${names.map(() => "?").join(", ")}) RETURNING ${id}`
    return String(
      prepare(sql)
        .pluck()
        .get(...values)
    ) as RecordId
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
          .transaction(() => {
            const found = lookup.get(request.key)
            return found === undefined
              ? insert(request, table.shape.integerIds ? undefined : randomUUID(), now)
              : (String(found[0]) as RecordId)
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

  const create = (request: CreateRequest): Effect.Effect<RecordId, AdapterError> =>
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

  const missing = (recordId: RecordId, what: string) =>
    new RejectedError({ adapter: name, message: `cannot ${what}: no record ${recordId} in ${options.table}` })

  const update = (request: UpdateRequest) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      table.attempt(
        `update ${request.key} of ${options.table} ${request.id}`,
        (): Updated =>
          sqlite
            .transaction((): Updated => {
              const rowId = Option.getOrUndefined(table.idOf(request.id))
              const row = rowId === undefined ? undefined : one.get(rowId)
              if (rowId === undefined || row === undefined) throw missing(request.id, "update")
              const current = table.toRecord(row).fields
              const columns = columnsOf(request.changes, `update ${request.key}`)
              const pending = columns.filter(([field]) => !sameValue(current[field], request.changes[field]))
              if (pending.length === 0) return { overwritten: {} }
              const moved = pending.find(([field]) => !sameValue(current[field], request.expected[field]))
              if (moved !== undefined) {
                const message = `${moved[0]} of record ${request.id} in ${options.table} changed since it was read`
                throw new StaleError({ adapter: name, field: moved[0], message })
              }
              checkUnique(Object.fromEntries(pending.map(([field]) => [field, request.changes[field] ?? null])), rowId)
              const sets = [...pending.map(([, column]) => `${quote(column)} = ?`), `${version} = ?`]
              prepare(`UPDATE ${t} SET ${sets.join(", ")} WHERE ${id} = ?`).run(
                ...pending.map(([field]) => toCell(request.changes[field])),
                nextVersion(now),
                rowId
              )
              return { overwritten: Object.fromEntries(pending.map(([field]) => [field, current[field] ?? null])) }
            })
            .immediate()
      )
    )

  /** Deletes the row while it still holds everything the sync last wrote to it; a row someone changed is kept. */
  const compensateCreate = (request: CompensateRequest) =>
    table.attempt(
      `deletion of created record ${request.id} of ${options.table}`,
      (): Compensation =>
        sqlite
          .transaction((): Compensation => {
            const rowId = Option.getOrUndefined(table.idOf(request.id))
            const row = rowId === undefined ? undefined : one.get(rowId)
            if (rowId === undefined || row === undefined) return { _tag: "Deleted" }
            if (keyOf !== undefined) {
              if (keyOf.get(rowId) !== request.key) {
                throw new RejectedError({
                  adapter: name,
                  message: `record ${request.id} of ${options.table} was not made by create ${request.key}; it is kept`
                })
              }
            }
            const current = table.toRecord(row).fields
            const changed = Object.keys(request.written).filter(
              (field) => field in options.columns && !sameValue(current[field], request.written[field])
            )
            if (changed.length > 0) {
              return {
                _tag: "Kept",
                note: `record ${request.id} of ${options.table} was changed since the sync wrote it (${changed.join(", ")}); kept`
              }
            }
            prepare(`DELETE FROM ${t} WHERE ${id} = ?`).run(rowId)
            return { _tag: "Deleted" }
          })
          .immediate()
    )

  return { create, findCreated, update, compensateCreate }
}
