import { SqliteStore } from "@tongbu/store-sqlite"
import type { Effect, Scope } from "effect"
import { IdempotencyKey, RecordId } from "../src/Domain.js"
import type { InMemoryAdapterOptions } from "../src/InMemoryAdapter.js"
import type { World } from "../src/internal/syncProperties/world.js"
import { makeWorld, record } from "../src/internal/syncProperties/world.js"
import type { StartRun, StoreError } from "../src/SyncStore.js"

export type { World } from "../src/internal/syncProperties/world.js"
export { policy, record, withTime } from "../src/internal/syncProperties/world.js"

/** Shared by the core's dispatcher, sync and rollback tests: two in-memory sides and a store in memory. */
export const key = (value: string) => IdempotencyKey.make(value)
export const id = (value: string) => RecordId.make(value)
export const syncRun: StartRun = { kind: "sync", direction: "both", dryRun: false, full: false }
export const propRuns = (fallback: number) => Number(process.env.TONGBU_PROP_RUNS ?? fallback)

/**
 * fast-check parameters: `fallback` runs unless TONGBU_PROP_RUNS says otherwise (a soak); a failure prints its seed
 * and path, which TONGBU_PROP_SEED and TONGBU_PROP_PATH replay.
 */
export const propParams = (fallback: number) => ({
  numRuns: propRuns(fallback),
  // Fixed unless given, so CI checks the same cases every time; the soak draws a new seed each round.
  seed: Number(process.env.TONGBU_PROP_SEED ?? 101),
  ...(process.env.TONGBU_PROP_PATH === undefined ? {} : { path: process.env.TONGBU_PROP_PATH })
})

export const world = (options: {
  readonly left?: Partial<InMemoryAdapterOptions>
  readonly right?: Partial<InMemoryAdapterOptions>
  readonly filename?: string
}): Effect.Effect<World, StoreError, Scope.Scope> =>
  makeWorld(SqliteStore.make({ filename: options.filename ?? ":memory:" }), options)

/**
 * Two left records and one right record, the left side showing each record's partner id in `erpId` as the hub does:
 * left 1 has no partner and is created on the right; left 2 matches right 900 by its code (`WX2`) and is linked to
 * it. `erpIds` is what each left record shows before the first run.
 */
export const linkShowingWorld = (
  erpIds: readonly [string | null, string | null],
  options: { readonly canDelete?: boolean } = {}
) =>
  world({
    left: {
      linkField: "erpId",
      records: [
        record("1", { name: "张三", mobile: "13800000001", wechat: null, note: null, erpId: erpIds[0] }),
        record("2", { name: "李四", mobile: "13800000002", wechat: null, note: null, erpId: erpIds[1] })
      ]
    },
    right: {
      unique: ["mobile"],
      capabilities: { canDelete: options.canDelete ?? false },
      records: [record("900", { code: "WX2", name: "李四", mobile: "13800000002", wechat: null, note: null })]
    }
  })
