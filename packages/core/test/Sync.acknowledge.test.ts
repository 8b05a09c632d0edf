import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { FatalError, RejectedError } from "../src/AdapterError.js"
import type { RunId } from "../src/Domain.js"
import * as Rollback from "../src/Rollback.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { id, linkShowingWorld, policy, withTime } from "./harness.js"

// A side that cannot be told a run's outcomes (the hub file locked) is told them by a later run, even one with
// nothing of its own to say about those records: otherwise a customer created then would never show its ERP id.

const sync = (w: World, options: Partial<Sync.RunOptions> = {}) =>
  withTime(w.provide(Sync.run(policy, { direction: "both", dryRun: false, full: false, ...options })))
const rollback = (w: World, target: RunId) => withTime(w.provide(Rollback.run(target, { dryRun: false })))
const locked = new RejectedError({ adapter: "left", message: "the hub file is locked" })
/** What the left side was told, by record (in the order told, for each). */
const told = (w: World) =>
  Effect.map(w.left.acknowledged, (all) =>
    all
      .map((o) => [o.id, o.status, o.action, Option.getOrNull(o.linkedId)] as const)
      .sort((a, b) => a[0].localeCompare(b[0]))
  )

/** Neither left record shows a partner before the first run. */
const seeded = (options: { readonly canDelete?: boolean } = {}) => linkShowingWorld([null, null], options)

/** The first run, with the left side's `acknowledge` failing: the pairs are made, the left side shows none of it. */
const untoldRun = (w: World) =>
  Effect.gen(function* () {
    yield* w.left.failNext(1, locked, "acknowledge")
    const run = yield* sync(w)
    expect([run.status, run.counts.created, run.counts.linked]).toEqual(["completed", 1, 1])
    expect(yield* told(w)).toEqual([])
    const runId = Option.getOrThrow(run.runId)
    expect(yield* w.store.untold).toEqual([{ runId, side: "left" }])
    const created = (yield* w.store.links).find((link) => link.leftId === "1")!.rightId
    return { runId, created }
  })

const erpIdOf = (w: World, recordId: string) =>
  Effect.map(w.left.get(id(recordId)), (r) => Option.getOrThrow(r).fields.erpId)

describe("Sync.run telling a side what an earlier run could not", () => {
  it.scoped("tells a side a run's outcomes in the next run that reaches it, and only once", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const { created } = yield* untoldRun(w)
      const second = yield* sync(w)
      // Nothing changed since: the second run has no outcome of its own, the first run's are told.
      expect(second.items).toEqual([])
      expect(yield* told(w)).toEqual([
        ["1", "synced", "create", created],
        ["2", "synced", "link", "900"]
      ])
      expect([yield* erpIdOf(w, "1"), yield* erpIdOf(w, "2")]).toEqual([created, "900"])
      expect((yield* w.store.shownLinks("left", [id("1"), id("2")])).size).toBe(2)
      expect(yield* w.store.untold).toEqual([])
      yield* sync(w)
      yield* sync(w, { full: true })
      expect((yield* told(w)).length).toBe(2)
    })
  )

  it.scoped("a record with a newer outcome is told the newer one; the others keep the earlier run's", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      yield* w.right.failNext(1, new RejectedError({ adapter: "right", message: "no customer type" }), "create")
      yield* w.left.failNext(1, locked, "acknowledge")
      const first = yield* sync(w)
      expect([first.counts.failed, first.counts.linked]).toEqual([1, 1])
      const runId = Option.getOrThrow(first.runId)
      expect((yield* w.store.outcomes(runId)).find((o) => o.id === "1")?.outcome).toBe("failed")
      expect(yield* w.store.untold).toEqual([{ runId, side: "left" }])
      // A person fixes the record: the second run creates it, which is newer than the first run's failure.
      yield* w.left.edit(id("1"), { name: "张三丰" })
      const second = yield* sync(w)
      expect(second.counts.created).toBe(1)
      const created = (yield* w.store.links).find((link) => link.leftId === "1")!.rightId
      expect(yield* told(w)).toEqual([
        ["1", "synced", "create", created],
        ["2", "synced", "link", "900"]
      ])
      expect(yield* w.store.untold).toEqual([])
    })
  )

  it.scoped("a side that cannot be told again keeps every run untold until one reaches it", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const first = yield* untoldRun(w)
      yield* w.left.failNext(1, locked, "acknowledge")
      const second = Option.getOrThrow((yield* sync(w)).runId)
      expect(yield* w.store.untold).toEqual([
        { runId: second, side: "left" },
        { runId: first.runId, side: "left" }
      ])
      yield* sync(w)
      expect(yield* told(w)).toEqual([
        ["1", "synced", "create", first.created],
        ["2", "synced", "link", "900"]
      ])
      expect(yield* w.store.untold).toEqual([])
    })
  )

  it.scoped("a dry run neither tells a side nor forgets what it was not told", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const { runId, created } = yield* untoldRun(w)
      const dry = yield* sync(w, { dryRun: true })
      expect(dry.items).toEqual([])
      expect(yield* told(w)).toEqual([])
      expect(yield* w.store.untold).toEqual([{ runId, side: "left" }])
      yield* sync(w)
      expect((yield* told(w)).map(([recordId, , , linked]) => [recordId, linked])).toEqual([
        ["1", created],
        ["2", "900"]
      ])
    })
  )

  it.scoped("the links of a run rolled back before the side was told are never shown", () =>
    Effect.gen(function* () {
      const w = yield* seeded({ canDelete: true })
      const { runId, created } = yield* untoldRun(w)
      const undone = yield* rollback(w, runId)
      expect(undone.status).toBe("completed")
      expect(yield* w.store.links).toEqual([])
      const byRollback = yield* told(w)
      expect(byRollback.map(([recordId, status]) => [recordId, status]).sort()).toEqual([
        ["1", "skipped"],
        ["2", "skipped"]
      ])
      // The next run plans nothing (the created record is deleted, nothing else changed): the first run's outcomes,
      // which show links the rollback removed, are left untold and forgotten.
      const next = yield* sync(w)
      expect(next.items).toEqual([])
      expect(yield* told(w)).toEqual(byRollback)
      expect([yield* erpIdOf(w, "1"), yield* erpIdOf(w, "2")]).toEqual([null, null])
      expect((yield* w.right.get(created)).pipe(Option.isNone)).toBe(true)
      expect(yield* w.store.untold).toEqual([])
    })
  )

  it.scoped("what a run finishes for an earlier run is told even when that run cannot tell it", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      // The first run tells the left side, but stops on the create: its outcome belongs to the first run.
      yield* w.right.failNext(1, new FatalError({ adapter: "right", message: "the password was refused" }), "create")
      const first = yield* sync(w)
      expect(first.status).toBe("failed")
      const firstId = Option.getOrThrow(first.runId)
      expect(yield* w.store.untold).toEqual([])
      // The second run finishes the create but cannot tell the left side.
      yield* w.left.failNext(1, locked, "acknowledge")
      const second = yield* sync(w)
      expect(second.resumed).toBe(1)
      expect((yield* w.store.untold).map((u) => [u.runId, u.side])).toEqual([
        [Option.getOrThrow(second.runId), "left"],
        [firstId, "left"]
      ])
      yield* sync(w)
      const created = (yield* w.store.links).find((link) => link.leftId === "1")!.rightId
      expect((yield* told(w)).filter(([recordId]) => recordId === "1")).toEqual([["1", "synced", "create", created]])
      expect(yield* erpIdOf(w, "1")).toBe(created)
      expect(yield* w.store.untold).toEqual([])
    })
  )
})
