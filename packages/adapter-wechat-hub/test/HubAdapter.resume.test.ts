import { describe, expect, it } from "@effect/vitest"
import type { SyncAdapter, SyncPolicy } from "@tongbu/core"
import { isWrite, LeftAdapter, makeInMemoryAdapter, RightAdapter, SideRecord, Sync, SyncStore } from "@tongbu/core"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect, Exit, Layer, Option, TestClock } from "effect"
import { CUSTOMER_NAME } from "../src/index.js"
import { hubProcess, hubWith, rid } from "./helpers.js"

/** ERP → hub only, no natural key: every ERP customer is created in the hub. */
const policy: SyncPolicy = {
  mappings: [
    { name: "name", left: CUSTOMER_NAME, right: "name", conflict: "right" },
    { name: "mobile", left: "phone", right: "mobile", conflict: "right" }
  ],
  naturalKey: { left: () => null, right: () => null },
  uniqueKeys: { left: [], right: [] },
  admission: { toRight: [], toLeft: [] }
}

const pull = { direction: "pull", dryRun: false, full: false } as const

describe("the core over the hub adapter, across a crash", () => {
  it.scoped("a runner killed right after its insert landed finds the row on restart and inserts no second one", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.UTC(2025, 9, 21, 4))
      const { summary, adapter: hub } = yield* hubWith({ customers: 6, seed: 5 })
      const db = yield* hubProcess(summary.path)
      const erp = yield* makeInMemoryAdapter({
        name: "erp",
        records: [new SideRecord({ id: rid(5001), fields: { name: "重庆手录贸易有限公司", mobile: "13900005001" } })]
      })
      const store = yield* SqliteStore.make({ filename: ":memory:" })
      const sync = (left: SyncAdapter) =>
        Effect.exit(Sync.run(policy, pull)).pipe(
          Effect.provide(
            Layer.mergeAll(
              Layer.succeed(LeftAdapter, left),
              Layer.succeed(RightAdapter, erp),
              Layer.succeed(SyncStore, store)
            )
          )
        )
      // killed between the insert's commit and the outbox's record of it
      const dying: SyncAdapter = { ...hub, create: (request) => Effect.zipRight(hub.create(request), Effect.interrupt) }
      expect(Exit.isInterrupted(yield* sync(dying))).toBe(true)
      const restarted = yield* sync(hub)
      expect(Exit.isSuccess(restarted) && restarted.value.resumed).toBe(1)

      const rows = db
        .prepare<[], { id: number; erp_customer_id: number | null }>(
          "SELECT id, erp_customer_id FROM customers_unified WHERE company_name = '重庆手录贸易有限公司'"
        )
        .all()
      expect(rows).toHaveLength(1)
      expect(rows[0]?.erp_customer_id).toBe(5001)
      const link = yield* store.linkOf("right", rid(5001))
      expect(Option.map(link, (l) => l.leftId)).toEqual(Option.some(String(rows[0]?.id)))
      const next = yield* sync(hub)
      expect(Exit.isSuccess(next) && next.value.plan.operations.filter(isWrite)).toEqual([])
    })
  )
})
