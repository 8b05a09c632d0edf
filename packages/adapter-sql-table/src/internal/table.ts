/** The open table: its statements, how every statement runs (library errors typed), and rows as records. */
import type { AdapterError, FieldValue, RecordId } from "@tongbu/core"
import { CollisionError, FatalError, isAdapterError, RejectedError, SideRecord, TransientError } from "@tongbu/core"
import type Database from "better-sqlite3"
import { Effect, Option } from "effect"
import type { SqlTableOptions } from "../SqlTableConfig.js"
import type { TableShape } from "../SqlTableDatabase.js"

/** A configured name in a statement: `Identifier` allows no quote, so quoting cannot be escaped. */
export const quote = (name: string): string => `"${name}"`

/** What better-sqlite3 hands back for a column, in raw (array) mode. */
type Cell = string | number | bigint | Buffer | null
export type Row = ReadonlyArray<Cell>

export interface Table {
  readonly sqlite: Database.Database
  readonly options: SqlTableOptions
  readonly shape: TableShape
  /** Record fields in the order of the select list, after the id and the version. */
  readonly fields: ReadonlyArray<string>
  /** `SELECT id, version, <columns> FROM table`, for the `WHERE` a statement adds. */
  readonly select: string
  /** The row of one id, in raw (array) mode. */
  readonly one: Database.Statement<[number | string], Row>
  /** Runs one statement or one short transaction; every throw becomes an `AdapterError` naming `what`. */
  readonly attempt: <A>(what: string, run: () => A) => Effect.Effect<A, AdapterError>
  /** The id as the column stores it; none for an id this table could never hold ("x" for integer ids). */
  readonly idOf: (id: RecordId) => Option.Option<number | string>
  readonly toRecord: (row: Row) => SideRecord
}

const sqliteCode = (cause: unknown): string =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string" ? cause.code : ""

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** A value as SQLite stores it: booleans as 1 and 0, as SQLite has no boolean. */
export const toCell = (value: FieldValue | undefined): string | number | null =>
  value === undefined || value === null ? null : typeof value === "boolean" ? (value ? 1 : 0) : value

export const sameValue = (a: FieldValue | undefined, b: FieldValue | undefined): boolean => toCell(a) === toCell(b)

export const makeTable = (sqlite: Database.Database, options: SqlTableOptions, shape: TableShape): Table => {
  const { name, table } = options
  const fields = Object.keys(options.columns)
  const columns = [options.idColumn, options.versionColumn, ...fields.map((field) => options.columns[field] ?? "")]
  const fieldOf = new Map(fields.map((field) => [options.columns[field], field]))

  const toAdapterError = (what: string, cause: unknown): AdapterError => {
    if (isAdapterError(cause)) return cause
    const code = sqliteCode(cause)
    const message = `${what}: ${describe(cause)}`
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
      return new TransientError({
        adapter: name,
        message: `${what}: ${table} stayed locked by another writer for ${options.busyTimeoutMs} ms (${code})`
      })
    }
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
      const column = /: \w+\.(\w+)/.exec(describe(cause))?.[1] ?? options.idColumn
      return new CollisionError({ adapter: name, message, field: fieldOf.get(column) ?? column })
    }
    if (code.startsWith("SQLITE_CONSTRAINT") || code === "SQLITE_MISMATCH" || code === "SQLITE_TOOBIG") {
      return new RejectedError({ adapter: name, message })
    }
    if (/^SQLITE_(IOERR|INTERRUPT|PROTOCOL|NOMEM|FULL)/.test(code))
      return new TransientError({ adapter: name, message })
    return new FatalError({ adapter: name, message })
  }

  const toValue = (cell: Cell, column: string, id: Cell): FieldValue => {
    if (cell === null || typeof cell === "string") return cell
    if (typeof cell === "number") return Object.is(cell, -0) ? 0 : cell
    if (typeof cell === "bigint") return Number(cell)
    throw new FatalError({
      adapter: name,
      message: `column ${table}.${column} of row ${String(id)} holds binary data: map only text and number columns`
    })
  }

  const select = `SELECT ${columns.map(quote).join(", ")} FROM ${quote(table)}`
  return {
    sqlite,
    options,
    shape,
    fields,
    select,
    one: sqlite.prepare<[number | string], Row>(`${select} WHERE ${quote(options.idColumn)} = ?`).raw(true),
    attempt: (what, run) => Effect.try({ try: run, catch: (cause) => toAdapterError(what, cause) }),
    idOf: (id) => {
      if (!shape.integerIds) return Option.some(id)
      const n = Number(id)
      return /^-?\d{1,16}$/.test(id) && Number.isSafeInteger(n) ? Option.some(n) : Option.none()
    },
    toRecord: (row) => {
      const [id, version] = row
      const record: Record<string, FieldValue> = {}
      fields.forEach((field, i) => {
        record[field] = toValue(row[i + 2] ?? null, columns[i + 2] ?? field, id ?? null)
      })
      const stamp = typeof version === "number" ? version : undefined
      return new SideRecord({
        id: String(id) as RecordId,
        fields: record,
        ...(version === null || version === undefined ? {} : { version: String(version) }),
        ...(options.versionKind === "updatedAt" && stamp !== undefined ? { updatedAt: stamp } : {})
      })
    }
  }
}
