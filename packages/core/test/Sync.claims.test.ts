import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Stream } from "effect"
import type { SyncPolicy } from "../src/Policy.js"
import * as Sync from "../src/Sync.js"
import { id, policy, record, withTime, world } from "./harness.js"

/** The left side names its right counterpart in `erpId`, as the hub's `erp_customer_id` does. */
const claiming: SyncPolicy = {
  ...policy,
  claimedLink: { left: (r) => (typeof r.fields.erpId === "string" ? id(r.fields.erpId) : null) }
}

describe("Sync.run: claimed links", () => {
  it.scoped("reads a claimed record the listing left out, adopts the link, and a second run writes nothing", () =>
    Effect.gen(function* () {
      const w = yield* world({
        left: { records: [record("1", { name: "Hongtu", mobile: null, wechat: "ht", note: "", erpId: "R9" })] },
        right: {
          records: [record("R9", { name: "Hongtu Ltd", mobile: "13800000009", wechat: "", note: "", code: "C9" })]
        }
      })
      // An incremental listing (it resumes after a checkpoint) that brings nothing: the claimed record is known only
      // by reading it.
      const right = { ...w.right, list: () => Stream.empty }
      const store = {
        ...w.store,
        checkpoint: (name: string) =>
          name === "right:list" ? Effect.succeed(Option.some("0")) : w.store.checkpoint(name)
      }
      const run = withTime(
        w.provide(Sync.run(claiming, { direction: "both", dryRun: false, full: false }), { right, store })
      )
      const first = yield* run
      expect(first.plan.operations.find((op) => op._tag === "Link")).toMatchObject({ leftId: "1", rightId: "R9" })
      expect(first.plan.operations.some((op) => op._tag === "Create" || op._tag === "Skip")).toBe(false)
      const left = yield* w.left.get(id("1"))
      expect(left._tag === "Some" && left.value.fields).toMatchObject({ name: "Hongtu Ltd", mobile: "13800000009" })
      const writes = [(yield* w.left.writes).length, (yield* w.right.writes).length]
      const second = yield* withTime(w.provide(Sync.run(claiming, { direction: "both", dryRun: false, full: true })))
      expect(second.plan.operations).toEqual([])
      expect([(yield* w.left.writes).length, (yield* w.right.writes).length]).toEqual(writes)
    })
  )

  it.scoped("skips a record whose claimed record does not exist, and creates nothing", () =>
    Effect.gen(function* () {
      const w = yield* world({
        left: { records: [record("1", { name: "Gone", mobile: "13800000001", wechat: "", note: "", erpId: "R404" })] }
      })
      const report = yield* withTime(w.provide(Sync.run(claiming, { direction: "both", dryRun: false, full: false })))
      expect(report.items).toEqual([
        expect.objectContaining({
          id: "1",
          outcome: "skipped",
          reasons: [expect.objectContaining({ rule: "claimedLinkMissing" })]
        })
      ])
      expect(yield* w.right.writes).toEqual([])
    })
  )

  it.scoped("does not read a claimed record that a listing of every id left out: it is missing", () =>
    Effect.gen(function* () {
      const w = yield* world({
        left: { records: [record("1", { name: "Gone", mobile: "13800000001", wechat: "", note: "", erpId: "R404" })] },
        right: {
          records: [record("R9", { name: "Hongtu Ltd", mobile: "13800000009", wechat: "", note: "", code: "C9" })]
        }
      })
      const reads: Array<string> = []
      const right = {
        ...w.right,
        read: (wanted: typeof w.right.read extends (id: infer I) => unknown ? I : never) => {
          reads.push(wanted)
          return w.right.read(wanted)
        }
      }
      const report = yield* withTime(
        w.provide(Sync.run(claiming, { direction: "both", dryRun: false, full: true }), { right })
      )
      expect(report.items).toContainEqual(
        expect.objectContaining({
          id: "1",
          outcome: "skipped",
          reasons: [expect.objectContaining({ rule: "claimedLinkMissing" })]
        })
      )
      expect(reads).not.toContain("R404")
    })
  )
})
