import { expect } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { Outcome } from "../../SyncStore.js"
import type { Register } from "./helpers.js"
import { create, failsWith, id, key, link, snapshot, sync, update } from "./helpers.js"

/** An operation's life in the outbox, and the journal's batches. */
export const outboxTests = (register: Register): void => {
  register("walks an operation through its states, saving links with completion", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      const { runId } = yield* store.startRun(sync, [update("u1"), create("c1"), update("u2"), update("u3")])
      yield* TestClock.setTime(2_000)
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
      expect((yield* store.unfinished)[0]?.updatedAt).toBe(2_000)
      expect([...(yield* store.settledKeys)].sort()).toEqual(["c1", "u2"])
      const c1 = (yield* store.operations(runId)).find((op) => op.key === "c1")
      expect(c1).toMatchObject({
        state: "done",
        attempts: 1,
        provisionalId: "9",
        resultId: "9",
        written: { name: "张三" }
      })
      expect((yield* store.operations(runId)).find((op) => op.key === "u2")).toMatchObject({
        state: "parked",
        lastError: "gave up after 5 attempts: timeout"
      })
      expect(Option.isSome(yield* store.linkOf("right", id("9")))).toBe(true)
      yield* store.complete(key("u1"), {
        links: [],
        linkBefore: link("l1", "r1"),
        overwritten: { mobile: "13900000000" }
      })
      yield* store.markRolledBack(key("u1"))
      const u1 = (yield* store.operations(runId)).find((op) => op.key === "u1")
      expect(u1).toMatchObject({
        state: "rolledBack",
        linkBefore: link("l1", "r1"),
        overwritten: { mobile: "13900000000" }
      })
      expect([...(yield* store.settledKeys)].sort()).toEqual(["c1", "u1", "u2"])
    })
  )

  register(
    "unfinished lists pending and attempted operations of every run, oldest run first, in plan order",
    ({ open }) =>
      Effect.gen(function* () {
        const store = yield* open
        yield* store.startRun(sync, [update("a2"), update("a1")])
        yield* store.markAttempted(key("a1"))
        yield* store.startRun(sync, [update("b2"), update("b1")])
        yield* store.fail(key("b2"), "rejected", "no")
        expect((yield* store.unfinished).map((op) => [op.key, op.state])).toEqual([
          ["a2", "pending"],
          ["a1", "attempted"],
          ["b1", "pending"]
        ])
      })
  )

  register("complete is idempotent and saves its links in the same transaction", (database) =>
    Effect.gen(function* () {
      const store = yield* database.open
      const { runId } = yield* store.startRun(sync, [create("c1")])
      const result = { resultId: id("9"), links: [link("l2", "9")], written: { name: "张三" } }
      yield* store.complete(key("c1"), result)
      expect(yield* store.links, "complete saves the links it produced").toEqual([link("l2", "9")])
      const once = yield* snapshot(store, [], [])
      yield* store.complete(key("c1"), result)
      expect(yield* snapshot(store, [], [])).toEqual(once)
      expect((yield* store.operations(runId))[0]).toMatchObject({ state: "done", resultId: "9" })
      // An unknown key fails the whole completion: its links are not saved either.
      const missing = yield* failsWith(
        "StoreError",
        store.complete(key("nope"), { resultId: id("10"), links: [link("l3", "10")] })
      )
      expect(missing.message).toContain("there is no operation nope in the outbox")
      expect(Option.isNone(yield* store.linkOf("right", id("10")))).toBe(true)
    })
  )

  register("a step on a key the outbox does not hold fails, naming the key", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      for (const step of [
        store.markAttempted(key("nope")),
        store.recordProvisional(key("nope"), "1"),
        store.fail(key("nope"), "rejected", "no"),
        store.markRolledBack(key("nope"))
      ]) {
        const error = yield* failsWith("StoreError", step)
        expect(error.message).toContain("there is no operation nope in the outbox")
      }
    })
  )

  register("a journal batch is applied in order, as one transaction: an unknown key fails it whole", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      const { runId } = yield* store.startRun(sync, [update("u1"), create("c1")])
      const before = yield* snapshot(store, [], [])
      const error = yield* failsWith(
        "StoreError",
        store.journal([
          { _tag: "Attempted", key: key("u1") },
          { _tag: "Links", links: [link("l5", "r5")] },
          { _tag: "Attempted", key: key("nope") }
        ])
      )
      expect(error.message).toContain("there is no operation nope in the outbox")
      expect(yield* snapshot(store, [], [])).toEqual(before)
      // In order: a later entry for the same key wins, and an outcome and links go with the steps.
      yield* store.journal([
        { _tag: "Attempted", key: key("c1") },
        { _tag: "Provisional", key: key("c1"), provisionalId: "p1" },
        { _tag: "Failed", key: key("c1"), state: "pending", error: "timeout" },
        { _tag: "Attempted", key: key("c1") },
        { _tag: "Completed", key: key("c1"), result: { resultId: id("9"), links: [link("l2", "9")] } },
        { _tag: "Links", links: [link("l2", "9", "b")] },
        {
          _tag: "Outcome",
          outcome: new Outcome({
            runId,
            side: "right",
            id: id("9"),
            otherId: id("l2"),
            operation: "create",
            outcome: "created",
            reasons: []
          })
        }
      ])
      expect((yield* store.operations(runId)).find((op) => op.key === "c1")).toMatchObject({
        state: "done",
        attempts: 2,
        provisionalId: "p1",
        resultId: "9",
        lastError: undefined
      })
      expect(yield* store.links).toEqual([link("l2", "9", "b")])
      expect((yield* store.outcomes(runId)).map((o) => [o.id, o.outcome])).toEqual([["9", "created"]])
    })
  )
}
