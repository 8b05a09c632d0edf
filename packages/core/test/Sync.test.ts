import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option, Ref, Stream } from "effect"
import type { SyncAdapter } from "../src/Adapter.js"
import { FatalError, StaleError } from "../src/AdapterError.js"
import { ListEntry } from "../src/Domain.js"
import type { InMemoryAdapter } from "../src/InMemoryAdapter.js"
import { isEmptyPlan } from "../src/Plan.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { id, policy, record, withTime, world } from "./harness.js"

const sync = (w: World, options: Partial<Sync.RunOptions> = {}, replace = {}) =>
  withTime(w.provide(Sync.run(policy, { direction: "both", dryRun: false, full: false, ...options }), replace))

const fieldsOf = (adapter: InMemoryAdapter) =>
  Effect.map(adapter.records, (records) => records.map((r) => ({ id: r.id, ...r.fields })))

/** Wraps a side to count the calls the engine makes on it. */
const counting = (adapter: SyncAdapter, calls: Ref.Ref<Record<string, number>>): SyncAdapter => {
  const count = (name: string) => Ref.update(calls, (c) => ({ ...c, [name]: (c[name] ?? 0) + 1 }))
  return {
    ...adapter,
    read: (recordId) => Effect.zipRight(count("read"), adapter.read(recordId)),
    create: (request) => Effect.zipRight(count("create"), adapter.create(request)),
    update: (request) => Effect.zipRight(count("update"), adapter.update(request)),
    perform: (request) => Effect.zipRight(count("perform"), adapter.perform(request)),
    acknowledge: (outcomes) => Effect.zipRight(count("acknowledge"), adapter.acknowledge(outcomes))
  }
}

const seeded = () =>
  world({
    left: {
      records: [
        record("1", { name: "张三", mobile: "13800000001", wechat: "zs", note: null }),
        record("2", { name: "李四", mobile: null, wechat: null, note: null })
      ]
    },
    right: {
      unique: ["mobile"],
      records: [record("900", { code: "ERP-900", name: "王五", mobile: "13800000009", wechat: null, note: "vip" })]
    }
  })

describe("Sync.run", () => {
  it.scoped(
    "creates both ways, links, reports every record, then reaches a fixpoint that costs only the listings",
    () =>
      Effect.gen(function* () {
        const w = yield* seeded()
        const first = yield* sync(w)
        expect(first.status).toBe("completed")
        expect(first.counts).toMatchObject({ created: 2, skipped: 1, failed: 0 })
        expect(first.items.map((o) => [o.side, o.id, o.outcome])).toEqual(
          expect.arrayContaining([
            ["left", "1", "created"],
            ["right", "900", "created"],
            ["left", "2", "skipped"]
          ])
        )
        expect(first.items.find((o) => o.id === "2")?.reasons[0]?.message).toBe("no mobile number")
        expect(yield* fieldsOf(w.right)).toContainEqual({
          id: "R1",
          code: "WX1",
          name: "张三",
          mobile: "13800000001",
          wechat: "zs"
        })
        expect((yield* w.store.links).length).toBe(2)
        const run = Option.getOrThrow(yield* w.store.run(Option.getOrThrow(first.runId)))
        expect(run).toMatchObject({ status: "completed", counts: first.counts })
        expect((yield* w.left.acknowledged).map((a) => [a.id, a.status])).toEqual(
          expect.arrayContaining([
            ["1", "synced"],
            ["2", "skipped"]
          ])
        )

        yield* sync(w)
        const calls = yield* Ref.make<Record<string, number>>({})
        const writesBefore = [(yield* w.left.writes).length, (yield* w.right.writes).length]
        const steady = yield* sync(w, {}, { left: counting(w.left, calls), right: counting(w.right, calls) })
        expect(isEmptyPlan(steady.plan)).toBe(true)
        expect(steady.items).toEqual([])
        expect(yield* Ref.get(calls)).toEqual({})
        expect([(yield* w.left.writes).length, (yield* w.right.writes).length]).toEqual(writesBefore)
      })
  )

  it.scoped("tells a side about a record again only when its outcome changed or the record was read again", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      yield* sync(w)
      const told = () => Effect.map(w.left.acknowledged, (all) => all.filter((a) => a.id === "2").map((a) => a.status))
      expect(yield* told()).toEqual(["skipped"])
      yield* sync(w)
      expect(yield* told()).toEqual(["skipped"])
      // The side may have reset what it shows (asked for a push): a record read again is told again.
      yield* w.left.edit(id("2"), { name: "李四 " })
      yield* sync(w)
      expect(yield* told()).toEqual(["skipped", "skipped"])
      yield* w.left.edit(id("2"), { mobile: "13800000002" })
      yield* sync(w)
      expect(yield* told()).toEqual(["skipped", "skipped", "synced"])
    })
  )

  it.scoped("a dry run plans the same but writes nothing anywhere", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const dry = yield* sync(w, { dryRun: true })
      expect(dry.runId).toEqual(Option.none())
      expect(dry.counts).toMatchObject({ created: 2, skipped: 1 })
      expect(dry.plan.operations.map((op) => op._tag)).toEqual(["Create", "Skip", "Create"])
      expect(yield* w.left.writes).toEqual([])
      expect(yield* w.right.writes).toEqual([])
      expect(yield* w.store.runs(10)).toEqual([])
      expect(yield* w.store.links).toEqual([])
      const real = yield* sync(w)
      expect(real.plan.operations).toEqual(dry.plan.operations)
    })
  )

  it.scoped("a run stopped by a fatal error is recorded as failed; the next one finishes its operations first", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      yield* w.right.failNext(1, new FatalError({ adapter: "right", message: "the password was refused" }), "create")
      const failed = yield* sync(w)
      expect(failed.status).toBe("failed")
      expect(failed.error).toEqual(Option.some("right: the password was refused"))
      // Each record once: what the dispatch finished, read back from the store, then the plan's own outcomes.
      expect(failed.items.filter((o) => o.side === "left" && o.id === "2")).toHaveLength(1)
      expect(failed.counts.skipped).toBe(1)
      expect(Option.getOrThrow(yield* w.store.run(Option.getOrThrow(failed.runId)))).toMatchObject({ status: "failed" })
      const next = yield* sync(w)
      expect(next.resumed).toBe(1)
      expect(next.status).toBe("completed")
      expect((yield* w.right.writes).filter((write) => write._tag === "Create").length).toBe(1)
      expect(isEmptyPlan((yield* sync(w)).plan)).toBe(true)
    })
  )

  it.scoped("a field both sides changed under the manual rule is parked; resolving it carries the choice across", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      yield* sync(w)
      yield* sync(w)
      yield* w.left.edit(id("1"), { note: "left note" })
      const created = (yield* w.store.links).find((link) => link.leftId === "1")!
      yield* w.right.edit(created.rightId, { note: "right note" })
      const parked = yield* sync(w)
      expect(parked.counts.conflicts).toBe(1)
      const [conflict] = yield* w.store.openConflicts
      expect(conflict).toMatchObject({ field: "note", left: "left note", right: "right note" })
      expect(isEmptyPlan((yield* sync(w)).plan)).toBe(true)
      yield* w.store.resolveConflict(conflict!.id, "left")
      yield* sync(w)
      expect(Option.getOrThrow(yield* w.right.get(created.rightId)).fields.note).toBe("left note")
      expect(yield* w.store.openConflicts).toEqual([])
      expect(isEmptyPlan((yield* sync(w)).plan)).toBe(true)
    })
  )

  it.scoped("a record that changed while syncing is reported and re-planned by the next run", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      yield* sync(w)
      yield* sync(w)
      yield* w.left.edit(id("1"), { name: "张三丰" })
      yield* w.right.failNext(1, new StaleError({ adapter: "right", message: "changed" }), "update")
      const stale = yield* sync(w)
      expect(stale.items.map((o) => [o.outcome, o.reasons[0]?.rule])).toEqual([["skipped", "stale"]])
      yield* sync(w)
      const created = (yield* w.store.links).find((link) => link.leftId === "1")!
      expect(Option.getOrThrow(yield* w.right.get(created.rightId)).fields.name).toBe("张三丰")
      expect(yield* w.store.unfinished).toEqual([])
      expect(isEmptyPlan((yield* sync(w)).plan)).toBe(true)
    })
  )

  it.scoped("reads only what a listing without records says changed, keeping the listing's version", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const calls = yield* Ref.make<Record<string, number>>({})
      // Like the ERP: list rows carry an id and a version, and a detail read carries a version of its own.
      const thin = (adapter: InMemoryAdapter): SyncAdapter => ({
        ...counting(adapter, calls),
        list: (request) =>
          Stream.map(
            adapter.list(request),
            (entry) => new ListEntry({ id: entry.id, version: `list-${entry.version}`, checkpoint: entry.checkpoint })
          ),
        read: (recordId) =>
          Effect.zipRight(
            Ref.update(calls, (c) => ({ ...c, read: (c.read ?? 0) + 1 })),
            Effect.map(
              adapter.read(recordId),
              Option.map((r) => ({ ...r, version: "detail" }) as never)
            )
          )
      })
      const sides = { left: thin(w.left), right: thin(w.right) }
      yield* sync(w, {}, sides)
      expect((yield* Ref.get(calls)).read).toBe(3)
      yield* sync(w, {}, sides)
      yield* Ref.set(calls, {})
      yield* sync(w, {}, sides)
      expect(yield* Ref.get(calls)).toEqual({})
      const versions = (yield* w.store.links).flatMap((link) => [link.leftVersion, link.rightVersion])
      expect(versions.every((version) => version?.startsWith("list-"))).toBe(true)
      yield* w.left.edit(id("1"), { wechat: "zs2" })
      yield* sync(w, {}, sides)
      expect((yield* Ref.get(calls)).read).toBe(1)
    })
  )

  it.scoped("a side that cannot be listed stops the run before anything is planned", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      yield* w.right.failNext(1, new FatalError({ adapter: "right", message: "captcha required" }), "list")
      const error = yield* Effect.flip(sync(w))
      expect(error).toEqual(
        new Sync.SideUnavailable({
          side: "right",
          adapter: "right",
          message: "cannot read right (right): captcha required"
        })
      )
      expect(yield* w.store.runs(10)).toEqual([])
    })
  )

  it.scoped("an interrupted run is recorded as interrupted and finished by the next run", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const crashing: SyncAdapter = {
        ...w.right,
        create: (request) => Effect.zipRight(w.right.create(request), Effect.interrupt)
      }
      const exit = yield* Effect.exit(sync(w, {}, { right: crashing }))
      expect(Exit.isInterrupted(exit)).toBe(true)
      const [interrupted] = yield* w.store.runs(1)
      expect(interrupted?.status).toBe("interrupted")
      const next = yield* sync(w)
      expect(next.resumed).toBeGreaterThan(0)
      expect((yield* w.right.writes).filter((write) => write._tag === "Create").length).toBe(1)
      expect(isEmptyPlan((yield* sync(w)).plan)).toBe(true)
    })
  )

  // A process killed after its creates landed but before `acknowledge` never told the sides; the next run finds
  // nothing to do for those pairs, so only the earlier runs' outcomes can tell the hub its new links.
  const deaths: ReadonlyArray<readonly [string, (w: World) => World["store"]]> = [
    ["interrupted", (w) => w.store],
    [
      "killed (the run stays 'running')",
      (w) => ({
        ...w.store,
        finishRun: (...args) => (args[1] === "interrupted" ? Effect.void : w.store.finishRun(...args))
      })
    ]
  ]
  for (const [death, store] of deaths)
    it.scoped(`a run ${death} before telling the sides: the next runs tell them, once`, () =>
      Effect.gen(function* () {
        const w = yield* seeded()
        const dying: SyncAdapter = { ...w.left, acknowledge: () => Effect.interrupt }
        // twice in a row: the second death also loses what the first left untold
        for (let i = 0; i < 2; i++)
          expect(Exit.isInterrupted(yield* Effect.exit(sync(w, {}, { left: dying, store: store(w) })))).toBe(true)
        expect(yield* w.left.acknowledged).toEqual([])
        const next = yield* sync(w)
        expect(next.status).toBe("completed")
        const created = (yield* w.right.records).find((r) => r.fields.code === "WX1")
        const pulled = (yield* w.left.records).find((r) => r.fields.name === "王五")
        const told = new Map((yield* w.left.acknowledged).map((o) => [o.id, o]))
        expect(told.get(id("1"))).toMatchObject({
          status: "synced",
          action: "create",
          linkedId: Option.some(created?.id)
        })
        expect(told.get(pulled?.id ?? id("none"))).toMatchObject({
          status: "synced",
          action: "create",
          linkedId: Option.some(id("900"))
        })
        expect(told.get(id("2"))).toMatchObject({ status: "skipped" })
        const count = (yield* w.left.acknowledged).length
        yield* sync(w)
        expect((yield* w.left.acknowledged).length).toBe(count)
      })
    )
})
