import { describe, expect, it } from "@effect/vitest"
import { Effect, Ref, Stream } from "effect"
import type { HeldValue, HeldValuesRequest, SyncAdapter } from "../src/Adapter.js"
import { AuxiliaryUnavailable, TransientError } from "../src/AdapterError.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { id, policy, record, withTime, world } from "./harness.js"

// A side that holds unique values outside its records (an ERP customer's further contacts' mobiles) is asked for them
// only when a run would write such a value there; a record that would collide with one is skipped, naming the holder.

const contactMobile: HeldValue = {
  field: "mobile",
  value: "13800000002",
  id: id("900"),
  holder: "contact 31 of customer 900"
}

/** The right side, answering `heldValues` with `held` (or failing with `fail`) and recording each request. */
const holding = (
  adapter: SyncAdapter,
  asked: Ref.Ref<ReadonlyArray<HeldValuesRequest>>,
  fail?: TransientError | AuxiliaryUnavailable,
  held: ReadonlyArray<HeldValue> = [contactMobile]
): SyncAdapter => ({
  ...adapter,
  heldValues: (request) =>
    Stream.unwrap(
      Effect.as(
        Ref.update(asked, (all) => [...all, request]),
        fail === undefined
          ? Stream.fromIterable(held.filter((value) => request.fields.includes(value.field)))
          : Stream.fail(fail)
      )
    )
})

const seeded = () =>
  world({
    left: {
      records: [
        record("1", { name: "张三", mobile: "13800000001", wechat: null, note: null }),
        record("2", { name: "李四", mobile: "13800000002", wechat: null, note: null })
      ]
    },
    right: {
      records: [record("900", { code: "ERP-900", name: "王五", mobile: "13800000009", wechat: null, note: null })]
    }
  })

const sync = (w: World, right: SyncAdapter, options: Partial<Sync.RunOptions> = {}, withPolicy = policy) =>
  withTime(w.provide(Sync.run(withPolicy, { direction: "both", dryRun: false, full: false, ...options }), { right }))

describe("Sync.run: unique values held outside the records", () => {
  it.scoped("skips a create whose mobile a contact holds, naming it, in a dry run and a real one alike", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const asked = yield* Ref.make<ReadonlyArray<HeldValuesRequest>>([])
      const right = holding(w.right, asked)
      const dry = yield* sync(w, right, { dryRun: true })
      const real = yield* sync(w, right)
      expect(real.plan.operations).toEqual(dry.plan.operations)
      expect(yield* Ref.get(asked)).toEqual([{ fields: ["mobile"] }, { fields: ["mobile"] }])
      const skipped = real.items.find((item) => item.side === "left" && item.id === "2")
      expect(skipped).toMatchObject({
        outcome: "skipped",
        reasons: [
          {
            rule: "uniqueKey",
            collidingId: "900",
            message: 'mobile "13800000002" already belongs to contact 31 of customer 900'
          }
        ]
      })
      const created = (yield* w.right.records).map((r) => r.fields.mobile)
      expect(created).toEqual(["13800000009", "13800000001"])
    })
  )

  it.scoped("asks again for a field a record writes once a dropped create no longer claims its other values", () =>
    Effect.gen(function* () {
      // 1 and 2 share a name: 2 waits behind 1's claim, until 1 is dropped for a held mobile; 2 then writes a WeChat id
      const w = yield* world({
        left: {
          records: [
            record("1", { name: "张三", mobile: "13800000002", wechat: null, note: null }),
            record("2", { name: "张三", mobile: "13800000003", wechat: "zs", note: null })
          ]
        }
      })
      const asked = yield* Ref.make<ReadonlyArray<HeldValuesRequest>>([])
      const wechat: HeldValue = { field: "wechat", value: "zs", id: id("900"), holder: "contact 32 of customer 900" }
      const threeUnique = { ...policy, uniqueKeys: { left: [], right: ["mobile", "name", "wechat"] } }
      const report = yield* sync(w, holding(w.right, asked, undefined, [contactMobile, wechat]), {}, threeUnique)
      expect(yield* Ref.get(asked)).toEqual([{ fields: ["mobile", "name"] }, { fields: ["wechat"] }])
      expect(
        report.items.filter((item) => item.outcome === "skipped").map((item) => [item.id, item.reasons[0]?.message])
      ).toEqual([
        ["1", 'mobile "13800000002" already belongs to contact 31 of customer 900'],
        ["2", 'wechat "zs" already belongs to contact 32 of customer 900']
      ])
      expect(yield* w.right.records).toEqual([])
    })
  )

  it.scoped("does not ask when the run writes no unique value", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const asked = yield* Ref.make<ReadonlyArray<HeldValuesRequest>>([])
      yield* sync(w, holding(w.right, asked))
      yield* Ref.set(asked, [])
      // the steady state, then a change of a field that is not unique
      yield* sync(w, holding(w.right, asked))
      yield* w.left.edit(id("1"), { note: "vip" })
      const noteOnly = yield* sync(w, holding(w.right, asked))
      expect(noteOnly.counts).toMatchObject({ updated: 1 })
      expect(yield* Ref.get(asked)).toEqual([])
    })
  )

  it.scoped("stops before planning, writing nothing, when the side cannot tell what it holds", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const asked = yield* Ref.make<ReadonlyArray<HeldValuesRequest>>([])
      const down = new TransientError({ adapter: "right", message: "contact list unreachable" })
      const error = yield* Effect.flip(sync(w, holding(w.right, asked, down)))
      expect(error).toEqual(
        new Sync.SideUnavailable({
          side: "right",
          adapter: "right",
          message: "cannot read right (right): contact list unreachable"
        })
      )
      expect((yield* Ref.get(asked)).length).toBe(5)
      expect(yield* w.right.writes).toEqual([])
      expect(yield* w.store.runs(10)).toEqual([])
    })
  )

  it.scoped("goes on without a listing the side does not offer, asking once and warning once", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const asked = yield* Ref.make<ReadonlyArray<HeldValuesRequest>>([])
      const off = new AuxiliaryUnavailable({ adapter: "right", listing: "contacts", message: "未知页面" })
      const report = yield* sync(w, holding(w.right, asked, off))
      expect(report.status).toBe("completed")
      expect(report.warnings).toEqual([
        {
          code: "contacts-unavailable",
          side: "right",
          message:
            "the contacts listing of right (right) is unavailable: unique values held there were not checked before writing; the side's own duplicate check still guards its saves (未知页面)"
        }
      ])
      // kept with the run in the store, so that its history repeats it
      const [stored] = yield* w.store.runs(1)
      expect(stored?.warnings).toEqual(report.warnings)
      expect(yield* Ref.get(asked)).toEqual([{ fields: ["mobile"] }])
      // planned without the contact's mobile: both creates go to the side, whose own check guards them
      expect((yield* w.right.records).map((r) => r.fields.mobile)).toEqual([
        "13800000009",
        "13800000001",
        "13800000002"
      ])
    })
  )

  it.scoped("has no warning when the listing answers", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const asked = yield* Ref.make<ReadonlyArray<HeldValuesRequest>>([])
      const report = yield* sync(w, holding(w.right, asked))
      expect(report.warnings).toEqual([])
      expect((yield* w.store.runs(1))[0]?.warnings).toEqual([])
    })
  )
})
