import { expect } from "@effect/vitest"
import { Arbitrary, Effect, FastCheck, Option, Schema, TestClock } from "effect"
import { RunId } from "../../Domain.js"
import { Action, Link, Operation, Reason } from "../../Plan.js"
import { Outcome } from "../../SyncStore.js"
import type { StoreConformanceOptions } from "../../testing.js"
import type { Register } from "./helpers.js"
import { create, failsWith, id, key, sync, unknownRun, update } from "./helpers.js"

const counts = { created: 1, updated: 2, linked: 0, unchanged: 3, skipped: 1, conflicts: 0, actions: 0, failed: 1 }

/** Runs and what they hold: operations in plan order, status, outcomes, warnings, the sides not told. */
export const runTests = (register: Register, options: StoreConformanceOptions): void => {
  register(
    "records a run with its operations; settled keys are left out, unsettled ones move to the new run",
    ({ open }) =>
      Effect.gen(function* () {
        const store = yield* open
        yield* TestClock.setTime(1_000)
        const started = yield* store.startRun(sync, [update("u1"), create("c1"), update("u2"), update("u3")])
        const first = started.runId
        expect(started.operations).toEqual(yield* store.operations(first))
        expect((yield* store.operations(first)).map((op) => [op.seq, op.key, op.state, op.attempts])).toEqual([
          [0, "u1", "pending", 0],
          [1, "c1", "pending", 0],
          [2, "u2", "pending", 0],
          [3, "u3", "pending", 0]
        ])
        yield* store.complete(key("u1"), { links: [], written: { mobile: "13800138000" } })
        yield* store.markAttempted(key("c1"))
        yield* store.recordProvisional(key("c1"), "p-7")
        yield* store.fail(key("u2"), "rejected", "the ERP said no")
        yield* store.fail(key("u3"), "parked", "gave up")
        // Planned again, in another order: the new run's operations come in its own plan order.
        const { operations: returned, runId: second } = yield* store.startRun(sync, [
          update("u2"),
          update("u3"),
          update("u1"),
          create("c1"),
          update("u4")
        ])
        const moved = yield* store.operations(second)
        expect(returned).toEqual(moved)
        // A moved operation starts its attempts afresh; an attempted one keeps its state and provisional id, so that the
        // dispatcher still asks the side whether the create landed.
        expect(moved.map((op) => [op.key, op.state, op.provisionalId, op.attempts])).toEqual([
          ["u2", "pending", undefined, 0],
          ["c1", "attempted", "p-7", 0],
          ["u4", "pending", undefined, 0]
        ])
        expect(moved.map((op) => op.runId)).toEqual([second, second, second])
        expect((yield* store.operations(first)).map((op) => op.key)).toEqual(["u1", "u3"])
        const run = Option.getOrThrow(yield* store.run(first))
        expect([run.status, run.startedAt, run.kind, run.dryRun, run.full, run.direction]).toEqual([
          "running",
          1_000,
          "sync",
          false,
          false,
          "both"
        ])
      })
  )

  register("finishes runs and lists them newest first, up to the limit", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      const { runId: a } = yield* store.startRun(sync, [])
      const { runId: b } = yield* store.startRun(
        { kind: "rollback", direction: "push", dryRun: true, full: true, target: a },
        []
      )
      const { runId: c } = yield* store.startRun(sync, [])
      expect(new Set([a, b, c]).size).toBe(3)
      yield* TestClock.setTime(5_000)
      yield* store.finishRun(a, "failed", counts, "bad credentials")
      yield* store.finishRun(c, "completed", { ...counts, rolledBack: 2 })
      const listed = yield* store.runs(10)
      expect(listed.map((run) => [run.id, run.kind, run.status, run.target, run.direction, run.dryRun])).toEqual([
        [c, "sync", "completed", undefined, "both", false],
        [b, "rollback", "running", a, "push", true],
        [a, "sync", "failed", undefined, "both", false]
      ])
      expect(listed[2]).toMatchObject({ counts, finishedAt: 5_000, error: "bad credentials" })
      expect(listed[0]?.counts).toEqual({ ...counts, rolledBack: 2 })
      expect(listed[1]?.finishedAt).toBeUndefined()
      expect((yield* store.runs(2)).map((run) => run.id)).toEqual([c, b])
      expect(Option.getOrThrow(yield* store.run(b)).full).toBe(true)
      const missing = yield* failsWith("StoreError", store.finishRun(unknownRun, "completed", counts))
      expect(missing.message).toContain(`there is no run ${unknownRun}`)
      expect(Option.isNone(yield* store.run(RunId.make("not-a-run")))).toBe(true)
      expect(Option.isNone(yield* store.run(unknownRun))).toBe(true)
      expect(yield* store.operations(RunId.make("not-a-run"))).toEqual([])
    })
  )

  register("records outcomes per run, in order", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      const { runId } = yield* store.startRun(sync, [])
      const { runId: other } = yield* store.startRun(sync, [])
      const outcome = (i: string, runId: RunId) =>
        new Outcome({
          runId,
          side: "left",
          id: id(i),
          otherId: id("r1"),
          operation: "create",
          outcome: "skipped",
          reasons: [new Reason({ rule: "uniqueKey", message: "mobile belongs to 42", collidingId: id("42") })]
        })
      yield* store.recordOutcomes([outcome("l2", runId), outcome("l1", runId)])
      yield* store.recordOutcomes([outcome("l3", other)])
      expect(yield* store.outcomes(runId)).toEqual([outcome("l2", runId), outcome("l1", runId)])
      expect(yield* store.outcomes(other)).toEqual([outcome("l3", other)])
      expect(yield* store.outcomes(unknownRun)).toEqual([])
    })
  )

  register("keeps a run's warnings; a run without any reads back with none", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      const warning = { code: "contacts-unavailable", side: "right", message: "未知页面" } as const
      yield* store.startRun(sync, [])
      yield* store.startRun({ ...sync, warnings: [warning] }, [])
      expect((yield* store.runs(10)).map((run) => run.warnings)).toEqual([[warning], []])
    })
  )

  register("remembers which side of which run was not told, newest run first, until it is told", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
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
      yield* failsWith("StoreError", store.markUntold("left", [unknownRun]))
    })
  )

  register("serializes actions and links of every shape", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
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
    })
  )

  register("stores and reads back any operation unchanged", (database) =>
    Effect.gen(function* () {
      const seed = options.seed ?? 101
      const samples = FastCheck.sample(Arbitrary.make(Schema.Array(Operation)), { seed, numRuns: options.runs ?? 30 })
      const store = yield* database.open
      const settled = new Set<string>()
      for (const [i, operations] of samples.entries()) {
        const unique = [...new Map(operations.map((op) => [op.key, op])).values()]
        // Every earlier sample's operations were settled: a key drawn again is left out, nothing moves.
        const expected = unique.filter((op) => !settled.has(op.key))
        const started = yield* store.startRun(sync, unique)
        const stored = yield* store.operations(started.runId)
        expect(
          stored.map((op) => op.operation),
          `sample ${i} (seed ${seed})`
        ).toEqual(expected)
        expect(started.operations, `sample ${i} (seed ${seed})`).toEqual(stored)
        for (const op of stored) {
          yield* store.fail(op.key, "parked", "settled, so later samples leave it out")
          settled.add(op.key)
        }
      }
    })
  )
}
