import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Fields, RecordId } from "@tongbu/core"
import Database from "better-sqlite3"
import { Effect } from "effect"
import type { SqlTableOptionsInput } from "../src/index.js"

export type VersionKind = "counter" | "updatedAt"

/** A customer table as a team's own system might hold it: integer or text ids, a unique mobile, a version column. */
export const customerTable = (options: { readonly textIds?: boolean; readonly keyColumn?: boolean } = {}) =>
  `CREATE TABLE customers (
    ${options.textIds ? "code TEXT PRIMARY KEY" : "id INTEGER PRIMARY KEY"},
    full_name TEXT NOT NULL,
    mobile TEXT UNIQUE,
    level INTEGER,
    row_version INTEGER,
    note TEXT${options.keyColumn ? ",\n    sync_key TEXT UNIQUE" : ""}
  )`

/** A fresh SQLite file holding `ddl`, removed when the scope closes; `db` is a person's own connection to it. */
export const tempDatabase = (ddl: string) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const dir = mkdtempSync(join(tmpdir(), "tongbu-sql-table-"))
      const path = join(dir, "crm.db")
      const db = new Database(path)
      db.exec(ddl)
      return { dir, path, db }
    }),
    ({ dir, db }) =>
      Effect.sync(() => {
        db.close()
        rmSync(dir, { recursive: true, force: true })
      })
  )

export const baseOptions = (path: string, extra: Partial<SqlTableOptionsInput> = {}): SqlTableOptionsInput => ({
  path,
  table: "customers",
  idColumn: "id",
  columns: { name: "full_name", mobile: "mobile", level: "level" },
  versionColumn: "row_version",
  ...extra
})

/** A person edits a row in the team's own application, which bumps the version the way the README asks. */
export const personEdits = (db: Database.Database, idColumn: string) => (id: RecordId, fields: Fields) =>
  Effect.sync(() => {
    const columns: Record<string, string> = { name: "full_name", mobile: "mobile", level: "level" }
    for (const [field, value] of Object.entries(fields)) {
      db.prepare(
        `UPDATE customers SET ${columns[field]} = ?, row_version = (SELECT coalesce(max(row_version), 0) + 1 FROM customers) WHERE ${idColumn} = ?`
      ).run(value, id)
    }
  })
