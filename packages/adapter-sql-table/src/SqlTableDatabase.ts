/**
 * Opening the user's SQLite file and checking the configured table against it: the table and every configured
 * column must exist, the id column must be unique. The adapter never creates or alters anything in the file.
 */
import Database from "better-sqlite3"
import type { Scope } from "effect"
import { Effect, Schema } from "effect"
import type { SqlTableOptions } from "./SqlTableConfig.js"

/** The file is not there, or is not a SQLite database that can be opened. */
export class SqlTableOpenError extends Schema.TaggedError<SqlTableOpenError>()("SqlTableOpenError", {
  path: Schema.String,
  message: Schema.String
}) {}

/** The table lacks what the configuration names (`problems` lists each, e.g. `column customers.mobile is missing`). */
export class SqlTableSchemaError extends Schema.TaggedError<SqlTableSchemaError>()("SqlTableSchemaError", {
  path: Schema.String,
  problems: Schema.Array(Schema.String),
  message: Schema.String
}) {}

/** What the adapter learned about the table when it opened it. */
export interface TableShape {
  /** The id column holds integers (its declared type has INT): record ids are their decimal form. */
  readonly integerIds: boolean
  /** Record fields no two rows may share: the table's single-column unique indexes and the configured `unique`. */
  readonly unique: ReadonlyArray<string>
}

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

interface ColumnInfo {
  readonly name: string
  readonly type: string
  readonly pk: number
}

/** The table as configured, or every way it differs from the configuration. */
export const inspectTable = (
  sqlite: Database.Database,
  options: SqlTableOptions
): { readonly shape: TableShape; readonly problems: ReadonlyArray<string> } => {
  const { table } = options
  const info = sqlite.prepare<[string], ColumnInfo>("SELECT name, type, pk FROM pragma_table_info(?)").all(table)
  if (info.length === 0) return { shape: { integerIds: false, unique: [] }, problems: [`table ${table} is missing`] }
  const byName = new Map(info.map((column) => [column.name, column]))
  const named: Array<[string, string]> = [
    ["idColumn", options.idColumn],
    ["versionColumn", options.versionColumn],
    ...Object.entries(options.columns).map(([field, column]): [string, string] => [`columns.${field}`, column]),
    ...(options.keyColumn === undefined ? [] : [["keyColumn", options.keyColumn] as [string, string]])
  ]
  const problems = named
    .filter(([, column]) => !byName.has(column))
    .map(([key, column]) => `column ${table}.${column} (${key}) is missing`)
  const uniqueColumns = new Set<string>()
  const primary = info.filter((column) => column.pk > 0)
  if (primary.length === 1 && primary[0]) uniqueColumns.add(primary[0].name)
  const indexes = sqlite.prepare<[string], { name: string; unique: number }>(
    'SELECT name, "unique" FROM pragma_index_list(?)'
  )
  const indexColumns = sqlite.prepare<[string], string>("SELECT name FROM pragma_index_info(?)").pluck()
  for (const index of indexes.all(table)) {
    const columns = indexColumns.all(index.name)
    if (index.unique === 1 && columns.length === 1 && columns[0] !== undefined) uniqueColumns.add(columns[0])
  }
  if (byName.has(options.idColumn) && !uniqueColumns.has(options.idColumn)) {
    problems.push(`column ${table}.${options.idColumn} (idColumn) is neither the primary key nor unique`)
  }
  for (const field of options.unique) {
    if (!(field in options.columns)) problems.push(`unique field ${field} is not one of columns`)
  }
  const unique = Object.entries(options.columns)
    .filter(([field, column]) => uniqueColumns.has(column) || options.unique.includes(field))
    .map(([field]) => field)
  const idType = byName.get(options.idColumn)?.type.toUpperCase() ?? ""
  return { shape: { integerIds: idType.includes("INT"), unique }, problems }
}

/** Opens the file and checks the table; the connection is closed when the scope closes. */
export const openSqlTable = (
  options: SqlTableOptions
): Effect.Effect<
  { readonly sqlite: Database.Database; readonly shape: TableShape },
  SqlTableOpenError | SqlTableSchemaError,
  Scope.Scope
> => {
  const { path } = options
  return Effect.gen(function* () {
    const sqlite = yield* Effect.acquireRelease(
      Effect.try({
        try: () => new Database(path, { fileMustExist: true, timeout: options.busyTimeoutMs }),
        catch: (cause) =>
          new SqlTableOpenError({ path, message: `cannot open the SQLite file ${path}: ${describe(cause)}` })
      }),
      (db) => Effect.sync(() => db.close())
    )
    const { shape, problems } = yield* Effect.try({
      try: () => inspectTable(sqlite, options),
      catch: (cause) =>
        new SqlTableOpenError({ path, message: `cannot read the SQLite file ${path}: ${describe(cause)}` })
    })
    if (problems.length > 0) {
      return yield* new SqlTableSchemaError({
        path,
        problems,
        message: `${path} does not hold the table the sync is configured for: ${problems.join("; ")}`
      })
    }
    return { sqlite, shape }
  })
}
