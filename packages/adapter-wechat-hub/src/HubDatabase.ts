/**
 * Opening the hub's SQLite file: it must exist, be SQLite, and hold every table and column the adapter uses. The
 * adapter never creates or alters hub tables, so a missing column is reported precisely and the adapter stops.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs"
import Database from "better-sqlite3"
import type { Scope } from "effect"
import { Effect, Schema } from "effect"
import type { HubOptions } from "./HubConfig.js"
import { requiredColumns } from "./HubSchema.js"

/** The file is not there, not a SQLite database, or cannot be opened. */
export class HubOpenError extends Schema.TaggedError<HubOpenError>()("HubOpenError", {
  path: Schema.String,
  message: Schema.String
}) {}

/** The file lacks tables or columns the adapter needs (`missing` lists each, e.g. `customers_unified.phone is missing`). */
export class HubSchemaError extends Schema.TaggedError<HubSchemaError>()("HubSchemaError", {
  path: Schema.String,
  missing: Schema.Array(Schema.String),
  message: Schema.String
}) {}

const SQLITE_HEADER = "SQLite format 3\u0000"

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

const checkFile = (path: string): Effect.Effect<void, HubOpenError> =>
  Effect.try({
    try: () => {
      const stat = statSync(path)
      if (!stat.isFile()) return `${path} is not a file`
      if (stat.size === 0) return `${path} is empty, not a hub database`
      const fd = openSync(path, "r")
      try {
        const header = Buffer.alloc(16)
        readSync(fd, header, 0, 16, 0)
        return header.toString("latin1") === SQLITE_HEADER ? null : `${path} is not a SQLite database`
      } finally {
        closeSync(fd)
      }
    },
    catch: (cause) =>
      new HubOpenError({
        path,
        message:
          (cause as NodeJS.ErrnoException).code === "ENOENT"
            ? `no hub database at ${path}`
            : `cannot read the hub database ${path}: ${describe(cause)}`
      })
  }).pipe(Effect.flatMap((problem) => (problem === null ? Effect.void : new HubOpenError({ path, message: problem }))))

/** Every required table or column the open database lacks, in words: `customers_unified.erp_sync_status is missing`. */
export const missingColumns = (sqlite: Database.Database): ReadonlyArray<string> => {
  const columnsOf = sqlite.prepare<[string], string>("SELECT name FROM pragma_table_info(?)").pluck()
  const missing: Array<string> = []
  for (const [table, columns] of Object.entries(requiredColumns)) {
    const present = new Set(columnsOf.all(table))
    if (present.size === 0) missing.push(`table ${table} is missing`)
    else for (const column of columns) if (!present.has(column)) missing.push(`${table}.${column} is missing`)
  }
  return missing
}

/** WAL lets the hub keep writing while the sync reads; the hub normally runs in WAL already. */
const ensureWal = (sqlite: Database.Database, path: string): Effect.Effect<void> =>
  Effect.try(() => String(sqlite.pragma("journal_mode = WAL", { simple: true }))).pipe(
    Effect.flatMap((mode) =>
      mode.toLowerCase() === "wal"
        ? Effect.void
        : Effect.logWarning(`the hub database ${path} stays in ${mode} journal mode (WAL was refused)`)
    ),
    Effect.catchAll((cause) =>
      Effect.logWarning(`could not switch the hub database ${path} to WAL mode: ${describe(cause.error)}`)
    )
  )

/** Opens and checks the hub file; the connection is closed when the scope closes. */
export const openHubDatabase = (
  options: Pick<HubOptions, "path" | "busyTimeoutMs">
): Effect.Effect<Database.Database, HubOpenError | HubSchemaError, Scope.Scope> => {
  const { path } = options
  return Effect.gen(function* () {
    yield* checkFile(path)
    const sqlite = yield* Effect.acquireRelease(
      Effect.try({
        try: () => new Database(path, { fileMustExist: true, timeout: options.busyTimeoutMs }),
        catch: (cause) =>
          new HubOpenError({ path, message: `cannot open the hub database ${path}: ${describe(cause)}` })
      }),
      (db) => Effect.sync(() => db.close())
    )
    const missing = yield* Effect.try({
      try: () => missingColumns(sqlite),
      catch: (cause) => new HubOpenError({ path, message: `cannot read the hub database ${path}: ${describe(cause)}` })
    })
    if (missing.length > 0) {
      return yield* new HubSchemaError({
        path,
        missing,
        message: `the hub database ${path} lacks what the sync needs: ${missing.join("; ")}`
      })
    }
    yield* ensureWal(sqlite, path)
    return sqlite
  })
}

/**
 * For `tongbu check`: the required tables and columns the hub file lacks, read through a read-only connection so a
 * check changes nothing (not even the journal mode `openHubDatabase` sets).
 */
export const inspectHubDatabase = (path: string): Effect.Effect<ReadonlyArray<string>, HubOpenError> =>
  checkFile(path).pipe(
    Effect.zipRight(
      Effect.try({
        try: () => {
          const sqlite = new Database(path, { readonly: true, fileMustExist: true })
          try {
            return missingColumns(sqlite)
          } finally {
            sqlite.close()
          }
        },
        catch: (cause) =>
          new HubOpenError({ path, message: `cannot read the hub database ${path}: ${describe(cause)}` })
      })
    )
  )
