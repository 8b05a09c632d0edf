import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { getTableConfig } from "drizzle-orm/sqlite-core"
import { customersUnified, requiredColumns } from "../src/HubSchema.js"
import { hubDdl } from "../src/internal/hubDdl.js"

const created = () => {
  const db = new Database(":memory:")
  db.exec(hubDdl)
  return db
}

describe("the hub's columns, declared once in HubSchema", () => {
  it("the fixture's DDL creates exactly the declared columns, with the hub's keys, defaults and indexes", () => {
    const db = created()
    const columns = db
      .prepare<[string], { name: string; type: string; dflt_value: string | null; pk: number }>(
        "SELECT name, type, dflt_value, pk FROM pragma_table_info(?)"
      )
      .all("customers_unified")
    expect(columns.map((c) => c.name)).toEqual(getTableConfig(customersUnified).columns.map((c) => c.name))
    const byName = new Map(columns.map((c) => [c.name, c]))
    expect(byName.get("id")).toMatchObject({ type: "INTEGER", pk: 1 })
    expect(byName.get("intent_score")).toMatchObject({ type: "FLOAT", dflt_value: "0.0" })
    expect(byName.get("updated_by")).toMatchObject({ type: "VARCHAR(100)", dflt_value: "'system'" })
    expect(byName.get("created_at")).toMatchObject({ type: "DATETIME", dflt_value: "CURRENT_TIMESTAMP" })
    const sql = db.prepare<[], string>("SELECT sql FROM sqlite_master WHERE name = 'customers_unified'").pluck().get()
    expect(sql).toContain("AUTOINCREMENT")
    const indexes = db
      .prepare<[string], string>("SELECT name FROM pragma_index_list(?)")
      .pluck()
      .all("customers_unified")
    expect(indexes).toEqual(expect.arrayContaining(["ix_customers_unified_phone", "ix_customers_unified_intent_score"]))
    const references = db.prepare('SELECT "table", "from", "to" FROM pragma_foreign_key_list(?)').all("signals")
    expect(references).toEqual([{ table: "threads", from: "thread_id", to: "id" }])
  })

  it("requires the columns the adapter uses, in the table's order (record versions hash them in it)", () => {
    const declared = getTableConfig(customersUnified).columns.map((c) => c.name)
    const required = requiredColumns.customers_unified
    expect(required.filter((name) => !declared.includes(name))).toEqual([])
    expect([...required].sort((a, b) => declared.indexOf(a) - declared.indexOf(b))).toEqual(required)
    expect(required).toEqual(expect.arrayContaining(["id", "phone", "phone_source", "erp_sync_status", "updated_by"]))
    expect(required).not.toContain("wechat_avatar")
  })
})
