import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option } from "effect"
import type { SyncAdapter } from "../src/Adapter.js"
import { RejectedError } from "../src/AdapterError.js"
import type { RunId } from "../src/Domain.js"
import type { InMemoryAdapter } from "../src/InMemoryAdapter.js"
import * as Rollback from "../src/Rollback.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { id, linkShowingWorld, policy, record, withTime, world } from "./harness.js"

// What a rollback tells the sides: the links it removed (each side takes back what it wrote to show them, and shows
// why the record is no longer linked), and the records a side took in while listing, which it removes.

const sync = (w: World, full = false) =>
  withTime(w.provide(Sync.run(policy, { direction: "both", dryRun: false, full })))
const rollback = (w: World, target: RunId, options: Partial<Rollback.RollbackOptions> = {}, left?: SyncAdapter) =>
  withTime(w.provide(Rollback.run(target, { dryRun: false, ...options }), left === undefined ? {} : { left }))
const fieldsOf = (records: ReadonlyArray<{ readonly id: string; readonly fields: object }>) =>
  records.map((r) => ({ id: r.id, ...r.fields }))
const lastTold = (side: InMemoryAdapter, recordId: string) =>
  Effect.map(side.acknowledged, (told) => told.filter((o) => o.id === recordId).at(-1))
const itemOf = (report: Rollback.RollbackReport, operation: string) =>
  report.items.find((o) => o.operation === operation)

/** Left 1 shows a stale ERP id and is created on the right by the run; left 2 already shows right 900's id. */
const shows = (options: { readonly canDelete?: boolean } = {}) => linkShowingWorld(["stale-7", "900"], options)

const firstRun = (w: World) =>
  Effect.gen(function* () {
    const before = fieldsOf(yield* w.left.records)
    const run = yield* sync(w)
    expect([run.counts.created, run.counts.linked]).toEqual([1, 1])
    const erpId = (yield* w.store.links).find((link) => link.leftId === "1")!.rightId
    expect(Option.getOrThrow(yield* w.left.get(id("1"))).fields.erpId).toBe(erpId)
    return { before, runId: Option.getOrThrow(run.runId), erpId }
  })

describe("Rollback.run and the sides", () => {
  it.scoped("takes back exactly what a side wrote to show the links it removes, and shows why they are gone", () =>
    Effect.gen(function* () {
      const w = yield* shows()
      const { before, runId, erpId } = yield* firstRun(w)
      const report = yield* rollback(w, runId)
      expect(report.items.map((o) => [o.operation, o.outcome]).sort()).toEqual([
        ["rollback:create", "rolledBack"],
        ["rollback:link", "rolledBack"]
      ])
      // The stale id comes back where the run wrote over it; the id left 2 showed before the run stays.
      expect(fieldsOf(yield* w.left.records)).toEqual(before)
      expect(yield* w.store.links).toEqual([])
      expect((yield* w.store.shownLinks("left", [id("1"), id("2")])).size).toBe(0)
      for (const [recordId, partner] of [
        ["1", `right record ${erpId}`],
        ["2", "right record 900"]
      ] as const) {
        const told = yield* lastTold(w.left, recordId)
        expect(told).toMatchObject({ status: "skipped", linkedId: Option.none() })
        expect(Option.getOrThrow(told!.reason)).toContain(
          `no longer linked to ${partner}: run ${runId} was rolled back`
        )
      }
      expect(Option.getOrThrow((yield* lastTold(w.right, erpId))!.reason)).toContain("marked withdrawn")
      const told = (yield* w.left.acknowledged).length
      const again = yield* rollback(w, runId)
      expect(again.items).toEqual([])
      expect((yield* w.left.acknowledged).length).toBe(told)
      expect(fieldsOf(yield* w.left.records)).toEqual(before)
    })
  )

  it.scoped("keeps what a person changed since in a field the side showed the link in, and says so", () =>
    Effect.gen(function* () {
      const w = yield* shows()
      const { runId } = yield* firstRun(w)
      yield* w.left.edit(id("1"), { erpId: "typed-by-hand" })
      const report = yield* rollback(w, runId)
      expect(Option.getOrThrow(yield* w.left.get(id("1"))).fields.erpId).toBe("typed-by-hand")
      expect(itemOf(report, "rollback:create")?.reasons.map((r) => [r.rule, r.message])).toContainEqual([
        "changedSince",
        "left record 1: erpId changed since; kept"
      ])
    })
  )

  it.scoped("a side that cannot be told leaves the operation done; rolling back again finishes it", () =>
    Effect.gen(function* () {
      const w = yield* shows()
      const { before, runId } = yield* firstRun(w)
      yield* w.left.failNext(1, new RejectedError({ adapter: "left", message: "the screen is locked" }), "acknowledge")
      const first = yield* rollback(w, runId)
      const failed = first.items.find((o) => o.outcome === "failed")
      expect(failed?.reasons.at(-1)?.message).toContain("the screen is locked; roll back again to finish")
      const states = new Map((yield* w.store.operations(runId)).map((op) => [op.operation._tag, op.state]))
      expect(states.get(failed?.operation === "rollback:link" ? "Link" : "Create")).toBe("done")
      expect([...states.values()].filter((state) => state === "rolledBack").length).toBe(1)
      const second = yield* rollback(w, runId)
      expect(second.items.map((o) => [o.operation, o.outcome])).toEqual([[failed?.operation, "rolledBack"]])
      expect(fieldsOf(yield* w.left.records)).toEqual(before)
      expect((yield* w.right.withdrawn).length).toBe(1)
    })
  )

  it.scoped("a rollback stopped halfway and started again ends as one uninterrupted rollback", () =>
    Effect.gen(function* () {
      const w = yield* shows()
      const { before, runId } = yield* firstRun(w)
      const dying: SyncAdapter = { ...w.left, acknowledge: () => Effect.interrupt }
      expect(Exit.isInterrupted(yield* Effect.exit(rollback(w, runId, {}, dying)))).toBe(true)
      const report = yield* rollback(w, runId)
      expect(report.status).toBe("completed")
      expect(fieldsOf(yield* w.left.records)).toEqual(before)
      expect(yield* w.store.links).toEqual([])
      expect((yield* w.right.writes).filter((write) => write._tag === "Compensate").length).toBe(1)
    })
  )

  it.scoped("a dry run names what it would take back and tell, and changes nothing", () =>
    Effect.gen(function* () {
      const w = yield* shows()
      const { runId, erpId } = yield* firstRun(w)
      const after = fieldsOf(yield* w.left.records)
      const told = (yield* w.left.acknowledged).length
      const dry = yield* rollback(w, runId, { dryRun: true })
      expect(itemOf(dry, "rollback:create")?.reasons.map((r) => r.message)).toEqual([
        `right cannot delete: record ${erpId} would be marked withdrawn`,
        "left record 1: erpId would be restored to what it held before the link",
        `left record 1 would be shown as no longer linked to right record ${erpId}: run ${runId} was rolled back; right cannot delete: record ${erpId} would be marked withdrawn`,
        `right record ${erpId} would be shown as no longer linked to left record 1: run ${runId} was rolled back; right cannot delete: record ${erpId} would be marked withdrawn`
      ])
      expect(fieldsOf(yield* w.left.records)).toEqual(after)
      expect((yield* w.left.acknowledged).length).toBe(told)
      expect((yield* w.store.shownLinks("left", [id("1")])).size).toBe(1)
    })
  )

  it.scoped("keeps a created record someone changed since, with its link", () =>
    Effect.gen(function* () {
      const w = yield* world({
        right: {
          records: [record("900", { code: "ERP-900", name: "王五", mobile: "13800000009", wechat: null, note: null })]
        }
      })
      const run = yield* sync(w)
      const created = (yield* w.store.links)[0]!.leftId
      yield* w.left.edit(created, { note: "called back" })
      const report = yield* rollback(w, Option.getOrThrow(run.runId))
      expect(report.items.map((o) => [o.outcome, o.reasons.map((r) => r.rule)])).toEqual([["kept", ["changedSince"]]])
      expect(Option.isSome(yield* w.left.get(created))).toBe(true)
      expect((yield* w.store.links).length).toBe(1)
    })
  )
})

describe("Rollback.run and the records a side took in while listing", () => {
  const taken = (w: World, name: string) => w.left.intake({ name, mobile: null, wechat: `wx-${name}`, note: null })

  it.scoped("a run journals them once; its rollback removes them unless changed or linked since", () =>
    Effect.gen(function* () {
      const w = yield* world({})
      const [a, b, c] = [yield* taken(w, "a"), yield* taken(w, "b"), yield* taken(w, "c")]
      const run = yield* sync(w)
      const runId = Option.getOrThrow(run.runId)
      const journaled = (yield* w.store.operations(runId)).filter((op) => op.operation._tag === "Intake")
      expect(journaled.map((op) => [op.key, op.state])).toEqual([
        [`intake:left:${a.id}`, "done"],
        [`intake:left:${b.id}`, "done"],
        [`intake:left:${c.id}`, "done"]
      ])
      yield* w.left.edit(b.id, { name: "b, renamed by a person" })
      // A later run links c to a record the right side was given with c's code.
      yield* w.right.insert({ code: `WX${c.id}`, name: "c", mobile: "13800000006", wechat: null, note: null })
      const later = yield* sync(w, true)
      expect(later.counts.linked).toBe(1)
      expect(
        (yield* w.store.operations(Option.getOrThrow(later.runId))).some((op) => op.key.startsWith("intake:"))
      ).toBe(false)
      const report = yield* rollback(w, runId)
      const byId = new Map(report.items.map((o) => [o.id, [o.operation, o.outcome, o.reasons[0]?.rule]]))
      expect(byId.get(a.id)).toEqual(["rollback:intake", "rolledBack", undefined])
      expect(byId.get(b.id)).toEqual(["rollback:intake", "kept", "changedSince"])
      expect(byId.get(c.id)).toEqual(["rollback:intake", "kept", "linkedSince"])
      expect((yield* w.left.records).map((r) => r.id)).toEqual([b.id, c.id])
    })
  )

  it.scoped("a record taken in and created on the other side in the same run goes with its create", () =>
    Effect.gen(function* () {
      const w = yield* world({})
      const r = yield* w.left.intake({ name: "张三", mobile: "13800000001", wechat: null, note: null })
      const run = yield* sync(w)
      expect(run.counts.created).toBe(1)
      const dry = yield* rollback(w, Option.getOrThrow(run.runId), { dryRun: true })
      expect(dry.items.map((o) => [o.operation, o.outcome])).toEqual([
        ["rollback:create", "rolledBack"],
        ["rollback:intake", "rolledBack"]
      ])
      expect(Option.isSome(yield* w.left.get(r.id))).toBe(true)
      yield* rollback(w, Option.getOrThrow(run.runId))
      expect(yield* w.left.records).toEqual([])
      expect(yield* w.right.records).toEqual([])
    })
  )
})
