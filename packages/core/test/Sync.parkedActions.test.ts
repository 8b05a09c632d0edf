import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as Dispatcher from "../src/Dispatcher.js"
import { LinkState } from "../src/Domain.js"
import { InMemoryFault } from "../src/InMemoryAdapter.js"
import { Action, Update } from "../src/Plan.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { id, key, policy, record, syncRun, withTime, world } from "./harness.js"

// A follow-up whose answer was lost on a side that cannot recognize a repeat is parked; a person then says it was
// delivered (it stays settled) or asks for one more send (the next sync sends it exactly once).

const followUp = new Action({
  key: key("follow"),
  side: "right",
  target: { _tag: "Id", id: id("R1") },
  kind: "followUp",
  payload: { intro: "回访 13800138000", sort: "1" }
})

const fields = { code: "WX1", name: "A", mobile: "13800000001", wechat: null, note: null }

/** One linked pair, in step, so that a sync plans nothing of its own; the right side has no idempotent actions. */
const parkedWorld = Effect.gen(function* () {
  const w = yield* world({
    left: { records: [record("1", { name: "A", mobile: "13800000001", wechat: null, note: null })] },
    right: {
      records: [record("R1", fields)],
      unique: ["mobile"],
      capabilities: { idempotentActions: false }
    }
  })
  yield* w.store.saveLinks([new LinkState({ leftId: id("1"), rightId: id("R1"), left: fields, right: fields })])
  yield* w.right.failNext(1, InMemoryFault.ackLost, "perform")
  const { runId, operations } = yield* w.store.startRun(syncRun, [followUp])
  yield* withTime(w.provide(Dispatcher.dispatch(runId, operations, {})))
  return { w, runId }
})

const performs = (w: World) =>
  Effect.map(w.right.writes, (writes) => writes.filter((write) => write._tag === "Perform").length)

const sync = (w: World) => withTime(w.provide(Sync.run(policy, { direction: "both", dryRun: false, full: false })))

describe("parked actions through a sync", () => {
  it.scoped("lists an action whose answer was lost, with its target and what to check", () =>
    Effect.gen(function* () {
      const { w, runId } = yield* parkedWorld
      const [parked, ...rest] = yield* w.store.parkedActions
      expect(rest).toEqual([])
      expect(parked).toMatchObject({ key: "follow", runId, targetId: Option.some("R1"), action: followUp })
      // attempted when the clock (Effect's TestClock) stood at 0, as the action's answer was lost
      expect(parked?.reason).toContain("attempted at 1970-01-01T00:00:00.000Z; check right record R1 for a followUp")
      expect(parked?.reason).toContain("`tongbu actions resolve <id> --done` if it is there, `--retry`")
    })
  )

  it.scoped("done: settled for good, never sent again, no longer listed; a second resolve says it is not parked", () =>
    Effect.gen(function* () {
      const { w } = yield* parkedWorld
      const [parked] = yield* w.store.parkedActions
      const resolved = yield* w.store.resolveAction(String(parked?.id), "done")
      expect(resolved._tag).toBe("Resolved")
      expect(yield* w.store.parkedActions).toEqual([])
      expect((yield* w.store.settledKeys).has("follow")).toBe(true)
      yield* sync(w)
      expect(yield* performs(w)).toBe(1)
      expect(yield* w.store.resolveAction("follow", "retry")).toEqual({
        _tag: "NotParked",
        key: "follow",
        state: "done"
      })
    })
  )

  it.scoped("retry: the next sync sends it exactly once, and the one after sends nothing", () =>
    Effect.gen(function* () {
      const { w, runId } = yield* parkedWorld
      expect((yield* w.store.resolveAction("follow", "retry"))._tag).toBe("Resolved")
      expect((yield* w.store.settledKeys).has("follow")).toBe(false)
      yield* sync(w)
      expect(yield* performs(w)).toBe(2)
      expect((yield* w.store.operations(runId))[0]).toMatchObject({ state: "done" })
      yield* sync(w)
      expect(yield* performs(w)).toBe(2)
    })
  )

  it.scoped("an unknown id, or an operation that is not an action, is told apart", () =>
    Effect.gen(function* () {
      const { w } = yield* parkedWorld
      expect(yield* w.store.resolveAction("999", "done")).toEqual({ _tag: "Unknown" })
      expect(yield* w.store.resolveAction("nope", "done")).toEqual({ _tag: "Unknown" })
      const update = new Update({
        key: key("update"),
        side: "right",
        id: id("R1"),
        otherId: id("1"),
        changes: { name: "B" },
        before: { name: "A" },
        canonicalFields: ["name"]
      })
      yield* w.store.startRun(syncRun, [update])
      expect(yield* w.store.resolveAction("update", "done")).toEqual({
        _tag: "NotAction",
        key: "update",
        operation: "Update"
      })
    })
  )
})
