import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Stream } from "effect"
import type { IdempotencyKey, InMemoryAdapter, InMemoryAdapterOptions, RecordId } from "../src/index.js"
import {
  CollisionError,
  InMemoryFault,
  makeInMemoryAdapter,
  RejectedError,
  SideRecord,
  TransientError
} from "../src/index.js"
import { conformance } from "../src/testing.js"

const key = (value: string) => value as IdempotencyKey
const rid = (value: string) => value as RecordId

const subject = (options: Partial<InMemoryAdapterOptions>) =>
  Effect.map(makeInMemoryAdapter({ name: "memory", unique: ["mobile"], ...options }), (adapter) => ({
    adapter,
    sampleFields: (i: number) => ({ name: `Customer ${i}`, mobile: `1380000${String(i).padStart(4, "0")}`, level: 1 }),
    update: { field: "name", values: ["Renamed A", "Renamed B"] as const, stored: " Renamed B " },
    missingId: rid("987654"),
    editOutOfBand: (id: RecordId, fields: Record<string, string | number | boolean | null>) => adapter.edit(id, fields)
  }))

conformance("in-memory (deletes, pages of 5, shows links)", subject({ pageSize: 5, linkField: "erpId" }), {
  listCount: 12,
  exactSince: true,
  unique: "mobile",
  testClock: true
})
conformance(
  "in-memory (cannot delete, one page, reads text trimmed)",
  subject({
    capabilities: { canDelete: false },
    normalize: (_, value) => (typeof value === "string" ? value.trim() : value)
  }),
  {
    exactSince: true,
    unique: "mobile",
    testClock: true
  }
)

const seeded = (options: Partial<InMemoryAdapterOptions> = {}) =>
  makeInMemoryAdapter({
    name: "erp",
    unique: ["mobile"],
    records: [
      new SideRecord({ id: rid("1"), fields: { name: "Li", mobile: "13800000001" } }),
      new SideRecord({ id: rid("2"), fields: { name: "Wang", mobile: "13800000002" } })
    ],
    ...options
  })

const create = (adapter: InMemoryAdapter, k: string, fields: Record<string, string>) =>
  Effect.map(
    adapter.create({ key: key(k), sourceId: rid(`source-${k}`), fields, reserve: () => Effect.void }),
    (created) => created.id
  )

describe("InMemoryAdapter", () => {
  it.effect("allocates fresh ids past the seeded ones and logs each effective write", () =>
    Effect.gen(function* () {
      const adapter = yield* seeded()
      const id = yield* create(adapter, "c1", { name: "Zhao", mobile: "13800000003" })
      expect(id).toBe("3")
      yield* adapter.update({ key: key("u1"), id, changes: { name: "Zhao Yun" }, expected: { name: "Zhao" } })
      yield* adapter.update({ key: key("u1"), id, changes: { name: "Zhao Yun" }, expected: { name: "Zhao" } })
      expect((yield* adapter.writes).map((w) => w._tag)).toEqual(["Create", "Update"])
    })
  )

  it.effect("rejects a create or an update that would share a unique field, naming the holder", () =>
    Effect.gen(function* () {
      const adapter = yield* seeded()
      const onCreate = yield* Effect.flip(create(adapter, "c1", { name: "Copy", mobile: " 13800000001 " }))
      expect(onCreate).toBeInstanceOf(CollisionError)
      expect(onCreate).toMatchObject({ field: "mobile", collidingId: "1" })
      const onUpdate = yield* Effect.flip(
        adapter.update({
          key: key("u"),
          id: rid("2"),
          changes: { mobile: "13800000001" },
          expected: { mobile: "13800000002" }
        })
      )
      expect(onUpdate).toMatchObject({ _tag: "CollisionError", collidingId: "1" })
      expect(yield* adapter.writes).toEqual([])
    })
  )

  it.effect("an ack-lost create lands, fails transiently, and findCreated then finds it", () =>
    Effect.gen(function* () {
      const adapter = yield* seeded()
      yield* adapter.failNext(1, InMemoryFault.ackLost, "create")
      const error = yield* Effect.flip(create(adapter, "c1", { name: "Zhao", mobile: "13800000003" }))
      expect(error).toBeInstanceOf(TransientError)
      const found = yield* adapter.findCreated({
        key: key("c1"),
        sourceId: rid("source-c1"),
        fields: {},
        provisionalId: Option.none()
      })
      expect(found).toEqual(Option.some("3"))
      expect((yield* adapter.records).length).toBe(3)
    })
  )

  it.effect("a create failing after reserve keeps the provisional id but creates nothing", () =>
    Effect.gen(function* () {
      const adapter = yield* seeded()
      const reserved: Array<string> = []
      yield* adapter.failNext(1, InMemoryFault.afterReserve(new TransientError({ adapter: "erp", message: "timeout" })))
      yield* Effect.flip(
        adapter.create({
          key: key("c1"),
          sourceId: rid("source-c1"),
          fields: { name: "Zhao" },
          reserve: (p) => Effect.sync(() => reserved.push(p))
        })
      )
      expect(reserved).toEqual(["3"])
      const found = yield* adapter.findCreated({
        key: key("c1"),
        sourceId: rid("source-c1"),
        fields: {},
        provisionalId: Option.some("3")
      })
      expect(found).toEqual(Option.none())
      expect(yield* adapter.writes).toEqual([])
    })
  )

  it.effect("a plain error fault fails the call with no effect, once per injected time", () =>
    Effect.gen(function* () {
      const adapter = yield* seeded()
      const rejected = new RejectedError({ adapter: "erp", message: "name too long", field: "name" })
      yield* adapter.failNext(2, rejected, "update")
      const request = { key: key("u"), id: rid("1"), changes: { name: "Li Lei" }, expected: { name: "Li" } }
      expect(yield* Effect.flip(adapter.update(request))).toBe(rejected)
      expect(yield* Effect.flip(adapter.update(request))).toBe(rejected)
      yield* adapter.update(request)
      expect((yield* adapter.writes).length).toBe(1)
    })
  )

  it.effect("a fault hook sees every call and can pick one", () =>
    Effect.gen(function* () {
      const adapter = yield* seeded()
      yield* adapter.setFault((call) =>
        call.op === "read" && call.id === "2"
          ? Option.some(new TransientError({ adapter: "erp", message: "busy" }))
          : Option.none()
      )
      expect(Option.isSome(yield* adapter.read(rid("1")))).toBe(true)
      expect((yield* Effect.flip(adapter.read(rid("2"))))._tag).toBe("TransientError")
      yield* adapter.clearFaults
      expect(Option.isSome(yield* adapter.read(rid("2")))).toBe(true)
    })
  )

  it.effect("a page fault fails the listing mid-stream", () =>
    Effect.gen(function* () {
      const adapter = yield* seeded({ pageSize: 1 })
      yield* adapter.setFault((call) =>
        call.op === "list" ? Option.some(new TransientError({ adapter: "erp", message: "page lost" })) : Option.none()
      )
      const error = yield* Effect.flip(Stream.runCollect(adapter.list({ since: Option.none() })))
      expect(error.message).toBe("page lost")
    })
  )

  it.effect("actions repeat on a side without idempotent actions, and not on one with them", () =>
    Effect.gen(function* () {
      const request = { key: key("a1"), id: rid("1"), kind: "followUp", payload: { text: "hello" } }
      for (const idempotentActions of [true, false]) {
        const adapter = yield* seeded({ capabilities: { idempotentActions } })
        yield* adapter.perform(request)
        yield* adapter.perform(request)
        expect((yield* adapter.writes).length).toBe(idempotentActions ? 1 : 2)
      }
    })
  )

  it.effect("a person's edit bumps the version and shows up after the last checkpoint", () =>
    Effect.gen(function* () {
      const adapter = yield* seeded()
      const full = Array.from(yield* Stream.runCollect(adapter.list({ since: Option.none() })))
      const checkpoints = full.map((e) => e.checkpoint ?? "")
      expect([...checkpoints].sort()).toEqual(checkpoints)
      const edited = yield* adapter.edit(rid("1"), { name: "Li Lei" })
      expect(edited.version).not.toBe(full[0]?.version)
      const since = yield* Stream.runCollect(adapter.list({ since: Option.fromNullable(checkpoints.at(-1)) }))
      expect(Array.from(since).map((e) => e.record?.fields.name)).toEqual(["Li Lei"])
      yield* adapter.remove(rid("2"))
      expect((yield* adapter.records).map((r) => r.id)).toEqual(["1"])
    })
  )

  it.effect("events are listed from their checkpoint", () =>
    Effect.gen(function* () {
      const adapter = yield* seeded()
      const first = yield* adapter.emit({ key: "m1", id: rid("1"), kind: "summary", payload: { text: "a" } })
      yield* adapter.emit({ key: "m2", id: rid("1"), kind: "summary", payload: { text: "b" } })
      const rest = yield* Stream.runCollect(adapter.events({ since: Option.fromNullable(first.checkpoint) }))
      expect(Array.from(rest).map((e) => e.key)).toEqual(["m2"])
      const bad = yield* Effect.flip(Stream.runCollect(adapter.events({ since: Option.some("yesterday") })))
      expect(bad._tag).toBe("FatalError")
    })
  )

  it.effect("withdraws instead of deleting when it cannot delete, and records acknowledgements", () =>
    Effect.gen(function* () {
      const adapter = yield* seeded({ capabilities: { canDelete: false } })
      const result = yield* adapter.compensateCreate({
        id: rid("2"),
        key: key("c"),
        written: {},
        version: Option.none()
      })
      expect(result._tag).toBe("Withdrawn")
      expect(yield* adapter.withdrawn).toEqual(["2"])
      const outcome = {
        id: rid("1"),
        status: "synced",
        action: "update",
        reason: Option.none(),
        linkedId: Option.none()
      } as const
      yield* adapter.acknowledge([outcome])
      expect(yield* adapter.acknowledged).toEqual([outcome])
    })
  )
})
