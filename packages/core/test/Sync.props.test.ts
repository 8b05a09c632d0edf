import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, FastCheck as fc, Option } from "effect"
import type { SyncAdapter } from "../src/Adapter.js"
import type { Fields, FieldValue, RecordId, Side } from "../src/Domain.js"
import type { InMemoryAdapter } from "../src/InMemoryAdapter.js"
import { readField } from "../src/Mapping.js"
import { isEmptyPlan } from "../src/Plan.js"
import * as Rollback from "../src/Rollback.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { policy, propParams, record, withTime, world } from "./harness.js"

// Two in-memory sides, the planner and a store in memory, over generated records and edit histories on both sides.
// A failing case prints its seed and path; TONGBU_PROP_SEED and TONGBU_PROP_PATH replay it, TONGBU_PROP_RUNS soaks.

const names = ["张三", "李四", "王五", "赵六"]
const mobiles = ["13800000001", "13800000002", "13800000003", null]
const wechats = ["wx1", "wx2", null]
const notes = ["a", "b", null]
const fieldValues = { name: names, mobile: mobiles, wechat: wechats, note: notes } as const
type FieldName = keyof typeof fieldValues
const fieldNames = Object.keys(fieldValues) as Array<FieldName>

const fieldsArb = fc.record({
  name: fc.constantFrom(...names),
  mobile: fc.constantFrom(...mobiles),
  wechat: fc.constantFrom(...wechats),
  note: fc.constantFrom(...notes)
})

type Step =
  | {
      readonly _tag: "edit"
      readonly side: Side
      readonly index: number
      readonly field: FieldName
      readonly value: FieldValue
    }
  | { readonly _tag: "insert"; readonly side: Side; readonly fields: Fields }
  | { readonly _tag: "sync" }

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({ side: fc.constantFrom<Side>("left", "right"), index: fc.nat(9), field: fc.constantFrom(...fieldNames) })
    .chain((edit) =>
      fc.constantFrom(...fieldValues[edit.field]).map((value) => ({ _tag: "edit" as const, ...edit, value }))
    ),
  fc
    .record({ side: fc.constantFrom<Side>("left", "right"), fields: fieldsArb })
    .map((insert) => ({ _tag: "insert" as const, ...insert })),
  fc.constant({ _tag: "sync" as const })
)

const scenarioArb = fc.record({
  left: fc.array(fieldsArb, { maxLength: 4 }),
  // A right record is hand-entered in the ERP, or carries the code of a left record (pushed before the sync's time).
  right: fc.array(fc.record({ fields: fieldsArb, codeOf: fc.option(fc.nat(4), { nil: undefined }) }), { maxLength: 4 }),
  history: fc.array(stepArb, { maxLength: 8 })
})
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer A> ? A : never

const build = (scenario: Scenario) =>
  Effect.gen(function* () {
    const seen = new Set<FieldValue>()
    const right = scenario.right.map((r, i) => {
      // Start from a right side where mobiles are unique, as the ERP keeps them.
      const mobile = r.fields.mobile !== null && seen.has(r.fields.mobile) ? null : r.fields.mobile
      seen.add(mobile)
      const code = r.codeOf !== undefined && r.codeOf < scenario.left.length ? `WX${r.codeOf + 1}` : `ERP-${900 + i}`
      return record(`${900 + i}`, { ...r.fields, mobile, code })
    })
    return yield* world({
      left: { records: scenario.left.map((fields, i) => record(`${i + 1}`, fields)) },
      right: { records: right, unique: ["mobile"] }
    })
  })

const sync = (w: World, sides: { left?: SyncAdapter; right?: SyncAdapter } = {}) =>
  withTime(w.provide(Sync.run(policy, { direction: "both", dryRun: false, full: false }), sides))

const apply = (w: World, step: Step) =>
  Effect.gen(function* () {
    if (step._tag === "sync") return void (yield* sync(w))
    const adapter = step.side === "left" ? w.left : w.right
    const records = yield* adapter.records
    // A person cannot give a right record a mobile another one holds: the ERP refuses it, as `build` starts.
    const taken = (mobile: FieldValue | undefined, self?: RecordId) =>
      step.side === "right" && mobile != null && records.some((r) => r.id !== self && r.fields.mobile === mobile)
    if (step._tag === "insert") {
      const fields = taken(step.fields.mobile) ? { ...step.fields, mobile: null } : step.fields
      return void (yield* adapter.insert(fields))
    }
    const target = records[step.index % Math.max(1, records.length)]
    if (target === undefined || (step.field === "mobile" && taken(step.value, target.id))) return
    yield* adapter.edit(target.id, { [step.field]: step.value })
  })

/** Canonical values of every record of both sides, empty fields as null: what "equal" means across systems. */
const state = (w: World) =>
  Effect.gen(function* () {
    const canonical = (side: Side, adapter: InMemoryAdapter) =>
      Effect.map(adapter.records, (records) =>
        records.map(
          (r) => [r.id, Object.fromEntries(policy.mappings.map((m) => [m.name, readField(m, side, r)]))] as const
        )
      )
    const links = (yield* w.store.links).map((link) => `${link.leftId}↔${link.rightId}`).sort()
    return { left: yield* canonical("left", w.left), right: yield* canonical("right", w.right), links }
  })

/**
 * The state with ids left out: an id allocated by an attempt that a crash cut short is not reused, so a resumed
 * create may get another id than in a clean run (and the code derived from it), with everything else alike.
 */
const shape = (w: World) =>
  Effect.gen(function* () {
    const { left, right } = yield* state(w)
    const values = new Map<string, string>()
    const describe = (side: Side, records: typeof left) =>
      records
        .map(([id, fields]) => {
          const { code: _, ...rest } = fields
          values.set(`${side}:${id}`, JSON.stringify(rest))
          return JSON.stringify(rest)
        })
        .sort()
    const shaped = { left: describe("left", left), right: describe("right", right) }
    const links = (yield* w.store.links)
      .map((l) => `${values.get(`left:${l.leftId}`)}↔${values.get(`right:${l.rightId}`)}`)
      .sort()
    return { ...shaped, links }
  })

const writeKeys = (w: World) =>
  Effect.map(Effect.all([w.left.writes, w.right.writes]), ([left, right]) =>
    [...left, ...right].map((write) => `${write._tag}:${write.key}`)
  )

/** Replaces both sides by ones that stop the whole run (as a crash would) right after the `n`th write. */
const crashingAfter = (w: World, n: number): { left: SyncAdapter; right: SyncAdapter } => {
  const total = Effect.map(writeKeys(w), (keys) => keys.length)
  const wrap = (adapter: InMemoryAdapter): SyncAdapter => {
    const check = <A, E>(effect: Effect.Effect<A, E>) =>
      Effect.tap(effect, () => Effect.flatMap(total, (count) => (count >= n ? Effect.interrupt : Effect.void)))
    return {
      ...adapter,
      create: (request) => check(adapter.create(request)),
      update: (request) => check(adapter.update(request)),
      perform: (request) => check(adapter.perform(request))
    }
  }
  return { left: wrap(w.left), right: wrap(w.right) }
}

const shared = policy.mappings.filter((m) => m.name !== "code")

describe("Sync properties", () => {
  it.effect.prop(
    "converges: after any edits, two runs reach a fixpoint; linked pairs agree except where a policy explains why",
    [scenarioArb],
    ([scenario]) =>
      Effect.gen(function* () {
        const w = yield* build(scenario)
        for (const step of scenario.history) yield* apply(w, step)
        yield* sync(w)
        const second = yield* sync(w)
        const third = yield* sync(w)
        expect(isEmptyPlan(third.plan), JSON.stringify(third.plan.operations)).toBe(true)
        const conflicts = yield* w.store.openConflicts
        const explained = new Set(
          [...second.items, ...third.items].filter((o) => o.outcome !== "created").map((o) => o.id)
        )
        for (const link of yield* w.store.links) {
          const left = Option.getOrThrow(yield* w.left.get(link.leftId))
          const right = Option.getOrThrow(yield* w.right.get(link.rightId))
          for (const mapping of shared) {
            const [l, r] = [readField(mapping, "left", left), readField(mapping, "right", right)]
            if (l === r) continue
            const parked = conflicts.some((c) => c.leftId === link.leftId && c.field === mapping.name)
            // Fill-in copies only into an empty field: two different non-empty values stay apart by design. The
            // planner does not report this case in the outcomes yet (reported to the lead), so it is accepted here.
            if (mapping.fillIn && l !== null && r !== null) continue
            expect(
              parked || explained.has(link.leftId) || explained.has(link.rightId),
              `${mapping.name}: ${l} ≠ ${r} unexplained`
            ).toBe(true)
          }
        }
      }).pipe(Effect.scoped),
    { timeout: 120_000, fastCheck: propParams(15) }
  )

  it.effect.prop(
    "keeps its policies: ERP-wins changes are never overwritten, fill-in never overwrites, unique keys stay unique",
    [scenarioArb],
    ([scenario]) =>
      Effect.gen(function* () {
        const w = yield* build(scenario)
        for (const step of [...scenario.history, { _tag: "sync" } as const, { _tag: "sync" } as const]) {
          if (step._tag !== "sync") {
            yield* apply(w, step)
            continue
          }
          const links = yield* w.store.links
          const before = new Map((yield* w.right.records).map((r) => [r.id, r.fields]))
          const beforeLeft = new Map((yield* w.left.records).map((r) => [r.id, r.fields]))
          yield* sync(w)
          const after = yield* w.right.records
          for (const r of after) {
            const old = before.get(r.id)
            // ERP wins: a right value changed since the pair's baseline is never overwritten.
            const link = links.find((l) => l.rightId === r.id)
            for (const field of ["name", "mobile"] as const) {
              if (
                old !== undefined &&
                link !== undefined &&
                field in link.right &&
                (old[field] ?? null) !== (link.right[field] ?? null)
              ) {
                expect(r.fields[field] ?? null, `right ${r.id} ${field} changed since baseline`).toBe(
                  old[field] ?? null
                )
              }
            }
            if (old !== undefined && (old.wechat ?? null) !== null) expect(r.fields.wechat).toBe(old.wechat)
            // No record the run wrote shares its mobile with another.
            const wrote = old === undefined || (old.mobile ?? null) !== (r.fields.mobile ?? null)
            if (wrote && (r.fields.mobile ?? null) !== null) {
              expect(
                after.filter((o) => o.id !== r.id && o.fields.mobile === r.fields.mobile).map((o) => o.id)
              ).toEqual([])
            }
          }
          for (const l of yield* w.left.records) {
            const old = beforeLeft.get(l.id)
            if (old !== undefined && (old.wechat ?? null) !== null) expect(l.fields.wechat).toBe(old.wechat)
          }
        }
      }).pipe(Effect.scoped),
    { timeout: 120_000, fastCheck: propParams(15) }
  )

  it.effect.prop(
    "is crash safe: stopped after any write and resumed, it ends as one clean run would, no write done twice",
    [scenarioArb, fc.nat(5)],
    ([scenario, crashAt]) =>
      Effect.gen(function* () {
        const clean = yield* build(scenario)
        const crashed = yield* build(scenario)
        for (const w of [clean, crashed])
          for (const step of scenario.history) if (step._tag !== "sync") yield* apply(w, step)
        yield* sync(clean)
        const n = (yield* writeKeys(crashed)).length + 1 + crashAt
        const exit = yield* Effect.exit(sync(crashed, crashingAfter(crashed, n)))
        const [cleanWrites, crashedWrites] = [yield* writeKeys(clean), yield* writeKeys(crashed)]
        if (Exit.isSuccess(exit)) expect(crashedWrites).toEqual(cleanWrites)
        for (const w of [clean, crashed]) for (let i = 0; i < 3; i++) yield* sync(w)
        const keys = yield* writeKeys(crashed)
        expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([])
        expect(yield* shape(crashed)).toEqual(yield* shape(clean))
        // Replaying the plan of a finished run changes nothing.
        const replayed = yield* sync(crashed)
        expect(isEmptyPlan(replayed.plan)).toBe(true)
        expect(yield* writeKeys(crashed)).toEqual(keys)
      }).pipe(Effect.scoped),
    { timeout: 120_000, fastCheck: propParams(15) }
  )

  it.effect.prop(
    "rolls back: with no edits in between both sides are restored exactly; edits made since survive",
    [scenarioArb, fc.array(stepArb, { maxLength: 4 })],
    ([scenario, between]) =>
      Effect.gen(function* () {
        const w = yield* build(scenario)
        for (const step of scenario.history) yield* apply(w, step)
        const before = yield* state(w)
        const run = yield* sync(w)
        const runId = Option.getOrThrow(run.runId)
        const edits = between.filter((step): step is Extract<Step, { _tag: "edit" }> => step._tag === "edit")
        if (edits.length === 0) {
          yield* withTime(w.provide(Rollback.run(runId, { dryRun: false })))
          const after = yield* state(w)
          expect({ left: after.left, right: after.right }).toEqual({ left: before.left, right: before.right })
          return
        }
        const synced = new Map<string, FieldValue>()
        for (const side of ["left", "right"] as const) {
          for (const r of yield* (side === "left" ? w.left : w.right).records) {
            for (const field of fieldNames) synced.set(`${side}:${r.id}:${field}`, r.fields[field] ?? null)
          }
        }
        const edited: Array<{ side: Side; id: RecordId; field: FieldName; value: FieldValue }> = []
        for (const edit of edits) {
          const adapter = edit.side === "left" ? w.left : w.right
          const records = yield* adapter.records
          const target = records[edit.index % Math.max(1, records.length)]
          // An edit that leaves the value as it was is no edit: the sync's value may rightly be undone.
          if (target === undefined || (target.fields[edit.field] ?? null) === edit.value) continue
          yield* adapter.edit(target.id, { [edit.field]: edit.value })
          edited.push({ side: edit.side, id: target.id, field: edit.field, value: edit.value })
        }
        yield* withTime(w.provide(Rollback.run(runId, { dryRun: false })))
        const last = new Map(edited.map((e) => [`${e.side}:${e.id}:${e.field}`, e]))
        for (const e of last.values()) {
          // Edited back to exactly what the sync left there, the field "still holds what the sync wrote" (§8).
          if (synced.get(`${e.side}:${e.id}:${e.field}`) === e.value) continue
          const current = yield* (e.side === "left" ? w.left : w.right).get(e.id)
          if (Option.isSome(current))
            expect(current.value.fields[e.field] ?? null, `${e.side} ${e.id} ${e.field}`).toBe(e.value)
        }
      }).pipe(Effect.scoped),
    { timeout: 120_000, fastCheck: propParams(15) }
  )
})
