import { describe, expect, layer } from "@effect/vitest"
import { IdempotencyKey, LinkState, RecordId, RunId } from "@tongbu/core"
import { Action, Create, Link, Operation, Reason, Update } from "@tongbu/core"
import type { StartRun } from "@tongbu/core"
import { Outcome, StoredConflict, SyncStore } from "@tongbu/core"
import { Effect, Exit, Layer, Option, Schema, TestClock } from "effect"
import * as PostgresStore from "../src/PostgresStore.js"
import * as TestServer from "../src/testing.js"

// The SQLite store's own tests (packages/core/test/SqliteStore.test.ts), run against PostgreSQL: the same calls give
// the same answers. Each test, and each case of the property, has a new pair's store.

const runs = { numRuns: 30, seed: Number(process.env.TONGBU_PROP_SEED ?? 101) }
const fresh = TestServer.freshStore
const key = (k: string) => IdempotencyKey.make(k)
const id = (i: string) => RecordId.make(i)
const sync: StartRun = { kind: "sync", direction: "both", dryRun: false, full: false }

const update = (k: string, side: "left" | "right" = "right") =>
  new Update({
    key: key(k),
    side,
    id: id("r1"),
    otherId: id("l1"),
    changes: { mobile: "13800138000" },
    before: { mobile: null },
    canonicalFields: ["mobile"]
  })
const create = (k: string) =>
  new Create({ key: key(k), side: "right", sourceId: id("l2"), fields: { name: "张三" }, canonical: { name: "张三" } })
const link = (left: string, right: string, name = "a") =>
  new LinkState({ leftId: id(left), rightId: id(right), left: { name }, right: { name }, leftVersion: "v1" })


layer(TestServer.layer())("PostgresStore, as the SQLite store behaves", (it) => {
  it.effect("keeps links by either side; a new link replaces any link of either record", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      yield* store.saveLinks([link("l1", "r1"), link("l2", "r2")])
      expect(Option.getOrThrow(yield* store.linkOf("right", id("r1")))).toEqual(link("l1", "r1"))
      yield* store.saveLinks([link("l1", "r2", "b")])
      expect(yield* store.links).toEqual([link("l1", "r2", "b")])
      yield* store.removeLink(id("l1"), id("r2"))
      expect(yield* store.links).toEqual([])
      expect(Option.isNone(yield* store.linkOf("left", id("l1")))).toBe(true)
    }).pipe(Effect.provide(fresh))
  )

  it.effect("records a run with its operations; settled keys are left out, unsettled ones move to the new run", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      yield* TestClock.setTime(1_000)
      const started = yield* store.startRun(sync, [update("u1"), create("c1"), update("u2")])
      const first = started.runId
      expect(started.operations).toEqual(yield* store.operations(first))
      expect((yield* store.operations(first)).map((op) => [op.seq, op.key, op.state])).toEqual([
        [0, "u1", "pending"],
        [1, "c1", "pending"],
        [2, "u2", "pending"]
      ])
      yield* store.complete(key("u1"), { links: [], written: { mobile: "13800138000" } })
      yield* store.markAttempted(key("c1"))
      yield* store.recordProvisional(key("c1"), "p-7")
      yield* store.fail(key("u2"), "rejected", "the ERP said no")
      const { operations: returned, runId: second } = yield* store.startRun(sync, [
        update("u1"),
        create("c1"),
        update("u2")
      ])
      const moved = yield* store.operations(second)
      expect(returned).toEqual(moved)
      expect(moved.map((op) => [op.key, op.state, op.provisionalId])).toEqual([
        ["c1", "attempted", "p-7"],
        ["u2", "pending", undefined]
      ])
      expect((yield* store.operations(first)).map((op) => op.key)).toEqual(["u1"])
      const run = Option.getOrThrow(yield* store.run(first))
      expect([run.status, run.startedAt, run.kind]).toEqual(["running", 1_000, "sync"])
    }).pipe(Effect.provide(fresh))
  )

  it.effect("walks an operation through its states, saving links with completion", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const { runId } = yield* store.startRun(sync, [update("u1"), create("c1"), update("u2"), update("u3")])
      yield* store.markAttempted(key("u1"))
      yield* store.markAttempted(key("u1"))
      yield* store.fail(key("u2"), "parked", "gave up after 5 attempts: timeout")
      yield* store.journal([
        { _tag: "Attempted", key: key("c1") },
        { _tag: "Provisional", key: key("c1"), provisionalId: "9" },
        {
          _tag: "Completed",
          key: key("c1"),
          result: { resultId: id("9"), links: [link("l2", "9")], written: { name: "张三" } }
        }
      ])
      expect((yield* store.unfinished).map((op) => [op.key, op.state, op.attempts])).toEqual([
        ["u1", "attempted", 2],
        ["u3", "pending", 0]
      ])
      expect([...(yield* store.settledKeys)].sort()).toEqual(["c1", "u2"])
      const c1 = (yield* store.operations(runId)).find((op) => op.key === "c1")
      expect(c1).toMatchObject({
        state: "done",
        attempts: 1,
        provisionalId: "9",
        resultId: "9",
        written: { name: "张三" }
      })
      expect(Option.isSome(yield* store.linkOf("right", id("9")))).toBe(true)
      yield* store.complete(key("u1"), { links: [], linkBefore: link("l1", "r1") })
      yield* store.markRolledBack(key("u1"))
      const u1 = (yield* store.operations(runId)).find((op) => op.key === "u1")
      expect(u1).toMatchObject({ state: "rolledBack", linkBefore: link("l1", "r1") })
    }).pipe(Effect.provide(fresh))
  )

  it.effect("a journal batch is one transaction: an unknown key fails it whole, naming the key", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      yield* store.startRun(sync, [update("u1")])
      const exit = yield* Effect.exit(
        store.journal([
          { _tag: "Attempted", key: key("u1") },
          { _tag: "Attempted", key: key("nope") }
        ])
      )
      expect(exit).toMatchObject({ _tag: "Failure" })
      expect(String(Exit.isFailure(exit) && exit.cause.toString())).toContain(
        "there is no operation nope in the outbox"
      )
      expect((yield* store.unfinished).map((op) => op.state)).toEqual(["pending"])
    }).pipe(Effect.provide(fresh))
  )

  it.effect("finishes runs and lists them newest first", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const { runId: a } = yield* store.startRun(sync, [])
      const { runId: b } = yield* store.startRun(
        { kind: "rollback", direction: "both", dryRun: false, full: false, target: a },
        []
      )
      yield* TestClock.setTime(5_000)
      const counts = {
        created: 1,
        updated: 2,
        linked: 0,
        unchanged: 3,
        skipped: 1,
        conflicts: 0,
        actions: 0,
        failed: 1
      }
      yield* store.finishRun(a, "failed", counts, "bad credentials")
      const listed = yield* store.runs(10)
      expect(listed.map((run) => [run.id, run.kind, run.status, run.target])).toEqual([
        [b, "rollback", "running", a],
        [a, "sync", "failed", undefined]
      ])
      expect(listed[1]).toMatchObject({ counts, finishedAt: 5_000, error: "bad credentials" })
      const missing = yield* Effect.flip(store.finishRun(RunId.make("999"), "completed", counts))
      expect(missing.message).toContain("there is no run 999")
      expect(Option.isNone(yield* store.run(RunId.make("not-a-run")))).toBe(true)
    }).pipe(Effect.provide(fresh))
  )

  it.effect("records outcomes per run", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const { runId } = yield* store.startRun(sync, [])
      const outcome = new Outcome({
        runId,
        side: "left",
        id: id("l1"),
        otherId: id("r1"),
        operation: "create",
        outcome: "skipped",
        reasons: [new Reason({ rule: "uniqueKey", message: "mobile belongs to 42", collidingId: id("42") })]
      })
      yield* store.recordOutcomes([outcome])
      expect(yield* store.outcomes(runId)).toEqual([outcome])
    }).pipe(Effect.provide(fresh))
  )

  it.effect("keeps conflicts; resolving one moves the losing side's baseline so the winner is carried across", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const { runId } = yield* store.startRun(sync, [])
      yield* store.saveLinks([
        new LinkState({
          leftId: id("l1"),
          rightId: id("r1"),
          left: { name: "A" },
          right: { name: "A" },
          leftVersion: "1",
          rightVersion: "2"
        })
      ])
      const conflict = new StoredConflict({
        id: "conflict:l1:name",
        runId,
        leftId: id("l1"),
        rightId: id("r1"),
        field: "name",
        left: "B",
        right: "C",
        baseline: { left: "A", right: "A" },
        createdAt: 0
      })
      yield* store.saveConflict(conflict)
      yield* store.saveConflict(conflict)
      expect(yield* store.openConflicts).toEqual([conflict])
      const resolved = yield* store.resolveConflict(conflict.id, "left")
      expect(Option.getOrThrow(resolved).resolution).toBe("left")
      expect(yield* store.openConflicts).toEqual([])
      expect(Option.getOrThrow(yield* store.linkOf("left", id("l1")))).toEqual(
        new LinkState({ leftId: id("l1"), rightId: id("r1"), left: { name: "A" }, right: { name: "C" } })
      )
      expect(Option.isNone(yield* store.resolveConflict("unknown", "right"))).toBe(true)
    }).pipe(Effect.provide(fresh))
  )

  it.effect("keeps checkpoints and what each side was told", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      expect(Option.isNone(yield* store.checkpoint("left:list"))).toBe(true)
      yield* store.saveCheckpoint("left:list", "1")
      yield* store.saveCheckpoint("left:list", "2")
      expect(yield* store.checkpoint("left:list")).toEqual(Option.some("2"))
      yield* store.saveAcknowledged(
        "left",
        new Map([
          [id("1"), "synced"],
          [id("2"), "failed"]
        ])
      )
      yield* store.saveAcknowledged("left", new Map([[id("2"), "synced"]]))
      const told = yield* store.acknowledged("left", [id("1"), id("2"), id("3")])
      expect([...told]).toEqual([
        ["1", "synced"],
        ["2", "synced"]
      ])
      expect((yield* store.acknowledged("right", [id("1")])).size).toBe(0)
    }).pipe(Effect.provide(fresh))
  )

  it.effect("remembers which side of which run was not told, newest run first, until it is told", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const first = (yield* store.startRun({ ...sync, untold: ["left", "right"] }, [])).runId
      const second = (yield* store.startRun(sync, [])).runId
      const third = (yield* store.startRun({ ...sync, untold: ["left"] }, [])).runId
      expect(yield* store.untold).toEqual([
        { runId: third, side: "left" },
        { runId: first, side: "left" },
        { runId: first, side: "right" }
      ])
      yield* store.markUntold("right", [second, first])
      yield* store.markUntold("right", [second])
      yield* store.markTold("left", [first, third, second])
      expect(yield* store.untold).toEqual([
        { runId: second, side: "right" },
        { runId: first, side: "right" }
      ])
      yield* store.markTold("right", [])
      yield* store.markTold("right", [first, second])
      expect(yield* store.untold).toEqual([])
      const unknown = yield* Effect.flip(store.markUntold("left", [RunId.make("99")]))
      expect(unknown.message).toContain("cannot record the runs left was not told: insert or update on table \"untold\" violates foreign key constraint")
      const malformed = yield* Effect.flip(store.markTold("left", [RunId.make("dry-run")]))
      expect(malformed.message).toContain("there is no run dry-run")
    }).pipe(Effect.provide(fresh))
  )

  it.effect("keeps what a side wrote to show a link: the first before-image of the same link, until forgotten", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const shown = (linkedId: string, before: string | null, written: string) => ({
        id: id("5"),
        linkedId: id(linkedId),
        before: { erp_id: before },
        written: { erp_id: written }
      })
      yield* store.saveShown("left", [shown("7", "old", "7")])
      // Shown again (a person had cleared it): what the record held before the link is still "old".
      yield* store.saveShown("left", [
        { ...shown("7", null, "7"), before: { erp_id: null, code: null }, written: { erp_id: "7", code: "WX5" } }
      ])
      expect([...(yield* store.shownLinks("left", [id("5"), id("6")]))]).toEqual([
        ["5", { id: "5", linkedId: "7", before: { erp_id: "old", code: null }, written: { erp_id: "7", code: "WX5" } }]
      ])
      expect((yield* store.shownLinks("right", [id("5")])).size).toBe(0)
      yield* store.saveShown("left", [shown("8", "7", "8")])
      expect((yield* store.shownLinks("left", [id("5")])).get(id("5"))).toEqual(shown("8", "7", "8"))
      yield* store.forgetShown("left", [id("5")])
      expect((yield* store.shownLinks("left", [id("5")])).size).toBe(0)
    }).pipe(Effect.provide(fresh))
  )

  it.effect("gives the lease to one holder at a time, until it expires or is released", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      expect(yield* store.acquireLease("a", 1_000)).toBe(true)
      expect(yield* store.acquireLease("b", 1_000)).toBe(false)
      yield* TestClock.adjust(600)
      expect(yield* store.acquireLease("a", 1_000)).toBe(true)
      yield* TestClock.adjust(600)
      expect(yield* store.acquireLease("b", 1_000)).toBe(false)
      yield* TestClock.adjust(500)
      expect(yield* store.acquireLease("b", 1_000)).toBe(true)
      yield* store.releaseLease("a")
      expect(yield* store.acquireLease("a", 1_000)).toBe(false)
      yield* store.releaseLease("b")
      expect(yield* store.acquireLease("a", 1_000)).toBe(true)
    }).pipe(Effect.provide(fresh))
  )

  it.effect.prop(
    "stores and reads back any operation unchanged",
    [Schema.Array(Operation)],
    ([operations]) =>
      Effect.gen(function* () {
        const store = yield* SyncStore
        const unique = [...new Map(operations.map((op) => [op.key, op])).values()]
        const started = yield* store.startRun(sync, unique)
        const stored = yield* store.operations(started.runId)
        expect(stored.map((op) => op.operation)).toEqual(unique)
        expect(started.operations).toEqual(stored)
      }).pipe(Effect.provide(fresh)),
    { fastCheck: runs, timeout: 60_000 }
  )

  it.effect("serializes actions and links of every shape", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const ops = [
        new Link({ key: key("link"), leftId: id("l"), rightId: id("r") }),
        new Action({
          key: key("a1"),
          side: "right",
          target: { _tag: "CreatedFrom", sourceId: id("l") },
          kind: "assign",
          payload: { to: 3 }
        }),
        new Action({
          key: key("a2"),
          side: "right",
          target: { _tag: "Id", id: id("r") },
          kind: "followUp",
          payload: { text: "面谈", ok: true }
        })
      ]
      const { runId } = yield* store.startRun(sync, ops)
      expect((yield* store.operations(runId)).map((op) => op.operation)).toEqual(ops)
    }).pipe(Effect.provide(fresh))
  )
})
