import type { Scope } from "effect"
import { Effect, FastCheck as fc } from "effect"
import type { SyncAdapter } from "../../Adapter.js"
import type { Fields, FieldValue, RecordId, Side } from "../../Domain.js"
import type { InMemoryAdapter } from "../../InMemoryAdapter.js"
import { readField } from "../../Mapping.js"
import * as Sync from "../../Sync.js"
import type { SyncStoreService } from "../../SyncStore.js"
import type { World } from "./world.js"
import { makeWorld, policy, record, withTime } from "./world.js"

// Generated records and edit histories on both sides of a world, and what the properties compare.

const names = ["张三", "李四", "王五", "赵六"]
const mobiles = ["13800000001", "13800000002", "13800000003", null]
const wechats = ["wx1", "wx2", null]
const notes = ["a", "b", null]
const fieldValues = { name: names, mobile: mobiles, wechat: wechats, note: notes } as const
export type FieldName = keyof typeof fieldValues
export const fieldNames = Object.keys(fieldValues) as Array<FieldName>

const fieldsArb = fc.record({
  name: fc.constantFrom(...names),
  mobile: fc.constantFrom(...mobiles),
  wechat: fc.constantFrom(...wechats),
  note: fc.constantFrom(...notes)
})

export type Step =
  | {
      readonly _tag: "edit"
      readonly side: Side
      readonly index: number
      readonly field: FieldName
      readonly value: FieldValue
    }
  | { readonly _tag: "insert"; readonly side: Side; readonly fields: Fields }
  | { readonly _tag: "sync" }

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
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

export const scenarioArb = fc.record({
  left: fc.array(fieldsArb, { maxLength: 4 }),
  // A right record is hand-entered in the ERP, or carries the code of a left record (pushed before the sync's time).
  right: fc.array(fc.record({ fields: fieldsArb, codeOf: fc.option(fc.nat(4), { nil: undefined }) }), { maxLength: 4 }),
  history: fc.array(stepArb, { maxLength: 8 })
})
export type Scenario = typeof scenarioArb extends fc.Arbitrary<infer A> ? A : never

export const build = <E>(store: Effect.Effect<SyncStoreService, E, Scope.Scope>, scenario: Scenario) =>
  Effect.gen(function* () {
    const seen = new Set<FieldValue>()
    const right = scenario.right.map((r, i) => {
      // Start from a right side where mobiles are unique, as the ERP keeps them.
      const mobile = r.fields.mobile !== null && seen.has(r.fields.mobile) ? null : r.fields.mobile
      seen.add(mobile)
      const code = r.codeOf !== undefined && r.codeOf < scenario.left.length ? `WX${r.codeOf + 1}` : `ERP-${900 + i}`
      return record(`${900 + i}`, { ...r.fields, mobile, code })
    })
    return yield* makeWorld(store, {
      left: { records: scenario.left.map((fields, i) => record(`${i + 1}`, fields)) },
      right: { records: right, unique: ["mobile"] }
    })
  })

export const sync = (w: World, sides: { left?: SyncAdapter; right?: SyncAdapter } = {}) =>
  withTime(w.provide(Sync.run(policy, { direction: "both", dryRun: false, full: false }), sides))

export const apply = (w: World, step: Step) =>
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
export const state = (w: World) =>
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
export const shape = (w: World) =>
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

export const writeKeys = (w: World) =>
  Effect.map(Effect.all([w.left.writes, w.right.writes]), ([left, right]) =>
    [...left, ...right].map((write) => `${write._tag}:${write.key}`)
  )

/** Replaces both sides by ones that stop the whole run (as a crash would) right after the `n`th write. */
export const crashingAfter = (w: World, n: number): { left: SyncAdapter; right: SyncAdapter } => {
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
