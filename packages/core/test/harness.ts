import { SqliteStore } from "@tongbu/store-sqlite"
import type { Scope } from "effect"
import { Duration, Effect, Fiber, Layer, TestClock } from "effect"
import type { SyncAdapter } from "../src/Adapter.js"
import { LeftAdapter, RightAdapter } from "../src/Adapter.js"
import type { Fields } from "../src/Domain.js"
import { IdempotencyKey, RecordId, SideRecord } from "../src/Domain.js"
import type { InMemoryAdapter, InMemoryAdapterOptions } from "../src/InMemoryAdapter.js"
import { makeInMemoryAdapter } from "../src/InMemoryAdapter.js"
import type { SyncPolicy } from "../src/Policy.js"
import type { StartRun, StoreError, SyncStoreService } from "../src/SyncStore.js"
import { SyncStore } from "../src/SyncStore.js"

/** Shared by the core's store, dispatcher, sync and rollback tests: two in-memory sides and a store in memory. */
export const key = (value: string) => IdempotencyKey.make(value)
export const id = (value: string) => RecordId.make(value)
export const record = (recordId: string, fields: Fields) => new SideRecord({ id: id(recordId), fields })
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

export interface World {
  readonly left: InMemoryAdapter
  readonly right: InMemoryAdapter
  readonly store: SyncStoreService
  /** Provides the two sides and the store, or replacements of them. */
  readonly provide: <A, E, R>(
    effect: Effect.Effect<A, E, R>,
    replace?: { readonly left?: SyncAdapter; readonly right?: SyncAdapter; readonly store?: SyncStoreService }
  ) => Effect.Effect<A, E, Exclude<R, LeftAdapter | RightAdapter | SyncStore>>
}

export const world = (options: {
  readonly left?: Partial<InMemoryAdapterOptions>
  readonly right?: Partial<InMemoryAdapterOptions>
  readonly filename?: string
}): Effect.Effect<World, StoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const left = yield* makeInMemoryAdapter({ name: "left", idPrefix: "L", ...options.left })
    const right = yield* makeInMemoryAdapter({ name: "right", idPrefix: "R", ...options.right })
    const store = yield* SqliteStore.make({ filename: options.filename ?? ":memory:" })
    return {
      left,
      right,
      store,
      provide: (effect, replace = {}) =>
        Effect.provide(
          effect,
          Layer.mergeAll(
            Layer.succeed(LeftAdapter, replace.left ?? left),
            Layer.succeed(RightAdapter, replace.right ?? right),
            Layer.succeed(SyncStore, replace.store ?? store)
          )
        ) as never
    }
  })

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

/** Runs `effect` while moving the test clock far enough for every retry backoff to elapse. */
export const withTime = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(Duration.hours(1))
    return yield* Fiber.join(fiber)
  })

/**
 * A small policy over both in-memory sides (same native names): `name` and `mobile` right-wins ("ERP wins"),
 * `wechat` fill-in, `note` manual, `code` the right side's natural key, derived from the left id ("WX" + id) and
 * written only on create. The mobile is unique on the right; a left record needs one to be pushed.
 */
export const policy: SyncPolicy = {
  mappings: [
    { name: "code", left: { read: (r) => `WX${r.id}` }, right: "code", conflict: "left", createOnly: true },
    { name: "name", left: "name", right: "name", conflict: "right" },
    { name: "mobile", left: "mobile", right: "mobile", conflict: "right" },
    { name: "wechat", left: "wechat", right: "wechat", conflict: "right", fillIn: true },
    { name: "note", left: "note", right: "note", conflict: "manual" }
  ],
  naturalKey: {
    left: (r) => `WX${r.id}`,
    right: (r) => (typeof r.fields.code === "string" && r.fields.code !== "" ? r.fields.code : null)
  },
  uniqueKeys: { left: [], right: ["mobile"] },
  admission: {
    toRight: [
      { name: "mobile", check: (_, c) => (c.mobile === null || c.mobile === undefined ? "no mobile number" : null) }
    ],
    toLeft: []
  }
}
