import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { isEmptyPlan } from "../src/Plan.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { id, policy, record, withTime, world } from "./harness.js"

// What a run reports for what a policy deliberately leaves apart, and for a policy that fails on a record.

const sync = (w: World, p = policy) =>
  withTime(w.provide(Sync.run(p, { direction: "both", dryRun: false, full: true })))

describe("Sync.run outcomes", () => {
  it.scoped("reports a fill-in field kept apart (two different values) as a skip of the pair with its reason", () =>
    Effect.gen(function* () {
      const w = yield* world({
        left: { records: [record("1", { name: "张三", mobile: "13800000001", wechat: "zs-hub", note: null })] },
        right: {
          records: [record("900", { code: "WX1", name: "张三", mobile: "13800000001", wechat: "zs-erp", note: null })]
        }
      })
      const first = yield* sync(w)
      const second = yield* sync(w)
      for (const report of [first, second]) {
        const kept = report.items.filter((item) => item.reasons.some((reason) => reason.rule === "fillIn"))
        expect(kept).toHaveLength(1)
        expect(kept[0]).toMatchObject({ side: "left", id: "1", outcome: "skipped" })
        expect(kept[0]!.reasons[0]!.message).toContain('left 1 holds "zs-hub", right 900 holds "zs-erp"')
      }
      expect(isEmptyPlan(second.plan)).toBe(true)
      expect(Option.getOrThrow(yield* w.right.get(id("900"))).fields.wechat).toBe("zs-erp")
      expect(Option.getOrThrow(yield* w.left.get(id("1"))).fields.wechat).toBe("zs-hub")
    })
  )

  it.scoped("skips a record a policy function throws on, with the reason in the run's items; the run completes", () =>
    Effect.gen(function* () {
      const w = yield* world({
        left: {
          records: [
            record("1", { name: "张三", mobile: "13800000001", wechat: null, note: null }),
            record("2", { name: "李四", mobile: "13800000002", wechat: null, note: null })
          ]
        }
      })
      const picky = {
        ...policy,
        admission: {
          ...policy.admission,
          toRight: [
            {
              name: "picky",
              check: (r: { readonly id: string }) => {
                if (r.id === "2") throw new Error("cannot judge 李四")
                return null
              }
            }
          ]
        }
      }
      const report = yield* sync(w, picky)
      expect(report.status).toBe("completed")
      expect(report.counts).toMatchObject({ created: 1, skipped: 1 })
      const skipped = report.items.find((item) => item.outcome === "skipped")
      expect(skipped).toMatchObject({ side: "left", id: "2" })
      expect(skipped!.reasons[0]).toMatchObject({
        rule: "policyError",
        message:
          'admission rule "picky" failed on left record 2: cannot judge 李四; the record is left alone until the policy or the record is fixed'
      })
    })
  )
})
