import { describe, expect, it } from "@effect/vitest"
import { refusalMessage } from "@tongbu/core"
import Database from "better-sqlite3"
import { Effect } from "effect"
import type { CustomerCase } from "../src/index.js"
import { contactCases, customerCases, generateHubFile, hubAdmission } from "../src/index.js"
import { hubFixture, hubWith, listAll, tempHubPath } from "./helpers.js"

const dump = (path: string) => {
  const db = new Database(path, { readonly: true })
  const tables = ["customers_unified", "contacts", "threads", "signals"].map((table) =>
    db.prepare(`SELECT * FROM ${table}`).all()
  )
  db.close()
  return tables
}

describe("generateHubFile", () => {
  it.scoped("is deterministic for a seed, and different for another", () =>
    Effect.gen(function* () {
      const a = yield* hubFixture({ customers: 40, seed: 11 })
      const b = yield* hubFixture({ customers: 40, seed: 11 })
      const c = yield* hubFixture({ customers: 40, seed: 12 })
      expect({ ...a, path: "" }).toEqual({ ...b, path: "" })
      expect(dump(a.path)).toEqual(dump(b.path))
      expect(dump(a.path)).not.toEqual(dump(c.path))
    })
  )

  it.scoped("writes every messy case, and counts what it wrote", () =>
    Effect.gen(function* () {
      const summary = yield* hubFixture({ customers: 60, seed: 3, contacts: 10 })
      expect(new Set(summary.customers.map((c) => c.case))).toEqual(new Set(Object.keys(customerCases)))
      expect(new Set(summary.contacts.map((c) => c.case))).toEqual(new Set(Object.keys(contactCases)))
      expect(new Set(summary.customers.map((c) => c.stampStyle))).toEqual(new Set(["python", "sqlite", "iso"]))
      expect(summary.counts.customers).toBe(60)
      const [customers, contacts, threads, signals] = dump(summary.path)
      expect([customers?.length, contacts?.length, threads?.length, signals?.length]).toEqual([
        summary.counts.customers,
        summary.counts.contacts,
        summary.counts.threads,
        summary.counts.signals
      ])
    })
  )

  it.scoped(
    "linked rows name the ERP customers given, in order, as the hub left them; beyond them, a broken link",
    () =>
      Effect.gen(function* () {
        const erp = [
          { ord: 7, intsort: 1 as const, name: "武汉宏图环保有限公司", khid: "KH7", mobile: "+86 139-0000-0007" },
          { ord: 9, intsort: 2 as const, name: "张晓明", khid: null, mobile: "12345" }
        ]
        const plain = yield* hubFixture({ customers: 200, seed: 3 })
        const given = yield* hubFixture({ customers: 200, seed: 3, erpCustomers: erp })
        const linked = given.customers.filter((c) => c.erpCustomerId !== undefined)
        expect(linked.length).toBeGreaterThan(erp.length)
        expect(linked.map((c) => [c.erpCustomerId, c.erpCustomerExists])).toEqual([
          [7, true],
          [9, true],
          ...linked.slice(2).map((c) => [100_000 + c.id, false])
        ])
        const [rows] = dump(given.path) as [Array<Record<string, unknown>>]
        const row = (id: number) => rows.find((r) => r.id === id)!
        expect(row(linked[0]!.id)).toMatchObject({
          erp_customer_id: 7,
          erp_customer_code: "KH7",
          company_name: "武汉宏图环保有限公司",
          phone: "13900000007",
          erp_customer_type: 1,
          erp_sync_status: "synced"
        })
        expect(row(linked[1]!.id)).toMatchObject({
          erp_customer_id: 9,
          erp_customer_code: null,
          real_name: "张晓明",
          company_name: null,
          phone: null,
          erp_customer_type: 2
        })
        // naming ERP customers changes nothing else in the file: every other row is as generated without them
        const [plainRows] = dump(plain.path) as [Array<Record<string, unknown>>]
        const others = (all: Array<Record<string, unknown>>) =>
          all.filter((r) => r.id !== linked[0]!.id && r.id !== linked[1]!.id)
        expect(others(rows)).toEqual(others(plainRows))
      })
  )

  it.scoped("refuses to overwrite a file unless told to", () =>
    Effect.gen(function* () {
      const path = yield* tempHubPath
      yield* generateHubFile(path, { customers: 2, seed: 1 })
      const error = yield* Effect.flip(generateHubFile(path, { customers: 2, seed: 1 }))
      expect(error.message).toContain("refusing to overwrite")
      const again = yield* generateHubFile(path, { customers: 5, seed: 1, overwrite: true })
      expect(again.counts.customers).toBe(5)
    })
  )
})

describe("every messy case is read, normalized, and admitted or rejected with its reason", () => {
  it.scoped("as the case catalogue says", () =>
    Effect.gen(function* () {
      const { summary, adapter } = yield* hubWith({ customers: 80, seed: 5 })
      const rules = hubAdmission()
      const records = new Map((yield* listAll(adapter)).map((entry) => [entry.id, entry.record]))
      expect(records.size).toBe(summary.customers.length)
      const seen = new Set<CustomerCase>()
      for (const customer of summary.customers) {
        const record = records.get(String(customer.id) as never)
        expect(record, `customer ${customer.id}`).toBeDefined()
        if (record === undefined) continue
        seen.add(customer.case)
        const label = `${customer.case} (customer ${customer.id})`
        expect(record.fields.phone, label).toBe(customer.phone)
        expect(record.updatedAt, `${label}, ${customer.stampStyle} stamp`).toBe(customer.updatedAt)
        const failed = rules.flatMap((rule) => {
          const reason = rule.check(record, {})
          if (reason !== null) expect(refusalMessage(reason).trim().length, label).toBeGreaterThan(0)
          return reason === null ? [] : [rule.name]
        })
        expect(failed, label).toEqual(customerCases[customer.case].failing)
        for (const value of Object.values(record.fields)) {
          if (typeof value === "string") expect(value, label).toBe(value.trim())
          expect(value, label).not.toBe("")
        }
      }
      expect(seen.size).toBe(Object.keys(customerCases).length)
    })
  )
})
