import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { RejectedError } from "../src/AdapterError.js"
import type { InMemoryAdapter } from "../src/InMemoryAdapter.js"
import type { SyncPolicy } from "../src/Policy.js"
import * as Rollback from "../src/Rollback.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { record, withTime, world } from "./harness.js"

/** The hub-like left mirrors a value the right side sets on create (the ERP's `ly`) in a column of its own. */
const policy: SyncPolicy = {
  mappings: [
    { name: "name", left: "name", right: "name", conflict: "right" },
    { name: "origin", left: { read: () => "171" }, right: "ly", conflict: "right", createOnly: true },
    { name: "erpSource", left: "erp_source", right: { read: (r) => r.fields.ly ?? null }, conflict: "right" }
  ],
  naturalKey: { left: () => null, right: () => null },
  uniqueKeys: { left: [], right: [] },
  admission: { toRight: [], toLeft: [{ name: "never", check: () => "not pulled" }] }
}

const sync = (w: World, replace = {}) =>
  withTime(w.provide(Sync.run(policy, { direction: "both", dryRun: false, full: false }), replace))

const fieldsOf = (adapter: InMemoryAdapter) =>
  Effect.map(adapter.records, (records) => records.map((r) => ({ id: r.id, ...r.fields })))

const seeded = () => world({ left: { records: [record("1", { name: "Hongtu", erp_source: null })] } })

describe("Sync.run: a create's source gets the values the created record holds", () => {
  it.scoped("in the run that creates it, and the next run writes nothing", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const first = yield* sync(w)
      expect(first.counts).toMatchObject({ created: 1, updated: 1, failed: 0 })
      expect(first.items.find((o) => o.operation === "update")).toMatchObject({ side: "left", id: "1", otherId: "R1" })
      expect(yield* fieldsOf(w.right)).toEqual([{ id: "R1", name: "Hongtu", ly: "171" }])
      expect(yield* fieldsOf(w.left)).toEqual([{ id: "1", name: "Hongtu", erp_source: "171" }])
      expect((yield* w.store.links).map((l) => [l.leftId, l.rightId, l.left.erpSource, l.right.erpSource])).toEqual([
        ["1", "R1", "171", "171"]
      ])
      const second = yield* sync(w)
      expect(second.counts).toMatchObject({ created: 0, updated: 0, actions: 0 })
    })
  )

  it.scoped("rolling the run back takes the filled value back with the create", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const first = yield* sync(w)
      yield* withTime(w.provide(Rollback.run(Option.getOrThrow(first.runId), { dryRun: false })))
      expect(yield* fieldsOf(w.left)).toEqual([{ id: "1", name: "Hongtu", erp_source: null }])
    })
  )

  it.scoped("not when the create fails: the source is left as it was", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const refused = {
        ...w.right,
        create: () => Effect.fail(new RejectedError({ adapter: "right", message: "refused" }))
      }
      const first = yield* sync(w, { right: refused })
      expect(first.counts).toMatchObject({ created: 0, updated: 0 })
      expect(first.items.find((o) => o.operation === "update")).toMatchObject({
        outcome: "skipped",
        reasons: [expect.objectContaining({ rule: "afterCreate" })]
      })
      expect(yield* fieldsOf(w.left)).toEqual([{ id: "1", name: "Hongtu", erp_source: null }])
    })
  )
})
