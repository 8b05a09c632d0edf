import { describe, expect, it } from "@effect/vitest"
import type { Fields, IdempotencyKey, SyncAdapter } from "@tongbu/core"
import { Effect, Option, TestClock } from "effect"
import { formatHubTimestamp, makeHubTimeZone } from "../src/index.js"
import { auditUpdates, hubProcess, hubWith, readOrDie, rid, row } from "./helpers.js"

const RUN_TIME = Date.UTC(2025, 9, 21, 4)
const STAMP = formatHubTimestamp(RUN_TIME, Option.getOrThrow(makeHubTimeZone("Asia/Shanghai")))
const key = (k: string) => k as IdempotencyKey

const update = (adapter: SyncAdapter, id: number, changes: Fields, expected: Fields) =>
  adapter.update({ key: key(`u:${id}`), id: rid(id), changes, expected })

/** A hub with a company customer (id 1, clean) and a person customer (id 2, clean). */
const setup = Effect.gen(function* () {
  yield* TestClock.setTime(RUN_TIME)
  const { summary, adapter } = yield* hubWith({ customers: 30, seed: 21 })
  const hub = yield* hubProcess(summary.path)
  return { summary, adapter, hub, audit: auditUpdates(hub) }
})

describe("update", () => {
  it.scoped("writes only the columns that differ, marks ERP provenance, and leaves the hub's own columns alone", () =>
    Effect.gen(function* () {
      const { adapter, hub, audit } = yield* setup
      const before = row(hub, 1)
      const read = yield* readOrDie(adapter, 1)
      yield* update(
        adapter,
        1,
        { phone: "+86 139 0000 1111", erp_follow_level: "重点", company_name: read.fields.company_name ?? null },
        {
          phone: read.fields.phone ?? null,
          erp_follow_level: null,
          company_name: read.fields.company_name ?? null
        }
      )
      const after = row(hub, 1)
      expect(after).toMatchObject({
        phone: "13900001111",
        phone_source: "erp",
        erp_follow_level: "重点",
        erp_last_pulled: STAMP,
        updated_at: STAMP,
        updated_by: "tongbu",
        company_name_source: before?.company_name_source,
        phone_verified: before?.phone_verified,
        intent_score: before?.intent_score,
        wechat_id: before?.wechat_id
      })
      expect(audit()).toBe(1)
      expect((yield* readOrDie(adapter, 1)).fields).toMatchObject({ phone: "13900001111", erp_follow_level: "重点" })
    })
  )

  it.scoped("writes customer_name to the company name of a company and the real name of a person", () =>
    Effect.gen(function* () {
      const { adapter, hub } = yield* setup
      const company = yield* readOrDie(adapter, 1)
      const person = yield* readOrDie(adapter, 2)
      expect(company.fields.erp_customer_type).toBe(1)
      expect(person.fields.erp_customer_type).toBe(2)
      yield* update(
        adapter,
        1,
        { customer_name: "重庆新名机械有限公司" },
        { customer_name: company.fields.customer_name ?? null }
      )
      yield* update(adapter, 2, { customer_name: "李新名" }, { customer_name: person.fields.customer_name ?? null })
      expect(row(hub, 1)).toMatchObject({
        company_name: "重庆新名机械有限公司",
        company_name_source: "erp",
        real_name: company.fields.real_name
      })
      expect(row(hub, 2)).toMatchObject({ real_name: "李新名", real_name_source: "erp" })
      expect((yield* readOrDie(adapter, 2)).fields.customer_name).toBe("李新名")
      yield* update(adapter, 2, { customer_name: "李新名商行", erp_customer_type: 1 }, { erp_customer_type: 2 })
      expect(row(hub, 2)).toMatchObject({ company_name: "李新名商行", real_name: "李新名", erp_customer_type: 1 })
    })
  )

  it.scoped("fails with StaleError naming the field a person changed since the sync read it, writing nothing", () =>
    Effect.gen(function* () {
      const { adapter, hub, audit } = yield* setup
      const read = yield* readOrDie(adapter, 1)
      hub.prepare("UPDATE customers_unified SET email = 'boss@example.cn' WHERE id = 1").run()
      const writes = audit()
      const error = yield* Effect.flip(
        update(
          adapter,
          1,
          { email: "erp@example.cn", erp_region: "重庆" },
          { email: read.fields.email ?? null, erp_region: null }
        )
      )
      expect(error).toMatchObject({ _tag: "StaleError", field: "email" })
      expect(error.message).toContain("email was changed in the hub after the sync read it")
      expect(audit()).toBe(writes)
      expect(row(hub, 1)).toMatchObject({ email: "boss@example.cn", erp_region: null })
    })
  )

  it.scoped("succeeds without writing when the row already holds the changes, however it is spelled there", () =>
    Effect.gen(function* () {
      const { adapter, hub, audit } = yield* setup
      hub.prepare("UPDATE customers_unified SET phone = '+86 139-0000-2222', address = '  重庆市  ' WHERE id = 1").run()
      const writes = audit()
      const read = yield* readOrDie(adapter, 1)
      yield* update(adapter, 1, { phone: "13900002222", address: "重庆市" }, { phone: "13800000000", address: null })
      expect(audit()).toBe(writes)
      expect((yield* readOrDie(adapter, 1)).version).toBe(read.version)
    })
  )

  it.scoped("reports what it overwrote as the row held it, and puts exactly that back when asked asStored", () =>
    Effect.gen(function* () {
      const { adapter, hub } = yield* setup
      hub.prepare("UPDATE customers_unified SET phone = '176 1990 8020', has_order = 'true' WHERE id = 1").run()
      const read = yield* readOrDie(adapter, 1)
      expect([read.fields.phone, read.fields.has_order]).toEqual(["17619908020", true])
      const changes = { phone: "13900003333", has_order: false, erp_region: "重庆" }
      const updated = yield* update(adapter, 1, changes, { phone: "17619908020", has_order: true, erp_region: null })
      expect(updated.overwritten).toEqual({ phone: "176 1990 8020", has_order: "true", erp_region: null })
      expect(row(hub, 1)).toMatchObject({ phone: "13900003333", has_order: 0, erp_region: "重庆" })
      const restore = {
        key: key("rollback:u:1"),
        id: rid(1),
        changes: updated.overwritten,
        expected: { phone: "13900003333", has_order: false, erp_region: "重庆" },
        asStored: true
      }
      const restored = yield* adapter.update(restore)
      expect(restored.overwritten).toEqual({ phone: "13900003333", has_order: 0, erp_region: "重庆" })
      expect(row(hub, 1)).toMatchObject({ phone: "176 1990 8020", has_order: "true", erp_region: null })
      expect((yield* adapter.update(restore)).overwritten, "repeated, it finds it done").toEqual({})
      expect((yield* readOrDie(adapter, 1)).fields).toMatchObject(read.fields)
      // Without asStored the same value is normalized, as any write of the sync is.
      yield* update(adapter, 1, { phone: "13900003333" }, { phone: "17619908020" })
      yield* update(adapter, 1, { phone: "176 1990 8020" }, { phone: "13900003333" })
      expect(row(hub, 1)).toMatchObject({ phone: "17619908020" })
    })
  )

  it.scoped("rejects fields it may not write and values of the wrong kind, naming the field", () =>
    Effect.gen(function* () {
      const { adapter } = yield* setup
      const rejected = (changes: Fields) => Effect.flip(update(adapter, 1, changes, {}))
      expect(yield* rejected({ score: 99 })).toMatchObject({ _tag: "RejectedError", field: "score" })
      expect((yield* rejected({ thread_topic: "x" })).message).toContain("derived from the hub's WeChat data")
      expect((yield* rejected({ intent_score: 99 })).message).toContain("the hub's own field")
      expect((yield* rejected({ nickname: "x" })).message).toContain("not a field of hub customers")
      expect(yield* rejected({ erp_customer_type: "公司" })).toMatchObject({ field: "erp_customer_type" })
      expect(yield* rejected({ has_order: "maybe" })).toMatchObject({ field: "has_order" })
      expect(yield* rejected({ customer_name: "甲公司", company_name: "乙公司" })).toMatchObject({
        field: "company_name"
      })
      expect(yield* Effect.flip(update(adapter, 1, { erp_region: "渝" }, { bogus: 1 }))).toMatchObject({
        field: "bogus"
      })
    })
  )

  it.scoped(
    "fails with RejectedError for a customer that no longer exists (the port's error for a missing record)",
    () =>
      Effect.gen(function* () {
        const { adapter, hub } = yield* setup
        hub.prepare("DELETE FROM customers_unified WHERE id = 3").run()
        expect((yield* Effect.flip(update(adapter, 3, { erp_region: "渝" }, {})))._tag).toBe("RejectedError")
        expect((yield* Effect.flip(update(adapter, 0, { erp_region: "渝" }, {})))._tag).toBe("RejectedError")
      })
  )
})

const erpCustomer = (ord: number): Fields => ({
  erp_customer_id: ord,
  erp_customer_code: `KH${ord}`,
  customer_name: "上海手录贸易有限公司",
  phone: "021 5555 6666",
  email: "  ",
  wechat_id: null,
  erp_customer_type: 1,
  erp_source: "172"
})

/** A create from ERP customer `ord`, as the core asks for it. */
const createFrom = (adapter: SyncAdapter, ord: number | string, fields: Fields) =>
  Effect.map(
    adapter.create({ key: key(`create:left:${ord}`), sourceId: rid(ord), fields, reserve: () => Effect.void }),
    (created) => created.id
  )

const findFrom = (adapter: SyncAdapter, ord: number | string, fields: Fields) =>
  adapter.findCreated({ key: key(`create:left:${ord}`), sourceId: rid(ord), fields, provisionalId: Option.none() })

describe("create, findCreated and compensateCreate", () => {
  it.scoped("inserts an ERP-born customer with ERP provenance, found again by its ERP id", () =>
    Effect.gen(function* () {
      const { adapter, hub } = yield* setup
      const id = yield* createFrom(adapter, 777, erpCustomer(777))
      expect(row(hub, id)).toMatchObject({
        erp_customer_id: 777,
        erp_customer_code: "KH777",
        company_name: "上海手录贸易有限公司",
        company_name_source: "erp",
        phone: "021 5555 6666",
        phone_source: "erp",
        email: null,
        email_source: "unknown",
        erp_source: "172",
        erp_sync_status: "synced",
        erp_sync_action: "create",
        erp_last_pulled: STAMP,
        created_at: STAMP,
        created_by: "tongbu"
      })
      const fields = (yield* readOrDie(adapter, id)).fields
      expect(fields).toMatchObject({
        customer_name: "上海手录贸易有限公司",
        phone: "021 5555 6666",
        erp_customer_id: 777
      })
      expect(yield* findFrom(adapter, 777, erpCustomer(777))).toEqual(Option.some(id))
      expect(yield* findFrom(adapter, 778, erpCustomer(778))).toEqual(Option.none())
      expect(yield* findFrom(adapter, "not-an-ord", { customer_name: "x" })).toEqual(Option.none())
    })
  )

  it.scoped(
    "a create from the fields the policy gives (no ERP id among them) keeps its source's ERP id, so it is found after a crash",
    () =>
      Effect.gen(function* () {
        const { adapter, hub } = yield* setup
        const { erp_customer_id: _, ...fields } = erpCustomer(0)
        const id = yield* createFrom(adapter, 4242, fields)
        expect(row(hub, id)).toMatchObject({ erp_customer_id: 4242, company_name: "上海手录贸易有限公司" })
        // the runner restarted: the same request finds the row, and asks for nothing else
        expect(yield* findFrom(adapter, 4242, fields)).toEqual(Option.some(id))
        expect(yield* findFrom(adapter, 4243, fields)).toEqual(Option.none())
      })
  )

  it.scoped("findCreated never takes a row the sync did not insert for a create of its own", () =>
    Effect.gen(function* () {
      const { adapter, summary } = yield* setup
      const linked = summary.customers.find((c) => c.case === "linked")
      if (linked === undefined) return expect.fail("a linked customer")
      const ord = 100_000 + linked.id
      expect(yield* findFrom(adapter, ord, {})).toEqual(Option.none())
    })
  )

  it.scoped("refuses a create whose source is not an ERP id, or whose fields name another one, inserting nothing", () =>
    Effect.gen(function* () {
      const { adapter, hub } = yield* setup
      const count = () => hub.prepare<[], number>("SELECT count(*) FROM customers_unified").pluck().get()
      const before = count()
      const notOrd = yield* Effect.flip(createFrom(adapter, "R7", erpCustomer(7)))
      expect(notOrd).toMatchObject({ _tag: "RejectedError" })
      expect(notOrd.message).toContain("R7 is not an ERP customer number")
      const other = yield* Effect.flip(createFrom(adapter, 8, erpCustomer(9)))
      expect(other).toMatchObject({ _tag: "RejectedError", field: "erp_customer_id" })
      expect(other.message).toContain("ERP id 9")
      expect(count()).toBe(before)
    })
  )

  it.scoped(
    "reports a collision with the hub customer that holds the ERP id or the WeChat id, on create and update",
    () =>
      Effect.gen(function* () {
        const { adapter, summary } = yield* setup
        const linked = summary.customers.find((c) => c.case === "linked")
        if (linked === undefined) return expect.fail("a linked customer")
        const create = (fields: Fields) => Effect.flip(createFrom(adapter, Number(fields.erp_customer_id), fields))
        expect(yield* create(erpCustomer(100_000 + linked.id))).toMatchObject({
          _tag: "CollisionError",
          field: "erp_customer_id",
          collidingId: String(linked.id)
        })
        expect(yield* create({ ...erpCustomer(5), wechat_id: linked.wechatId })).toMatchObject({
          _tag: "CollisionError",
          field: "wechat_id",
          collidingId: String(linked.id)
        })
        const moved = yield* Effect.flip(
          adapter.update({ key: key("u"), id: rid(1), changes: { wechat_id: linked.wechatId }, expected: {} })
        )
        expect(moved).toMatchObject({ _tag: "CollisionError", field: "wechat_id", collidingId: String(linked.id) })
      })
  )

  it.scoped("deletes a row it created, again and again, and never a row the hub created", () =>
    Effect.gen(function* () {
      const { adapter, hub } = yield* setup
      const id = yield* createFrom(adapter, 900, erpCustomer(900))
      expect(yield* adapter.compensateCreate({ id: id, key: key("c:2"), written: {}, version: Option.none() })).toEqual(
        { _tag: "Deleted" }
      )
      expect(yield* adapter.compensateCreate({ id: id, key: key("c:2"), written: {}, version: Option.none() })).toEqual(
        { _tag: "Deleted" }
      )
      expect(row(hub, id)).toBeUndefined()
      const error = yield* Effect.flip(
        adapter.compensateCreate({ id: rid(1), key: key("c:3"), written: {}, version: Option.none() })
      )
      expect(error).toMatchObject({ _tag: "RejectedError" })
      expect(error.message).toContain("the sync did not create this customer")
      expect(row(hub, 1)).toBeDefined()
    })
  )

  it.scoped("keeps a row a person changed even when the sync wrote to it after them, by what the sync last wrote", () =>
    Effect.gen(function* () {
      const { adapter, hub } = yield* setup
      const fields = erpCustomer(901)
      const id = yield* createFrom(adapter, 901, fields)
      // A person renames the company; then the sync writes the email, so updated_by is the sync's again.
      hub
        .prepare("UPDATE customers_unified SET company_name = '上海改名有限公司', updated_by = 'staff' WHERE id = ?")
        .run(Number(id))
      const updated = yield* update(adapter, Number(id), { email: "buy@example.com" }, { email: null })
      expect(row(hub, id)?.updated_by).toBe("tongbu")
      const written = { ...fields, email: "buy@example.com" }
      // the row is still at the version the sync's update gave it: that version holds the person's rename too
      const version = Option.fromNullable(updated.version)
      expect(version).toEqual(Option.map(yield* adapter.read(id), (found) => found.version ?? ""))
      expect(yield* adapter.compensateCreate({ id, key: key("c:4"), written, version })).toEqual({
        _tag: "Kept",
        note: `hub customer ${id} no longer holds what the sync wrote to it (customer_name); kept`
      })
      hub.prepare("UPDATE customers_unified SET company_name = ? WHERE id = ?").run(fields.customer_name, Number(id))
      expect(yield* adapter.compensateCreate({ id, key: key("c:4"), written, version: Option.none() })).toEqual({
        _tag: "Deleted"
      })
    })
  )
})
