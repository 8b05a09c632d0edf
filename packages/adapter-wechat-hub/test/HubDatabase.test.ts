import { writeFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { getTableConfig } from "drizzle-orm/sqlite-core"
import { Effect } from "effect"
import { HubAdapter, HubSchema, inspectHubDatabase, missingColumns } from "../src/index.js"
import { hubFixture, tempHubPath } from "./helpers.js"

const startError = (path: string, options: Partial<Parameters<typeof HubAdapter.make>[0]> = {}) =>
  Effect.flip(HubAdapter.make({ ...options, path }))

describe("opening the hub file", () => {
  it.scoped("says there is no file", () =>
    Effect.gen(function* () {
      const path = yield* tempHubPath
      const error = yield* startError(path)
      expect(error._tag).toBe("HubOpenError")
      expect(error.message).toBe(`no hub database at ${path}`)
    })
  )

  it.scoped("says a file is not SQLite, or empty", () =>
    Effect.gen(function* () {
      const path = yield* tempHubPath
      writeFileSync(path, "id,name\n1,张三\n")
      expect((yield* startError(path)).message).toBe(`${path} is not a SQLite database`)
      writeFileSync(path, "")
      expect((yield* startError(path)).message).toBe(`${path} is empty, not a hub database`)
    })
  )

  it.scoped("names every missing table and column, and changes nothing", () =>
    Effect.gen(function* () {
      const path = yield* tempHubPath
      const db = new Database(path)
      db.exec(`CREATE TABLE customers_unified (id INTEGER PRIMARY KEY, phone VARCHAR(20), updated_at DATETIME);
               CREATE TABLE contacts (id TEXT PRIMARY KEY, wx_id TEXT, remark TEXT, type TEXT, updated_at DATETIME);
               CREATE TABLE threads (id TEXT PRIMARY KEY, contact_id TEXT, last_msg_at DATETIME, bucket TEXT, updated_at DATETIME);`)
      const before = db.prepare("SELECT sql FROM sqlite_master ORDER BY name").all()
      db.close()
      const error = yield* startError(path)
      expect(error._tag).toBe("HubSchemaError")
      if (error._tag !== "HubSchemaError") return
      expect(error.missing).toContain("customers_unified.erp_sync_status is missing")
      expect(error.missing).toContain("customers_unified.phone_verified is missing")
      expect(error.missing).toContain("threads.topic is missing")
      expect(error.missing).toContain("table signals is missing")
      expect(error.missing).not.toContain("customers_unified.phone is missing")
      expect(error.message).toContain("customers_unified.erp_sync_status is missing")
      const after = new Database(path)
      expect(after.prepare("SELECT sql FROM sqlite_master ORDER BY name").all()).toEqual(before)
      after.close()
    })
  )

  it.scoped("inspecting (tongbu check) names the missing columns read-only, leaving the journal mode as it was", () =>
    Effect.gen(function* () {
      const path = yield* tempHubPath
      const db = new Database(path)
      db.exec("CREATE TABLE customers_unified (id INTEGER PRIMARY KEY, phone VARCHAR(20))")
      db.close()
      const missing = yield* inspectHubDatabase(path)
      expect(missing).toContain("customers_unified.erp_sync_status is missing")
      expect(missing).toContain("table signals is missing")
      expect(missing).not.toContain("customers_unified.phone is missing")
      const after = new Database(path, { readonly: true })
      expect(after.pragma("journal_mode", { simple: true })).toBe("delete")
      after.close()
      const absent = yield* Effect.flip(inspectHubDatabase(`${path}.absent`))
      expect(absent.message).toBe(`no hub database at ${path}.absent`)
    })
  )

  it.scoped("rejects an unknown time zone", () =>
    Effect.gen(function* () {
      const { path } = yield* hubFixture({ customers: 1, seed: 1 })
      const error = yield* startError(path, { timeZone: "Asia/Atlantis" })
      expect(error).toMatchObject({
        _tag: "HubConfigError",
        message: 'unknown time zone "Asia/Atlantis" for the hub\'s timestamps'
      })
    })
  )

  it.scoped("accepts a generated hub file, in WAL mode", () =>
    Effect.gen(function* () {
      const { path } = yield* hubFixture({ customers: 3, seed: 1 })
      yield* HubAdapter.make({ path })
      const db = new Database(path, { readonly: true })
      expect(missingColumns(db)).toEqual([])
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal")
      db.close()
    })
  )
})

describe("the hub's tables", () => {
  it.scoped("the drizzle definitions match the hub's DDL, column for column and type for type", () =>
    Effect.gen(function* () {
      const { path } = yield* hubFixture({ customers: 0, seed: 1 })
      const db = new Database(path, { readonly: true })
      for (const table of [HubSchema.customersUnified, HubSchema.contacts, HubSchema.threads, HubSchema.signals]) {
        const config = getTableConfig(table)
        const declared = config.columns.map((column) => [column.name, column.getSQLType().toUpperCase()])
        const actual = db
          .prepare<[string], { name: string; type: string }>("SELECT name, type FROM pragma_table_info(?)")
          .all(config.name)
          .map((column) => [column.name, column.type.toUpperCase()])
        expect(declared, config.name).toEqual(actual)
      }
      db.close()
    })
  )
})
