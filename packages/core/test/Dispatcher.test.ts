import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Option, Ref } from "effect"
import type { SyncAdapter } from "../src/Adapter.js"
import { FatalError, RejectedError, TransientError } from "../src/AdapterError.js"
import * as Dispatcher from "../src/Dispatcher.js"
import { LinkState, writtenVersion } from "../src/Domain.js"
import { InMemoryFault } from "../src/InMemoryAdapter.js"
import type { Operation } from "../src/Plan.js"
import { Action, Create, Link, Update } from "../src/Plan.js"
import type { SyncStoreService } from "../src/SyncStore.js"
import { StoreError } from "../src/SyncStore.js"
import type { World } from "./harness.js"
import { id, key, record, syncRun, withTime, world } from "./harness.js"

const createOnRight = (
  source: string,
  fields: Record<string, string> = { name: `from ${source}`, mobile: `1380000000${source.slice(-1)}` }
) => new Create({ key: key(`create:right:${source}`), side: "right", sourceId: id(source), fields, canonical: fields })

const updateRight = (k: string, changes: Record<string, string>, before: Record<string, string | null>) =>
  new Update({
    key: key(k),
    side: "right",
    id: id("r1"),
    otherId: id("l1"),
    changes,
    before,
    canonicalFields: Object.keys(changes)
  })

/** Records the operations as a new run and dispatches them. */
const run = (w: World, operations: ReadonlyArray<Operation>, options: Dispatcher.DispatchOptions = {}, sides = {}) =>
  Effect.gen(function* () {
    const { runId, operations: stored } = yield* w.store.startRun(syncRun, operations)
    const exit = yield* Effect.exit(withTime(w.provide(Dispatcher.dispatch(runId, stored, options), sides)))
    return { runId, exit, after: yield* w.store.operations(runId) }
  })

/** Dispatches what an earlier, interrupted dispatch left unfinished. */
const resume = (w: World, options: Dispatcher.DispatchOptions = {}) =>
  Effect.gen(function* () {
    const unfinished = yield* w.store.unfinished
    const [first] = unfinished
    if (first === undefined) return []
    const summary = yield* withTime(w.provide(Dispatcher.dispatch(first.runId, unfinished, options)))
    return summary.outcomes
  })

const stateOf = (after: ReadonlyArray<{ key: string; state: string }>) =>
  Object.fromEntries(after.map((op) => [op.key, op.state]))

const baseline = new LinkState({
  leftId: id("l1"),
  rightId: id("r1"),
  left: { name: "A", mobile: "1" },
  right: { name: "A", mobile: "1" },
  leftVersion: "v1",
  rightVersion: "v1"
})

const linkedWorld = (options: Parameters<typeof world>[0] = {}) =>
  Effect.gen(function* () {
    const w = yield* world({
      left: { records: [record("l1", { name: "A", mobile: "1" })], ...options.left },
      right: { records: [record("r1", { name: "A", mobile: "1" })], unique: ["mobile"], ...options.right }
    })
    yield* w.store.saveLinks([baseline])
    return w
  })

describe("Dispatcher", () => {
  it.scoped("applies links, then creates, then updates and actions, and journals each with its outcome", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld()
      const planned = new LinkState({
        ...baseline,
        left: { name: "B", mobile: "1" },
        right: { name: "B", mobile: "1" },
        rightVersion: undefined
      })
      const ops = [
        new Action({
          key: key("assign"),
          side: "right",
          target: { _tag: "CreatedFrom", sourceId: id("l2") },
          kind: "assign",
          payload: { to: 7 }
        }),
        updateRight("u1", { name: "B" }, { name: "A" }),
        createOnRight("l2"),
        new Link({ key: key("link"), leftId: id("l3"), rightId: id("r3") })
      ]
      const { exit, after } = yield* run(w, ops, { links: [planned] })
      expect(Exit.isSuccess(exit)).toBe(true)
      expect(stateOf(after)).toEqual({ assign: "done", u1: "done", "create:right:l2": "done", link: "done" })
      const createdId = after.find((op) => op.key === "create:right:l2")?.resultId
      expect(createdId).toBe("R1")
      // Updates and actions run concurrently after the creates: their relative order is not fixed.
      const writes = yield* w.right.writes
      expect(writes.map((write) => [write._tag, write.id])).toEqual([
        ["Create", "R1"],
        ...(writes[1]?._tag === "Update"
          ? [
              ["Update", "r1"],
              ["Perform", "R1"]
            ]
          : [
              ["Perform", "R1"],
              ["Update", "r1"]
            ])
      ])
      const outcomes = Exit.isSuccess(exit) ? exit.value.outcomes : []
      expect(outcomes.map((o) => [o.operation, o.outcome, o.side, o.id, o.otherId]).slice(0, 2)).toEqual([
        ["link", "linked", "left", "l3", "r3"],
        ["create", "created", "left", "l2", "R1"]
      ])
      expect(outcomes.map((o) => [o.operation, o.outcome, o.side, o.id, o.otherId]).slice(2)).toEqual(
        expect.arrayContaining([
          ["action:assign", "performed", "right", "R1", undefined],
          ["update", "updated", "right", "r1", "l1"]
        ])
      )
      expect(yield* w.store.outcomes(after[0]!.runId)).toEqual(outcomes)
      // the side the update wrote is marked written: read again next run unless its listing shows what was written
      expect(Option.getOrThrow(yield* w.store.linkOf("left", id("l1")))).toEqual(
        new LinkState({ ...planned, rightVersion: writtenVersion })
      )
      expect(Option.getOrThrow(yield* w.store.linkOf("left", id("l2"))).rightId).toBe("R1")
      expect(Option.isSome(yield* w.store.linkOf("right", id("r3")))).toBe(true)
      expect(after.find((op) => op.key === "u1")).toMatchObject({ written: { name: "B" }, linkBefore: baseline })
    })
  )

  it.scoped("retries transient failures with backoff, then parks the operation with its last error", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld()
      yield* w.right.failNext(2, new TransientError({ adapter: "right", message: "timeout" }), "update")
      const retried = yield* run(w, [updateRight("u1", { name: "B" }, { name: "A" })])
      expect(retried.after[0]).toMatchObject({ state: "done", attempts: 3 })

      yield* w.right.failNext(9, new TransientError({ adapter: "right", message: "timeout" }), "update")
      const parked = yield* run(w, [updateRight("u2", { name: "C" }, { name: "B" })], { maxAttempts: 3 })
      expect(parked.after[0]).toMatchObject({
        state: "parked",
        attempts: 3,
        lastError: "gave up after 3 attempts: timeout"
      })
      expect((yield* w.right.writes).length).toBe(1)
    })
  )

  it.scoped(
    "classifies failures: rejected with the reason, collision skipped with the colliding id, stale left for re-plan",
    () =>
      Effect.gen(function* () {
        const w = yield* linkedWorld({
          right: { records: [record("r1", { name: "A", mobile: "1" }), record("r9", { mobile: "13800000002" })] }
        })
        yield* w.right.failNext(
          1,
          new RejectedError({ adapter: "right", message: "name is too long", field: "name" }),
          "update"
        )
        yield* w.right.edit(id("r1"), { mobile: "5" })
        const { exit, after } = yield* run(w, [
          createOnRight("l2"),
          updateRight("u-rejected", { name: "B" }, { name: "A" }),
          updateRight("u-stale", { mobile: "2" }, { mobile: "1" })
        ])
        expect(stateOf(after)).toEqual({
          "create:right:l2": "rejected",
          "u-rejected": "rejected",
          "u-stale": "pending"
        })
        const outcomes = Exit.isSuccess(exit) ? exit.value.outcomes : []
        const byKey = (op: string) =>
          outcomes.find((o) => o.operation === op && o.id === (op === "create" ? "l2" : "r1"))
        expect(byKey("create")).toMatchObject({
          outcome: "skipped",
          reasons: [{ rule: "uniqueKey", collidingId: "r9" }]
        })
        expect(
          outcomes
            .filter((o) => o.operation === "update")
            .map((o) => [o.outcome, o.reasons[0]?.rule, o.reasons[0]?.message])
        ).toEqual(
          expect.arrayContaining([
            ["failed", "rejected", "name: name is too long"],
            ["skipped", "stale", "changed on right while syncing; will be re-planned"]
          ])
        )
        expect(after.find((op) => op.key === "u-stale")?.lastError).toBe(
          "changed on right while syncing; will be re-planned"
        )
      })
  )

  it.scoped("a fatal error stops the dispatch: nothing more is started and the rest stays pending", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld({ right: { capabilities: { serializeCreates: true } } })
      yield* w.right.failNext(1, new FatalError({ adapter: "right", message: "the password was refused" }), "create")
      const { exit, after } = yield* run(w, [
        createOnRight("l2"),
        createOnRight("l3"),
        updateRight("u1", { name: "B" }, { name: "A" })
      ])
      expect(exit).toEqual(Exit.fail(new FatalError({ adapter: "right", message: "the password was refused" })))
      expect(after.map((op) => [op.key, op.state, op.attempts, op.lastError])).toEqual([
        ["create:right:l2", "pending", 1, "the password was refused"],
        ["create:right:l3", "pending", 0, undefined],
        ["u1", "pending", 0, undefined]
      ])
      expect(yield* w.right.writes).toEqual([])
    })
  )

  it.scoped("a create whose answer was lost is found, not repeated", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld()
      yield* w.right.failNext(1, InMemoryFault.ackLost, "create")
      const { after } = yield* run(w, [createOnRight("l2")])
      expect(after[0]).toMatchObject({ state: "done", attempts: 2, resultId: "R1" })
      expect((yield* w.right.writes).map((write) => write._tag)).toEqual(["Create"])
    })
  )

  it.scoped("after a crash between the write and its journal entry, the resumed create is found, not repeated", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld()
      const crashing: SyncAdapter = {
        ...w.right,
        create: (request) => Effect.zipRight(w.right.create(request), Effect.interrupt)
      }
      const { exit, after } = yield* run(w, [createOnRight("l2")], {}, { right: crashing })
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(after[0]).toMatchObject({ state: "attempted", provisionalId: "R1" })
      yield* resume(w)
      expect((yield* w.store.operations(after[0]!.runId))[0]).toMatchObject({ state: "done", resultId: "R1" })
      expect((yield* w.right.writes).map((write) => write._tag)).toEqual(["Create"])
      expect(Option.isSome(yield* w.store.linkOf("right", id("R1")))).toBe(true)
    })
  )

  it.scoped("a side that finds creates by their source record (no provisional id, no key) finds a crashed create", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld()
      // like the hub: the new record keeps the id of the record it copies, and nothing else of the request
      const bySource = yield* Ref.make(new Map<string, string>())
      const sourceKeyed: SyncAdapter = {
        ...w.right,
        create: (request) =>
          Effect.tap(w.right.create(request), (created) =>
            Ref.update(bySource, (map) => new Map(map).set(request.sourceId, created.id))
          ),
        findCreated: (request) =>
          Effect.map(Ref.get(bySource), (map) => Option.map(Option.fromNullable(map.get(request.sourceId)), id))
      }
      const crashing: SyncAdapter = {
        ...sourceKeyed,
        create: (request) => Effect.zipRight(sourceKeyed.create(request), Effect.interrupt)
      }
      const { exit, after } = yield* run(w, [createOnRight("l2")], {}, { right: crashing })
      expect(Exit.isInterrupted(exit)).toBe(true)
      const unfinished = yield* w.store.unfinished
      yield* withTime(w.provide(Dispatcher.dispatch(after[0]!.runId, unfinished, {}), { right: sourceKeyed }))
      expect((yield* w.store.operations(after[0]!.runId))[0]).toMatchObject({ state: "done", resultId: "R1" })
      expect((yield* w.right.writes).map((write) => write._tag)).toEqual(["Create"])
      expect(yield* Ref.get(bySource)).toEqual(new Map([["l2", "R1"]]))
    })
  )

  it.scoped("a create that crashed after reserving its id, before saving, is created once on resume", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld()
      yield* w.right.failNext(
        1,
        InMemoryFault.afterReserve(new FatalError({ adapter: "right", message: "connection reset" })),
        "create"
      )
      const { after } = yield* run(w, [createOnRight("l2")])
      expect(after[0]).toMatchObject({ state: "pending", provisionalId: "R1" })
      yield* resume(w)
      expect((yield* w.right.writes).map((write) => write._tag)).toEqual(["Create"])
      expect((yield* w.store.operations(after[0]!.runId))[0]).toMatchObject({ state: "done" })
    })
  )

  it.scoped("an action that may have reached a side without idempotent actions is parked, never repeated", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld({ right: { capabilities: { idempotentActions: false } } })
      const action = new Action({
        key: key("follow"),
        side: "right",
        target: { _tag: "Id", id: id("r1") },
        kind: "followUp",
        payload: { intro: "回访", sort: "1", plantype: null },
        label: "宏图环保"
      })
      const crashing: SyncAdapter = {
        ...w.right,
        perform: (request) => Effect.zipRight(w.right.perform(request), Effect.interrupt)
      }
      const { runId } = yield* run(w, [action], {}, { right: crashing })
      const outcomes = yield* resume(w)
      expect(outcomes.map((o) => [o.outcome, o.reasons[0]?.message])).toEqual([
        [
          "failed",
          `may have been delivered: attempted at 1970-01-01T00:00:00.000Z; check right record r1 ("宏图环保") for a followUp with intro "回访", sort "1" (planned by run ${runId}); it is not sent again: once checked, \`tongbu actions resolve <id> --done\` if it is there, \`--retry\` to send it once more`
        ]
      ])
      expect((yield* w.store.unfinished).length).toBe(0)
      expect((yield* w.right.writes).length).toBe(1)

      yield* w.right.failNext(1, InMemoryFault.ackLost, "perform")
      const lost = yield* run(w, [new Action({ ...action, key: key("follow-2") })])
      expect(lost.after[0]).toMatchObject({ state: "parked", attempts: 1 })
      // an answer lost in this run: attempted now, by Effect's clock (two test hours on)
      expect(lost.after[0]?.lastError).toContain("attempted at 1970-01-01T02:00:00.000Z; check right record r1")
      expect((yield* w.right.writes).length).toBe(2)
    })
  )

  it.scoped("an action on a record whose create failed is skipped with the reason, left for a later run", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld()
      yield* w.right.failNext(1, new RejectedError({ adapter: "right", message: "no" }), "create")
      const action = new Action({
        key: key("assign"),
        side: "right",
        target: { _tag: "CreatedFrom", sourceId: id("l2") },
        kind: "assign",
        payload: {}
      })
      const { exit, after } = yield* run(w, [createOnRight("l2"), action])
      expect(stateOf(after)).toEqual({ "create:right:l2": "rejected", assign: "rejected" })
      const outcomes = Exit.isSuccess(exit) ? exit.value.outcomes : []
      expect(outcomes[1]).toMatchObject({
        outcome: "skipped",
        reasons: [{ rule: "afterCreate", message: "not performed: record l2 of left was not created on right" }]
      })
    })
  )

  it.scoped("a failed update keeps the old baseline of its fields and has its source read again", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld({ left: { records: [record("l1", { name: "A", mobile: "1" })] } })
      const planned = new LinkState({
        ...baseline,
        left: { name: "B", mobile: "2" },
        right: { name: "B", mobile: "2" },
        leftVersion: undefined,
        rightVersion: undefined
      })
      yield* w.right.failNext(1, new RejectedError({ adapter: "right", message: "no" }), "update")
      const toRight = updateRight("to-right", { name: "B" }, { name: "A" })
      const toLeft = new Update({
        key: key("to-left"),
        side: "left",
        id: id("l1"),
        otherId: id("r1"),
        changes: { mobile: "2" },
        before: { mobile: "1" },
        canonicalFields: ["mobile"]
      })
      yield* run(w, [toRight, toLeft], { links: [planned] })
      expect(Option.getOrThrow(yield* w.store.linkOf("left", id("l1")))).toEqual(
        new LinkState({
          leftId: id("l1"),
          rightId: id("r1"),
          left: { name: "A", mobile: "2" },
          right: { name: "A", mobile: "2" }
        })
      )
    })
  )

  it.scoped("runs one create at a time where the side asks, and up to its concurrency otherwise", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld({ right: { capabilities: { serializeCreates: true, concurrency: 3 } } })
      const inFlight = yield* Ref.make({ now: 0, max: { create: 0, update: 0 } })
      const track = <A, E>(kind: "create" | "update", effect: Effect.Effect<A, E>) =>
        Effect.acquireUseRelease(
          Ref.update(inFlight, (s) => ({
            now: s.now + 1,
            max: { ...s.max, [kind]: Math.max(s.max[kind], s.now + 1) }
          })),
          () => Effect.zipRight(Effect.repeatN(Effect.yieldNow(), 5), effect),
          () => Ref.update(inFlight, (s) => ({ ...s, now: s.now - 1 }))
        )
      const tracked: SyncAdapter = {
        ...w.right,
        create: (request) => track("create", w.right.create(request)),
        update: (request) => track("update", w.right.update(request))
      }
      const creates = ["l2", "l3", "l4", "l5"].map((source) => createOnRight(source, { name: source }))
      const updates = [1, 2, 3, 4, 5, 6].map((n) => updateRight(`u${n}`, { [`f${n}`]: "x" }, { [`f${n}`]: null }))
      const { after } = yield* run(w, [...creates, ...updates], {}, { right: tracked })
      expect(after.every((op) => op.state === "done")).toBe(true)
      expect((yield* Ref.get(inFlight)).max).toEqual({ create: 1, update: 3 })
    })
  )

  it.scoped("parks an operation that already used up its attempts (a crash loop) without calling the side", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld()
      yield* w.store.startRun(syncRun, [updateRight("u1", { name: "B" }, { name: "A" })])
      for (let i = 0; i < 3; i++) yield* w.store.markAttempted(key("u1"))
      const outcomes = yield* resume(w, { maxAttempts: 3 })
      expect(outcomes.map((o) => o.reasons[0]?.message)).toEqual(["gave up after 3 attempts: no answer"])
      expect(yield* w.right.writes).toEqual([])
    })
  )

  it.scoped("commits the steps of operations in flight together", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld({ right: { capabilities: { concurrency: 16 } } })
      let commits = 0
      const counting: SyncStoreService = {
        ...w.store,
        journal: (entries) =>
          Effect.zipRight(
            Effect.sync(() => commits++),
            w.store.journal(entries)
          )
      }
      const updates = Array.from({ length: 200 }, (_, n) =>
        updateRight(`u${n}`, { [`f${n}`]: "x" }, { [`f${n}`]: null })
      )
      const { runId, operations: stored } = yield* w.store.startRun(syncRun, updates)
      yield* w.provide(Dispatcher.dispatch(runId, stored), { store: counting })
      // Without grouping it would be 400: one mark and one completion per operation.
      expect(commits).toBeLessThan(100)
    })
  )

  it.scoped("in a run's own dispatch, journals an update's mark with its completion, in batches of bounded size", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld({ right: { capabilities: { concurrency: 16 } } })
      const batches: Array<number> = []
      const counting: SyncStoreService = {
        ...w.store,
        journal: (entries) =>
          Effect.zipRight(
            Effect.sync(() => batches.push(entries.length)),
            w.store.journal(entries)
          )
      }
      // 600 updates: a mark, a completion and an outcome each, 1,800 entries.
      const updates = Array.from({ length: 600 }, (_, n) =>
        updateRight(`u${n}`, { [`f${n}`]: "x" }, { [`f${n}`]: null })
      )
      const { runId, operations: stored } = yield* w.store.startRun(syncRun, updates)
      yield* w.provide(Dispatcher.dispatch(runId, stored, { fresh: true }), { store: counting })
      expect(batches.reduce((a, b) => a + b, 0)).toBe(1800)
      // Without waiting for the marks, about 1,024 entries go in a transaction (a worker's entries may follow).
      expect(batches.length).toBeLessThanOrEqual(3)
      expect(Math.max(...batches)).toBeLessThanOrEqual(1024 + 16 * 3)
      const after = yield* w.store.operations(runId)
      expect(after.every((op) => op.state === "done" && op.attempts === 1)).toBe(true)
    })
  )

  it.scoped("an update whose mark and completion a crash lost is finished by the next run without a second write", () =>
    Effect.gen(function* () {
      const w = yield* linkedWorld()
      // The process dies with nothing of the dispatch committed: every journal write fails from the start.
      const crashed: SyncStoreService = {
        ...w.store,
        journal: () => Effect.fail(new StoreError({ message: "killed" }))
      }
      const op = updateRight("u1", { name: "B" }, { name: "A" })
      const { runId, operations: stored } = yield* w.store.startRun(syncRun, [op])
      const exit = yield* Effect.exit(
        w.provide(Dispatcher.dispatch(runId, stored, { fresh: true }), { store: crashed })
      )
      expect(Exit.isFailure(exit)).toBe(true)
      expect(yield* w.right.writes).toHaveLength(1)
      expect(stateOf(yield* w.store.operations(runId))).toEqual({ u1: "pending" })
      const outcomes = yield* resume(w)
      expect(outcomes.map((o) => [o.operation, o.outcome])).toEqual([["update", "updated"]])
      expect(yield* w.right.writes).toHaveLength(1)
      expect(stateOf(yield* w.store.operations(runId))).toEqual({ u1: "done" })
    })
  )

  it.scoped(
    "a resumed dispatch makes an update's mark durable before its call; a run's own dispatch does not wait",
    () =>
      Effect.gen(function* () {
        const w = yield* linkedWorld()
        const { runId, operations: stored } = yield* w.store.startRun(syncRun, [
          updateRight("u1", { name: "B" }, { name: "A" })
        ])
        // The outbox as a crash during the call would leave it.
        const seen: Array<readonly [string, number]> = []
        const watching: SyncAdapter = {
          ...w.right,
          update: (request) =>
            Effect.zipRight(
              Effect.flatMap(Effect.orDie(w.store.unfinished), (ops) =>
                Effect.sync(() => seen.push(...ops.map((op) => [op.state, op.attempts] as const)))
              ),
              w.right.update(request)
            )
        }
        yield* w.provide(Dispatcher.dispatch(runId, stored, { fresh: true }), { right: watching })
        // A dispatch not of the run's own operations (a resume) marks first.
        const resumed = yield* w.store.startRun(syncRun, [updateRight("u2", { name: "C" }, { name: "B" })])
        yield* w.provide(Dispatcher.dispatch(resumed.runId, resumed.operations), { right: watching })
        expect(seen).toEqual([
          ["pending", 0],
          ["attempted", 1]
        ])
      })
  )
})
