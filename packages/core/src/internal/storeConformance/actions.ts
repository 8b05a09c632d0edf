import { expect } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { Action } from "../../Plan.js"
import type { SyncStoreService } from "../../SyncStore.js"
import type { Register } from "./helpers.js"
import { action, id, key, link, sync, update } from "./helpers.js"

const parkOne = (store: SyncStoreService) =>
  Effect.gen(function* () {
    const followUp = action("follow")
    const { runId } = yield* store.startRun(sync, [followUp])
    yield* TestClock.setTime(3_000)
    yield* store.markAttempted(key("follow"))
    yield* store.fail(key("follow"), "parked", "uncertain: check right record r1 for a followUp")
    return { runId, followUp }
  })

/** Parked actions, and each answer `resolveAction` gives. */
export const actionTests = (register: Register): void => {
  register("lists parked actions oldest first, with their target (by id or by link) and reason", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      const { runId, followUp } = yield* parkOne(store)
      const assign = new Action({
        key: key("assign"),
        side: "right",
        target: { _tag: "CreatedFrom", sourceId: id("l2") },
        kind: "assign",
        payload: { to: 3 }
      })
      const lost = new Action({
        key: key("lost"),
        side: "left",
        target: { _tag: "CreatedFrom", sourceId: id("r404") },
        kind: "tag",
        payload: {}
      })
      yield* store.startRun(sync, [assign, lost, update("u1")])
      yield* store.saveLinks([link("l2", "r2")])
      yield* store.fail(key("assign"), "parked", "gave up")
      yield* store.fail(key("lost"), "parked", "gave up")
      yield* store.fail(key("u1"), "parked", "an update, not an action")
      const parked = yield* store.parkedActions
      expect(parked.map((p) => [p.key, p.targetId, p.reason])).toEqual([
        ["follow", Option.some("r1"), "uncertain: check right record r1 for a followUp"],
        ["assign", Option.some("r2"), "gave up"],
        ["lost", Option.none(), "gave up"]
      ])
      expect(parked[0]).toMatchObject({ key: "follow", runId, action: followUp, parkedAt: 3_000 })
      expect(new Set(parked.map((p) => p.id)).size).toBe(3)
    })
  )

  register("resolve done: settled for good, no longer listed; a second resolve says it is not parked", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      yield* parkOne(store)
      const [parked] = yield* store.parkedActions
      const resolved = yield* store.resolveAction(String(parked?.id), "done")
      expect(resolved).toEqual({ _tag: "Resolved", action: parked })
      expect(yield* store.parkedActions).toEqual([])
      expect((yield* store.settledKeys).has("follow")).toBe(true)
      expect(yield* store.unfinished).toEqual([])
      expect(yield* store.resolveAction("follow", "retry")).toEqual({ _tag: "NotParked", key: "follow", state: "done" })
    })
  )

  register(
    "resolve retry: back in the outbox as pending with its attempts cleared, so a resume sends it once",
    ({ open }) =>
      Effect.gen(function* () {
        const store = yield* open
        const { runId } = yield* parkOne(store)
        expect((yield* store.resolveAction("follow", "retry"))._tag).toBe("Resolved")
        expect((yield* store.settledKeys).has("follow")).toBe(false)
        expect(yield* store.parkedActions).toEqual([])
        expect((yield* store.unfinished).map((op) => [op.key, op.runId, op.state, op.attempts, op.lastError])).toEqual([
          ["follow", runId, "pending", 0, undefined]
        ])
      })
  )

  register("an unknown id, an action not parked, or an operation that is not an action, is told apart", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      yield* store.startRun(sync, [action("pending"), update("update")])
      expect(yield* store.resolveAction("999999", "done")).toEqual({ _tag: "Unknown" })
      expect(yield* store.resolveAction("nope", "done")).toEqual({ _tag: "Unknown" })
      expect(yield* store.resolveAction("pending", "done")).toEqual({
        _tag: "NotParked",
        key: "pending",
        state: "pending"
      })
      expect(yield* store.resolveAction("update", "done")).toEqual({
        _tag: "NotAction",
        key: "update",
        operation: "Update"
      })
      expect((yield* store.unfinished).map((op) => op.state)).toEqual(["pending", "pending"])
    })
  )
}
