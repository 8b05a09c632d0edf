/**
 * What every write on the table shares: statements built only from configured, validated names (one cached per set of
 * columns written), the configured fields' columns, the next version, and the unique-field check naming the holder.
 */
import type { Fields, RecordId } from "@tongbu/core"
import { CollisionError, RejectedError } from "@tongbu/core"
import type Database from "better-sqlite3"
import type { Row, Table } from "./table.js"
import { quote, toCell } from "./table.js"

export type Writing = ReturnType<typeof makeWriting>

export const makeWriting = (table: Table) => {
  const { sqlite, options } = table
  const { name } = options
  const t = quote(options.table)
  const id = quote(options.idColumn)
  const version = quote(options.versionColumn)
  const statements = new Map<string, Database.Statement>()
  const prepare = (sql: string): Database.Statement => {
    const cached = statements.get(sql)
    if (cached !== undefined) return cached
    const statement = sqlite.prepare(sql)
    statements.set(sql, statement)
    return statement
  }
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

  const missing = (recordId: RecordId, what: string) =>
    new RejectedError({ adapter: name, message: `cannot ${what}: no record ${recordId} in ${options.table}` })

  return { t, id, version, prepare, byKey, keyOf, columnsOf, nextVersion, checkUnique, missing }
}
