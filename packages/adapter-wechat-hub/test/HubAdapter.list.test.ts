import { describe, expect, it } from "@effect/vitest"
import type { IdempotencyKey, ListEntry, RecordId, SyncAdapter } from "@tongbu/core"
import { refusalMessage } from "@tongbu/core"
import { Chunk, Effect, Option, Stream, TestClock } from "effect"
import { formatHubTimestamp, hubAdmission, makeHubTimeZone } from "../src/index.js"
import { hubProcess, hubWith, listAll, readOrDie, rid } from "./helpers.js"

const shanghai = Option.getOrThrow(makeHubTimeZone("Asia/Shanghai"))
/** The fixture's data ends on 2025-10-20; the sync runs the day after. */
const RUN_TIME = Date.UTC(2025, 9, 21, 4)
const local = (ms: number) => formatHubTimestamp(ms, shanghai)

const eventsOf = (adapter: SyncAdapter, since: Option.Option<string> = Option.none()) =>
  Effect.map(Stream.runCollect(adapter.events({ since })), Chunk.toArray)

describe("listing hub customers", () => {
  it.scoped("lists every customer once, page after page, with the record read would give", () =>
    Effect.gen(function* () {
      const { summary, adapter } = yield* hubWith({ customers: 30, seed: 2 }, { pageSize: 7 })
      const entries = yield* listAll(adapter)
      expect(entries.map((e) => e.id)).toEqual(summary.customers.map((c) => String(c.id)))
      for (const entry of entries) expect(yield* readOrDie(adapter, entry.id)).toEqual(entry.record)
      expect(entries.slice(0, -1).every((e) => e.checkpoint === undefined)).toBe(true)
      expect(entries.at(-1)?.checkpoint).toBeDefined()
      expect(yield* adapter.read(rid(999))).toEqual(Option.none())
      expect(yield* adapter.read(rid("WX12"))).toEqual(Option.none())
    })
  )

  it.scoped("enriches a customer with its contact, latest thread and latest signal", () =>
    Effect.gen(function* () {
      const { summary, adapter } = yield* hubWith({ customers: 30, seed: 2 })
      const fromSignal = summary.customers.find((c) => c.case === "score_from_signal")
      const fell = summary.customers.find((c) => c.case === "score_signal_fell")
      const erpBorn = summary.customers.find((c) => c.case === "erp_born")
      if (!fromSignal || !fell || !erpBorn) return expect.fail("the fixture has every case")
      expect((yield* readOrDie(adapter, fromSignal.id)).fields).toMatchObject({
        intent_score: 0,
        signal_score: 82,
        score: 82,
        thread_bucket: "WHITE"
      })
      expect((yield* readOrDie(adapter, fell.id)).fields).toMatchObject({
        signal_score: 40,
        score: 40,
        thread_bucket: "BLACK"
      })
      const born = (yield* readOrDie(adapter, erpBorn.id)).fields
      expect(born).toMatchObject({
        contact_type: null,
        thread_bucket: null,
        thread_topic: null,
        signal_score: null,
        score: 0
      })
    })
  )

  it.scoped("an incremental listing returns what changed since the checkpoint: a row, a new signal, a thread", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(RUN_TIME)
      const { summary, adapter } = yield* hubWith({ customers: 30, seed: 4 })
      const clean = summary.customers.filter((c) => c.case === "clean_company" || c.case === "clean_person")
      const [edited, scored, talked, untouched] = clean
      if (!edited || !scored || !talked || !untouched) return expect.fail("enough clean customers")
      const first = yield* listAll(adapter)
      const checkpoint = first.at(-1)?.checkpoint
      expect(checkpoint).toBe(new Date(RUN_TIME - 120_000).toISOString())
      const before = new Map(first.map((e) => [e.id, e.record]))

      const hub = yield* hubProcess(summary.path)
      const later = local(RUN_TIME + 3_600_000)
      hub.prepare("UPDATE customers_unified SET address = '重庆市江北区' WHERE id = ?").run(edited.id)
      const threadOf = (id: number) =>
        hub
          .prepare<[number], string>(`SELECT t.id FROM threads t JOIN contacts c ON c.id = t.contact_id
          JOIN customers_unified cu ON cu.wechat_id = c.wx_id WHERE cu.id = ?`)
          .pluck()
          .get(id)
      hub
        .prepare(
          "INSERT INTO signals (id, thread_id, total_score, bucket, created_at) VALUES ('s-new', ?, 91, 'WHITE', ?)"
        )
        .run(threadOf(scored.id), later)
      hub
        .prepare("UPDATE threads SET topic = '客户要求发合同', updated_at = ? WHERE id = ?")
        .run(later, threadOf(talked.id))

      const since = yield* listAll(adapter, Option.fromNullable(checkpoint))
      const ids = since.map((e) => e.id)
      expect(ids).toEqual(expect.arrayContaining([edited, scored, talked].map((c) => String(c.id))))
      expect(ids).not.toContain(String(untouched.id))
      const stampless = summary.customers.filter((c) => c.updatedAt === undefined).map((c) => String(c.id))
      expect(ids.filter((id) => ![edited, scored, talked].some((c) => String(c.id) === id))).toEqual(stampless)
      const rescored = since.find((e) => e.id === String(scored.id))?.record
      expect(rescored?.fields).toMatchObject({ signal_score: 91 })
      expect(rescored?.version).not.toBe(before.get(rid(scored.id))?.version)
      expect(since.find((e) => e.id === String(talked.id))?.record?.fields.thread_topic).toBe("客户要求发合同")
    })
  )

  it.scoped("an unreadable checkpoint lists everything", () =>
    Effect.gen(function* () {
      const { summary, adapter } = yield* hubWith({ customers: 12, seed: 4 })
      expect((yield* listAll(adapter, Option.some("not a time"))).length).toBe(summary.customers.length)
    })
  )

  it.scoped("reads naive timestamps in the configured time zone", () =>
    Effect.gen(function* () {
      const { summary } = yield* hubWith({ customers: 30, seed: 6 })
      const { adapter: utcAdapter } = yield* hubWith({ customers: 30, seed: 6 }, { timeZone: "UTC" })
      for (const customer of summary.customers) {
        if (customer.updatedAt === undefined) continue
        const record = yield* readOrDie(utcAdapter, customer.id)
        const shift = customer.stampStyle === "sqlite" ? 0 : 8 * 3_600_000
        expect(record.updatedAt, `${customer.stampStyle} stamp`).toBe(customer.updatedAt + shift)
      }
    })
  )
})

describe("intake of promoted WeChat contacts", () => {
  it.scoped("creates one pending row per promoted contact, once, which waits for a verified mobile", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(RUN_TIME)
      const { summary, adapter } = yield* hubWith({ customers: 10, seed: 8, contacts: 15 }, { intake: true })
      const first = yield* listAll(adapter)
      const second = yield* listAll(adapter)
      expect(second.map((e) => e.id)).toEqual(first.map((e) => e.id))
      const intake = first.filter((e) => Number(e.id) > summary.customers.length)
      const promoted = summary.contacts.filter(
        (c) => c.case === "contact_customer_type" || c.case === "contact_white_bucket"
      )
      expect(intake.map((e) => e.record?.fields.wechat_id).sort()).toEqual(promoted.map((c) => c.wxId).sort())
      const rules = hubAdmission()
      for (const entry of intake) {
        const fields = entry.record?.fields ?? {}
        expect(fields).toMatchObject({
          erp_sync_status: "pending",
          phone: null,
          intent_score: 0,
          erp_customer_id: null
        })
        expect(fields.score).toBe(fields.signal_score)
        const refusal = rules.find((r) => r.name === "mobile")?.check(entry.record!, {}) ?? null
        expect(refusal === null ? null : refusalMessage(refusal)).toBe("no verified mobile")
      }
      const hub = yield* hubProcess(summary.path)
      expect(
        hub
          .prepare("SELECT DISTINCT created_by, created_at FROM customers_unified WHERE id > ?")
          .all(summary.customers.length)
      ).toEqual([{ created_by: "tongbu", created_at: local(RUN_TIME) }])
    })
  )
})

describe("intake and rollback", () => {
  it.scoped(
    "lists its rows as taken in until a run reports on them; compensation deletes them unless changed since",
    () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(RUN_TIME)
        const { summary, adapter } = yield* hubWith({ customers: 10, seed: 8, contacts: 15 }, { intake: true })
        const taken = (entries: ReadonlyArray<ListEntry>) => entries.filter((e) => e.intake === true).map((e) => e.id)
        const first = yield* listAll(adapter)
        const intake = first.filter((e) => Number(e.id) > summary.customers.length).map((e) => e.id)
        expect(intake.length).toBeGreaterThan(2)
        expect(taken(first)).toEqual(intake)
        // A run that stopped before reporting leaves them to the next listing, which lists them as taken in again.
        expect(taken(yield* listAll(adapter))).toEqual(intake)
        const [reported, changed, untouched] = intake as [RecordId, RecordId, RecordId]
        yield* adapter.acknowledge([
          {
            id: reported,
            status: "skipped",
            action: "none",
            reason: Option.some("no verified mobile"),
            linkedId: Option.none()
          }
        ])
        expect(taken(yield* listAll(adapter))).toEqual(intake.filter((id) => id !== reported))
        const hub = yield* hubProcess(summary.path)
        hub
          .prepare("UPDATE customers_unified SET real_name = '王先生', updated_by = 'staff' WHERE id = ?")
          .run(Number(changed))
        const key = "intake:left" as IdempotencyKey
        expect(yield* adapter.compensateCreate({ id: changed, key: key, written: {}, version: Option.none() })).toEqual(
          {
            _tag: "Kept",
            note: `hub customer ${changed} was changed since the sync created it (last by staff); kept`
          }
        )
        expect(
          yield* adapter.compensateCreate({ id: untouched, key: key, written: {}, version: Option.none() })
        ).toEqual({ _tag: "Deleted" })
        expect(
          yield* adapter.compensateCreate({ id: untouched, key: key, written: {}, version: Option.none() })
        ).toEqual({ _tag: "Deleted" })
        expect(Option.isSome(yield* adapter.read(changed))).toBe(true)
        expect(Option.isNone(yield* adapter.read(untouched))).toBe(true)
        // Rows the hub made itself are never deleted.
        expect(
          (yield* Effect.flip(adapter.compensateCreate({ id: rid(1), key: key, written: {}, version: Option.none() })))
            ._tag
        ).toBe("RejectedError")
      })
  )
})

describe("follow-up events", () => {
  it.scoped("turn customers' thread summaries and last messages into followUp events, keyed by content", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(RUN_TIME)
      const { summary, adapter } = yield* hubWith({ customers: 60, seed: 9 }, { pageSize: 4 })
      const hub = yield* hubProcess(summary.path)
      const linked = new Set(
        hub
          .prepare<[], number>("SELECT id FROM customers_unified WHERE erp_customer_id IS NOT NULL")
          .pluck()
          .all()
          .map(String)
      )
      const events = yield* eventsOf(adapter)
      expect(new Set(events.map((e) => e.key)).size).toBe(events.length)
      for (const event of events) {
        expect(event.kind).toBe("followUp")
        expect(event.key).toMatch(/^(thread:[0-9a-f-]+|message:\d+):[0-9a-f]{12}$/)
        expect(typeof event.payload.text).toBe("string")
      }
      // a customer not linked yet has its content too: a customer a run creates gets its follow-ups in that run
      const waiting = events.filter((e) => !linked.has(e.id))
      expect(waiting.length).toBeGreaterThan(0)
      expect(waiting.length).toBeLessThan(events.length)
      expect(events.at(-1)?.checkpoint).toBe(new Date(RUN_TIME - 120_000).toISOString())
      expect((yield* eventsOf(adapter)).map((e) => e.key)).toEqual(events.map((e) => e.key))

      // past the checkpoint: a linked customer's content only when new; a waiting one's again, until it is linked
      const checkpoint = Option.fromNullable(events.at(-1)?.checkpoint)
      expect((yield* eventsOf(adapter, checkpoint)).map((e) => e.key)).toEqual(waiting.map((e) => e.key))
      const thread = events.find((e) => e.key.startsWith("thread:") && linked.has(e.id))
      if (thread === undefined) return expect.fail("a linked customer with a thread summary")
      const threadId = thread.key.split(":")[1]
      hub
        .prepare("UPDATE threads SET topic = '约了下周见面', updated_at = ? WHERE id = ?")
        .run(local(RUN_TIME + 60_000), threadId)
      const next = (yield* eventsOf(adapter, checkpoint)).filter((e) => linked.has(e.id))
      expect(next.map((e) => [e.id, e.payload.text])).toEqual([[thread.id, "约了下周见面"]])
      expect(next[0]?.key).not.toBe(thread.key)
      expect(next[0]?.key.startsWith(`thread:${threadId}:`)).toBe(true)
    })
  )

  it.scoped("the hub performs no actions", () =>
    Effect.gen(function* () {
      const { adapter } = yield* hubWith({ customers: 1, seed: 1 })
      const error = yield* Effect.flip(adapter.perform({ key: "k" as never, id: rid(1), kind: "assign", payload: {} }))
      expect(error).toMatchObject({ _tag: "RejectedError", message: 'the hub has no action "assign"' })
    })
  )
})
