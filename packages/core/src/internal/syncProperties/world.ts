import type { Scope } from "effect"
import { Duration, Effect, Fiber, Layer, TestClock } from "effect"
import type { SyncAdapter } from "../../Adapter.js"
import { LeftAdapter, RightAdapter } from "../../Adapter.js"
import type { Fields } from "../../Domain.js"
import { RecordId, SideRecord } from "../../Domain.js"
import type { InMemoryAdapter, InMemoryAdapterOptions } from "../../InMemoryAdapter.js"
import { makeInMemoryAdapter } from "../../InMemoryAdapter.js"
import type { SyncPolicy } from "../../Policy.js"
import type { SyncStoreService } from "../../SyncStore.js"
import { SyncStore } from "../../SyncStore.js"

/** Two in-memory sides and a store: what the core's tests and the sync properties run a sync over. */
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

export const record = (recordId: string, fields: Fields) => new SideRecord({ id: RecordId.make(recordId), fields })

/** A world over `store` (a fresh, empty one) and two in-memory sides. */
export const makeWorld = <E>(
  store: Effect.Effect<SyncStoreService, E, Scope.Scope>,
  options: { readonly left?: Partial<InMemoryAdapterOptions>; readonly right?: Partial<InMemoryAdapterOptions> }
): Effect.Effect<World, E, Scope.Scope> =>
  Effect.gen(function* () {
    const left = yield* makeInMemoryAdapter({ name: "left", idPrefix: "L", ...options.left })
    const right = yield* makeInMemoryAdapter({ name: "right", idPrefix: "R", ...options.right })
    const opened = yield* store
    return {
      left,
      right,
      store: opened,
      provide: (effect, replace = {}) =>
        Effect.provide(
          effect,
          Layer.mergeAll(
            Layer.succeed(LeftAdapter, replace.left ?? left),
            Layer.succeed(RightAdapter, replace.right ?? right),
            Layer.succeed(SyncStore, replace.store ?? opened)
          )
        ) as never
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
