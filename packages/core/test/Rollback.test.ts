import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { RunId } from "../src/Domain.js"
import { isEmptyPlan } from "../src/Plan.js"
import * as Rollback from "../src/Rollback.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { id, policy, record, withTime, world } from "./harness.js"

const sync = (w: World, full = false) =>
  withTime(w.provide(Sync.run(policy, { direction: "both", dryRun: false, full })))
const rollback = (w: World, target: RunId, options: Partial<Rollback.RollbackOptions> = {}) =>
  withTime(w.provide(Rollback.run(target, { dryRun: false, ...options })))
/** Both sides' records; an empty field counts the same whether it holds null or is absent. */
const snapshot = (w: World) =>
  Effect.map(Effect.all([w.left.records, w.right.records]), (sides) => {
    const [left, right] = sides.map((records) =>
      records.map((r) => ({ id: r.id, ...Object.fromEntries(Object.entries(r.fields).filter(([, v]) => v !== null)) }))
    )
    return { left, right }
  })

const seeded = (rightOptions: { canDelete?: boolean } = {}) =>
  world({
    left: { records: [record("1", { name: "张三", mobile: "13800000001", wechat: null, note: null })] },
    right: {
      unique: ["mobile"],
      capabilities: { canDelete: rightOptions.canDelete ?? true },
      records: [record("900", { code: "ERP-900", name: "王五", mobile: "13800000009", wechat: null, note: null })]
    }
  })

/** Two runs to link everything, then a person edits the left record and a third run carries it across. */
const updatedRun = (w: World) =>
  Effect.gen(function* () {
    yield* sync(w)
    yield* sync(w)
    yield* w.left.edit(id("1"), { name: "张三丰", mobile: "13800000002" })
    const before = yield* snapshot(w)
    const run = yield* sync(w)
    expect(run.counts.updated).toBe(1)
    return { before, runId: Option.getOrThrow(run.runId) }
  })

describe("Rollback.run", () => {
  it.scoped("undoes an update exactly when nothing changed since, and the next sync does not redo it", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const { before, runId } = yield* updatedRun(w)
      const report = yield* rollback(w, runId)
      expect(report.items.map((o) => [o.operation, o.outcome])).toEqual([["rollback:update", "rolledBack"]])
      expect(report.counts).toMatchObject({ rolledBack: 1, failed: 0 })
      expect(yield* snapshot(w)).toEqual(before)
      const journaled = Option.getOrThrow(yield* w.store.run(Option.getOrThrow(report.runId)))
      expect(journaled).toMatchObject({ kind: "rollback", target: runId, status: "completed" })
      expect(yield* w.store.outcomes(journaled.id)).toEqual(report.items)
      const next = yield* sync(w)
      expect(isEmptyPlan(next.plan)).toBe(true)
      expect(yield* snapshot(w)).toEqual(before)
    })
  )

  it.scoped("after undoing a conflict's winner, both sides keep their own edit and the next sync writes nothing", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      yield* sync(w)
      yield* sync(w)
      const rightId = (yield* w.store.links).find((link) => link.leftId === "1")!.rightId
      // Both sides change the name; the right wins ("ERP wins") and the left takes its value.
      yield* w.left.edit(id("1"), { name: "张三 (hub)" })
      yield* w.right.edit(rightId, { name: "张三 (ERP)" })
      const before = yield* snapshot(w)
      const run = yield* sync(w)
      expect(run.counts.updated).toBe(1)
      const report = yield* rollback(w, Option.getOrThrow(run.runId))
      expect(report.counts.rolledBack).toBe(1)
      expect(yield* snapshot(w)).toEqual(before)
      // The baseline holds what each side holds now: the rollback left them apart until a person changes one.
      const link = (yield* w.store.links).find((l) => l.leftId === "1")!
      expect([link.left.name, link.right.name]).toEqual(["张三 (hub)", "张三 (ERP)"])
      const next = yield* sync(w)
      expect(isEmptyPlan(next.plan)).toBe(true)
      expect(yield* snapshot(w)).toEqual(before)
    })
  )

  it.scoped("restores a value exactly as a side that normalizes on read stored it", () =>
    Effect.gen(function* () {
      const w = yield* world({
        left: {
          records: [record("1", { name: "张三", mobile: "138 0000 0001", wechat: null, note: null })],
          normalize: (field, value) =>
            field === "mobile" && typeof value === "string" ? value.replace(/ /g, "") : value
        },
        right: { unique: ["mobile"] }
      })
      yield* sync(w)
      const rightId = (yield* w.store.links).find((link) => link.leftId === "1")!.rightId
      yield* w.right.edit(rightId, { mobile: "13800000002" })
      const before = yield* snapshot(w)
      // The left record is not read again (unchanged): the before-image the plan has is the baseline's, normalized.
      const run = yield* sync(w)
      expect(Option.getOrThrow(yield* w.left.get(id("1"))).fields.mobile).toBe("13800000002")
      const report = yield* rollback(w, Option.getOrThrow(run.runId))
      expect(report.counts.rolledBack).toBe(1)
      expect(yield* snapshot(w)).toEqual(before)
      const next = yield* sync(w)
      expect(isEmptyPlan(next.plan)).toBe(true)
    })
  )

  it.scoped("keeps a field a person changed since the sync wrote it, and says so", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const { runId } = yield* updatedRun(w)
      const rightId = (yield* w.store.links).find((link) => link.leftId === "1")!.rightId
      yield* w.right.edit(rightId, { name: "张三丰 (VIP)" })
      const report = yield* rollback(w, runId)
      expect(report.items[0]).toMatchObject({
        outcome: "rolledBack",
        reasons: [{ rule: "changedSince", message: "name changed since by someone else; kept" }]
      })
      const fields = Option.getOrThrow(yield* w.right.get(rightId)).fields
      expect([fields.name, fields.mobile]).toEqual(["张三丰 (VIP)", "13800000001"])
    })
  )

  it.scoped("compensates creates newest first: deleted where the side can, withdrawn for a person where not", () =>
    Effect.gen(function* () {
      for (const canDelete of [true, false]) {
        const w = yield* seeded({ canDelete })
        const before = yield* snapshot(w)
        const first = yield* sync(w)
        const report = yield* rollback(w, Option.getOrThrow(first.runId))
        // The side of a deleted record is told nothing; a withdrawn record's side is told too.
        expect(report.items.map((o) => [o.operation, o.side, o.outcome, o.reasons.map((r) => r.rule)])).toEqual([
          ["rollback:create", "left", "rolledBack", ["unlinked"]],
          ["rollback:create", "right", "rolledBack", canDelete ? ["unlinked"] : ["withdrawn", "unlinked", "unlinked"]]
        ])
        expect(yield* w.store.links).toEqual([])
        if (canDelete) expect(yield* snapshot(w)).toEqual(before)
        else expect((yield* w.right.withdrawn).length).toBe(1)
        // A full run sees every record again: nothing is created or linked anew.
        const next = yield* sync(w, true)
        expect([next.counts.created, next.counts.linked]).toEqual([0, 0])
        expect(next.items.map((o) => [o.side, o.id, o.reasons[0]?.rule]).sort()).toEqual(
          canDelete
            ? [
                ["left", "1", "alreadyCreated"],
                ["right", "900", "alreadyCreated"]
              ]
            : [
                ["left", "1", "linkUndone"],
                ["right", "900", "alreadyCreated"],
                ["right", "R1", "linkUndone"]
              ].sort()
        )
      }
    })
  )

  it.scoped("is idempotent: rolling back twice changes nothing more", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const { runId } = yield* updatedRun(w)
      yield* rollback(w, runId)
      const writes = [(yield* w.left.writes).length, (yield* w.right.writes).length]
      const after = yield* snapshot(w)
      const again = yield* rollback(w, runId)
      expect(again.items).toEqual([])
      expect([(yield* w.left.writes).length, (yield* w.right.writes).length]).toEqual(writes)
      expect(yield* snapshot(w)).toEqual(after)
    })
  )

  it.scoped("a dry run reports what would be undone and writes nothing", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const { runId } = yield* updatedRun(w)
      const after = yield* snapshot(w)
      const runs = (yield* w.store.runs(10)).length
      const dry = yield* rollback(w, runId, { dryRun: true })
      expect(dry.runId).toEqual(Option.none())
      expect(dry.items.map((o) => o.outcome)).toEqual(["rolledBack"])
      expect(yield* snapshot(w)).toEqual(after)
      expect((yield* w.store.runs(10)).length).toBe(runs)
      expect((yield* w.store.operations(runId)).map((op) => op.state)).toEqual(["done"])
    })
  )

  it.scoped("undoes one operation by its key", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const first = yield* sync(w)
      const runId = Option.getOrThrow(first.runId)
      const [newest] = (yield* w.store.operations(runId)).slice(-1)
      const report = yield* rollback(w, runId, { key: newest!.key })
      expect(report.items.length).toBe(1)
      expect((yield* w.store.operations(runId)).map((op) => op.state)).toEqual(["done", "rolledBack"])
    })
  )

  it.scoped("refuses what it cannot roll back, saying why", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const first = yield* sync(w)
      const runId = Option.getOrThrow(first.runId)
      const rolledBack = yield* rollback(w, runId)
      const errors = yield* Effect.all([
        Effect.flip(rollback(w, RunId.make("42"))),
        Effect.flip(rollback(w, runId, { key: "nope" as never })),
        Effect.flip(rollback(w, Option.getOrThrow(rolledBack.runId)))
      ])
      expect(errors.map((error) => error.message)).toEqual([
        "there is no run 42",
        `run ${runId} has no operation nope`,
        `run ${Option.getOrThrow(rolledBack.runId)} is itself a rollback; roll back sync runs only`
      ])
    })
  )
})
