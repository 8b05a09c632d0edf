import { expect } from "@effect/vitest"
import type { Scope } from "effect"
import { Chunk, Effect, Option, Stream, TestClock } from "effect"
import { LinkState } from "../../Domain.js"
import * as StoreExport from "../../StoreExport.js"
import type { SyncStoreService } from "../../SyncStore.js"
import { Outcome, StoredConflict, zeroCounts } from "../../SyncStore.js"
import type { StoreDatabase } from "../../testing.js"
import type { Register } from "./helpers.js"
import { action, create, failsWith, id, key, link, snapshot, sync, update } from "./helpers.js"

const ids = ["l1", "l2", "l3", "r1", "r2", "r3"].map(id)
const checkpoints = ["left:list", "right:events"]

const conflict = (name: string, runId: StoredConflict["runId"], resolution?: "left" | "right") =>
  new StoredConflict({
    id: name,
    runId,
    leftId: id("l1"),
    rightId: id("r1"),
    field: "name",
    left: "甲",
    right: "乙",
    baseline: { left: "a", right: "a" },
    resolution,
    createdAt: 2_000
  })

/**
 * A store with some of everything: a completed run (a create and an update done, an action parked, outcomes), a
 * rollback of it, an interrupted run with pending and attempted operations, conflicts open and resolved, links and
 * baselines, what each side was told and shows, a run untold, checkpoints, a lease taken and released.
 */
const populate = (store: SyncStoreService) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(1_000)
    expect(yield* store.acquireLease("runner-a", 60_000)).toBe(true)
    const first = yield* store.startRun({ ...sync, untold: ["left"] }, [create("c1"), update("u1"), action("a1")])
    yield* store.journal([
      { _tag: "Attempted", key: key("c1") },
      { _tag: "Provisional", key: key("c1"), provisionalId: "p-1" },
      { _tag: "Completed", key: key("c1"), result: { resultId: id("r2"), links: [link("l2", "r2", "张三")] } },
      {
        _tag: "Completed",
        key: key("u1"),
        result: {
          written: { mobile: "13800138000" },
          overwritten: { mobile: null },
          linkBefore: link("l1", "r1"),
          links: [link("l1", "r1", "b")]
        }
      },
      { _tag: "Failed", key: key("a1"), state: "parked", error: "uncertain: look at r1" },
      {
        _tag: "Outcome",
        outcome: new Outcome({
          runId: first.runId,
          side: "right",
          id: id("r2"),
          operation: "create",
          outcome: "created",
          reasons: []
        })
      }
    ])
    yield* store.recordOutcomes([
      new Outcome({
        runId: first.runId,
        side: "right",
        id: id("r1"),
        otherId: id("l1"),
        operation: "update",
        outcome: "updated",
        reasons: []
      })
    ])
    yield* store.finishRun(first.runId, "completed", {
      created: 1,
      updated: 1,
      linked: 0,
      unchanged: 0,
      skipped: 0,
      conflicts: 1,
      actions: 1,
      failed: 0
    })
    yield* store.saveConflict(conflict("open", first.runId))
    yield* store.saveConflict(conflict("settled", first.runId))
    yield* store.resolveConflict("settled", "right")
    yield* store.saveLinks([link("l3", "r3")])
    yield* store.saveAcknowledged(
      "left",
      new Map([
        [id("l1"), "d1"],
        [id("l2"), "d2"]
      ])
    )
    yield* store.saveAcknowledged("right", new Map([[id("r1"), "d3"]]))
    yield* store.saveShown("left", [{ id: id("l1"), linkedId: id("r1"), before: { wx: null }, written: { wx: "r1" } }])
    yield* store.saveCheckpoint("left:list", "000000000042")
    yield* store.saveCheckpoint("right:events", "e-9")
    yield* TestClock.setTime(5_000)
    const rollback = yield* store.startRun({ ...sync, kind: "rollback", target: first.runId }, [])
    yield* store.markRolledBack(key("u1"))
    yield* store.finishRun(rollback.runId, "completed", { ...zeroCounts, rolledBack: 1 })
    const interrupted = yield* store.startRun({ ...sync, full: true, untold: ["right"] }, [update("u2"), create("c2")])
    yield* store.markAttempted(key("c2"))
    yield* store.recordProvisional(key("c2"), "p-2")
    yield* store.finishRun(interrupted.runId, "interrupted", zeroCounts, "killed")
    yield* store.releaseLease("runner-a")
    return [first.runId, rollback.runId, interrupted.runId] as const
  })

const sorted = (links: ReadonlyArray<LinkState>) => [...links].sort((a, b) => a.leftId.localeCompare(b.leftId))

/** Everything the core asks a store, on both sides: what an import must answer as the source did. */
const everything = (store: SyncStoreService) =>
  Effect.gen(function* () {
    const both = yield* snapshot(store, ids, checkpoints)
    const runs = yield* store.runs(1_000)
    return {
      ...both,
      // `links` promises no order.
      links: sorted(both.links),
      byId: yield* Effect.forEach(runs, (run) => store.run(run.id)),
      linkOf: yield* Effect.forEach(ids, (record) => store.linkOf(record.startsWith("l") ? "left" : "right", record)),
      acknowledgedRight: [...(yield* store.acknowledged("right", ids))],
      shownRight: [...(yield* store.shownLinks("right", ids))]
    }
  })

const fresh = <E>(database: Effect.Effect<StoreDatabase, E, Scope.Scope>) =>
  Effect.flatMap(database, (target) => target.open)

/**
 * Export and import: a copy answers every query as its source, keeps ids, refuses a store not empty, is all or nothing.
 * Each test's source is the database `register` gives it; its targets are fresh ones from `database`, of the same
 * store or another.
 */
export const copyTests = <E>(register: Register, database: Effect.Effect<StoreDatabase, E, Scope.Scope>): void => {
  register("a store exported and imported into an empty one answers every query the same, its ids kept", ({ open }) =>
    Effect.gen(function* () {
      const source = yield* open
      const [first, rollback, interrupted] = yield* populate(source)
      const target = yield* fresh(database)
      const counts = yield* target.importState(source.exportState)
      expect(counts).toEqual({
        runs: 3,
        operations: 5,
        outcomes: 2,
        untold: 2,
        conflicts: 2,
        links: 3,
        checkpoints: 2,
        acknowledgements: 3,
        shown: 1,
        lease: 1
      })
      expect(yield* everything(target)).toEqual(yield* everything(source))
      expect((yield* target.runs(10)).map((run) => run.id)).toEqual([interrupted, rollback, first])
      // The copy goes on where the source left off: the interrupted run's operations resume, settled keys stay
      // settled, a new run gets an id of its own, and the lease is free to take.
      expect((yield* target.unfinished).map((op) => [op.key, op.state, op.provisionalId])).toEqual([
        ["u2", "pending", undefined],
        ["c2", "attempted", "p-2"]
      ])
      expect(yield* target.acquireLease("runner-b", 60_000)).toBe(true)
      const next = yield* target.startRun(sync, [create("c1"), update("u1"), update("u3")])
      expect([first, rollback, interrupted]).not.toContain(next.runId)
      expect(next.operations.map((op) => op.key)).toEqual(["u3"])
      expect(Option.map(yield* target.run(first), (run) => run.status)).toEqual(Option.some("completed"))
      const [parked] = yield* target.parkedActions
      expect(yield* target.resolveAction(String(parked?.id), "done")).toEqual({ _tag: "Resolved", action: parked })
    })
  )

  register("an export comes in chunks of at most batchSize rows, tables in order, each row once", ({ open }) =>
    Effect.gen(function* () {
      const source = yield* open
      const many = Array.from(
        { length: StoreExport.batchSize * 2 + 7 },
        (_, i) => new LinkState({ leftId: id(`l${i}`), rightId: id(`r${i}`), left: { n: i }, right: { n: i } })
      )
      yield* source.saveLinks(many)
      const chunks = Chunk.toReadonlyArray(yield* Stream.runCollect(source.exportState))
      expect(chunks.map((chunk) => [chunk.table, chunk.rows.length])).toEqual([
        ["links", StoreExport.batchSize],
        ["links", StoreExport.batchSize],
        ["links", 7]
      ])
      const target = yield* fresh(database)
      expect((yield* target.importState(Stream.fromIterable(chunks))).links).toBe(many.length)
      expect(sorted(yield* target.links)).toEqual(sorted(many))
    })
  )

  register("an import into a store holding rows is refused with StoreNotEmpty and changes nothing", ({ open }) =>
    Effect.gen(function* () {
      const source = yield* open
      yield* populate(source)
      const target = yield* fresh(database)
      yield* target.saveCheckpoint("left:list", "7")
      const before = yield* everything(target)
      const refused = yield* failsWith("StoreNotEmpty", target.importState(source.exportState))
      expect(refused.message.length).toBeGreaterThan(0)
      expect(yield* everything(target)).toEqual(before)
      yield* failsWith("StoreNotEmpty", source.importState(source.exportState))
    })
  )

  register("an import that fails half way leaves nothing of it; the next one goes through", ({ open }) =>
    Effect.gen(function* () {
      const source = yield* open
      yield* populate(source)
      const target = yield* fresh(database)
      const empty = yield* everything(target)
      const broken = Stream.concat(Stream.take(source.exportState, 4), Stream.fail("the source went away"))
      const failed = yield* Effect.flip(target.importState(broken))
      expect(failed).toBe("the source went away")
      expect(yield* everything(target)).toEqual(empty)
      const unreadable = Stream.concat(
        Stream.take(source.exportState, 1),
        Stream.make<Array<StoreExport.Chunk>>({ table: "links", rows: [{ ...linkRow, left: "{not json" }] })
      )
      const refused = yield* failsWith("StoreError", target.importState(unreadable))
      expect(refused.message).toContain("link l9↔r9")
      expect(yield* everything(target)).toEqual(empty)
      yield* target.importState(source.exportState)
      expect(yield* everything(target)).toEqual(yield* everything(source))
    })
  )
}

const linkRow = { leftId: "l9", rightId: "r9", left: "{}", right: "{}", leftVersion: null, rightVersion: null }
