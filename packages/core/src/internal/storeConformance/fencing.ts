import { expect } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import type { StoreWriteError, SyncStoreService } from "../../SyncStore.js"
import { Outcome, StoredConflict, zeroCounts } from "../../SyncStore.js"
import type { Register } from "./helpers.js"
import { action, create, failsWith, id, key, link, snapshot, sync, update } from "./helpers.js"

const ids = [id("l1"), id("l2"), id("l9"), id("5"), id("6")]
const checkpoints = ["left:list", "right:list"]

/**
 * A pair's state with something for every write to change: a running run with operations in each state, a link,
 * an open conflict, a parked action, an untold run, a record told and one shown.
 */
const seed = (store: SyncStoreService) =>
  Effect.gen(function* () {
    const ops = [update("attempt"), create("provisional"), update("complete"), update("fail"), update("done")]
    const { runId } = yield* store.startRun({ ...sync, untold: ["left"] }, [...ops, action("parked"), update("batch")])
    yield* store.complete(key("done"), { links: [] })
    yield* store.fail(key("parked"), "parked", "uncertain")
    yield* store.saveLinks([link("l1", "r1")])
    yield* store.saveConflict(
      new StoredConflict({
        id: "conflict:l1:name",
        runId,
        leftId: id("l1"),
        rightId: id("r1"),
        field: "name",
        left: "B",
        right: "C",
        baseline: { left: "a", right: "a" },
        createdAt: 0
      })
    )
    yield* store.saveAcknowledged("left", new Map([[id("l1"), "synced"]]))
    yield* store.saveShown("left", [{ id: id("5"), linkedId: id("7"), before: { erp: null }, written: { erp: "7" } }])
    yield* store.saveCheckpoint("left:list", "1")
    const [parked] = yield* store.parkedActions
    return { runId, parkedId: String(parked?.id) }
  })

type Seeded = Effect.Effect.Success<ReturnType<typeof seed>>

/** Every write of the port, each one that changes the seeded state when allowed. */
const writes = (
  s: SyncStoreService,
  { runId, parkedId }: Seeded
): ReadonlyArray<readonly [string, Effect.Effect<unknown, StoreWriteError>]> => [
  ["saveLinks", s.saveLinks([link("l2", "r2")])],
  ["removeLink", s.removeLink(id("l1"), id("r1"))],
  ["startRun", s.startRun(sync, [update("new")])],
  ["finishRun", s.finishRun(runId, "completed", zeroCounts)],
  ["markAttempted", s.markAttempted(key("attempt"))],
  ["recordProvisional", s.recordProvisional(key("provisional"), "p1")],
  ["complete", s.complete(key("complete"), { resultId: id("r9"), links: [link("l9", "r9")] })],
  ["fail", s.fail(key("fail"), "rejected", "no")],
  ["markRolledBack", s.markRolledBack(key("done"))],
  ["journal", s.journal([{ _tag: "Attempted", key: key("batch") }])],
  [
    "recordOutcomes",
    s.recordOutcomes([
      new Outcome({ runId, side: "left", id: id("l1"), operation: "update", outcome: "unchanged", reasons: [] })
    ])
  ],
  ["resolveAction", s.resolveAction(parkedId, "done")],
  [
    "saveConflict",
    s.saveConflict(
      new StoredConflict({
        id: "conflict:l2:name",
        runId,
        leftId: id("l2"),
        rightId: id("r2"),
        field: "name",
        left: "x",
        right: "y",
        baseline: { left: "w", right: "w" },
        createdAt: 0
      })
    )
  ],
  ["resolveConflict", s.resolveConflict("conflict:l1:name", "left")],
  ["saveAcknowledged", s.saveAcknowledged("left", new Map([[id("l2"), "synced"]]))],
  ["markUntold", s.markUntold("right", [runId])],
  ["markTold", s.markTold("left", [runId])],
  [
    "saveShown",
    s.saveShown("left", [{ id: id("6"), linkedId: id("8"), before: { erp: null }, written: { erp: "8" } }])
  ],
  ["forgetShown", s.forgetShown("left", [id("5")])],
  ["saveCheckpoint", s.saveCheckpoint("right:list", "1")]
]

/** Every write of an instance that lost the lease is refused and changes nothing; the new holder's go through. */
export const fencingTests = (register: Register): void => {
  register(
    "a holder whose lease was taken over has every write refused with StoreFenced, changing nothing",
    ({ open }) =>
      Effect.gen(function* () {
        const stale = yield* open
        const owner = yield* open
        expect(yield* stale.acquireLease("a", 1_000)).toBe(true)
        const seeded = yield* seed(stale)
        yield* TestClock.adjust(1_500)
        expect(yield* owner.acquireLease("b", 1_000)).toBe(true)
        const before = yield* snapshot(owner, ids, checkpoints)
        for (const [name, write] of writes(stale, seeded)) {
          const error = yield* failsWith("StoreFenced", write)
          expect(error.holder, name).toBe("b")
          expect(error.message, name).toContain("another tongbu runner (holder b) took this pair's lease")
          expect(yield* snapshot(owner, ids, checkpoints), `${name} changed the state though refused`).toEqual(before)
        }
        expect(yield* stale.acquireLease("a", 1_000)).toBe(false)
        // The same writes by the new holder go through, each changing the state: the refusals above were real.
        let last = before
        for (const [name, write] of writes(owner, seeded)) {
          yield* write
          const now = yield* snapshot(owner, ids, checkpoints)
          expect(now, `${name} by the holder changed nothing`).not.toEqual(last)
          last = now
        }
      })
  )
}
