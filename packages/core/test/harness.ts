import type { Scope } from "effect"
import { Duration, Effect, Fiber, Layer, TestClock } from "effect"
import type { SyncAdapter } from "../src/Adapter.js"
import { LeftAdapter, RightAdapter } from "../src/Adapter.js"
import { IdempotencyKey, RecordId, SideRecord } from "../src/Domain.js"
import type { Fields } from "../src/Domain.js"
import type { InMemoryAdapter, InMemoryAdapterOptions } from "../src/InMemoryAdapter.js"
import { makeInMemoryAdapter } from "../src/InMemoryAdapter.js"
import * as SqliteStore from "../src/SqliteStore.js"
import type { StartRun, StoreError, SyncStoreService } from "../src/SyncStore.js"
import { SyncStore } from "../src/SyncStore.js"

/** Shared by the core's store, dispatcher, sync and rollback tests: two in-memory sides and a store in memory. */
export const key = (value: string) => IdempotencyKey.make(value)
export const id = (value: string) => RecordId.make(value)
export const record = (recordId: string, fields: Fields) => new SideRecord({ id: id(recordId), fields })
export const syncRun: StartRun = { kind: "sync", direction: "both", dryRun: false, full: false }
export const propRuns = (fallback: number) => Number(process.env.TONGBU_PROP_RUNS ?? fallback)

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

/** Runs `effect` while moving the test clock far enough for every retry backoff to elapse. */
export const withTime = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(Duration.hours(1))
    return yield* Fiber.join(fiber)
  })
