import { randomUUID } from "node:crypto"
import { hostname } from "node:os"
import type { StoreError, SyncStoreService } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import { Clock, Data, Duration, Effect, Option, Ref, Schedule } from "effect"

/** Another tongbu process kept the store's lease for longer than this one would wait. */
export class LeaseBusy extends Data.TaggedError("LeaseBusy")<{ readonly message: string }> {}

/** This process could not renew its lease in time (it stalled, or the store was slow): it stops before double-running. */
export class LeaseLost extends Data.TaggedError("LeaseLost")<{ readonly message: string }> {}

export interface LeaseOptions {
  readonly ttl: Duration.DurationInput
  /** How long to wait for a busy lease; none = as long as it takes (a standby daemon). */
  readonly wait: Option.Option<Duration.DurationInput>
  readonly holder?: string
}

export const holderId = (): string => `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`

/**
 * Runs `effect` holding the store's lease: waits for it, renews it every quarter of its life while `effect` runs,
 * releases it afterwards (also on interruption). A crashed holder's lease expires after `ttl`.
 */
export const withLease =
  (options: LeaseOptions) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | LeaseBusy | LeaseLost | StoreError, R | SyncStore> =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const holder = options.holder ?? holderId()
      const ttl = Duration.decode(options.ttl)
      const ttlMs = Duration.toMillis(ttl)
      const acquire = store.acquireLease(holder, ttlMs)
      const poll = Duration.millis(Math.min(1000, Math.max(50, ttlMs / 4)))
      if (!(yield* acquire)) {
        yield* Effect.logInfo(
          `another tongbu process holds the store's lease; waiting for it (a crashed holder's lease expires within ${Duration.format(ttl)})`
        )
        const waited = acquire.pipe(Effect.repeat({ schedule: Schedule.spaced(poll), until: (ok) => ok }))
        yield* Option.match(options.wait, {
          onNone: () => waited,
          onSome: (limit) =>
            waited.pipe(
              Effect.timeoutFail({
                duration: limit,
                onTimeout: () =>
                  new LeaseBusy({
                    message: `another tongbu process (a daemon?) has held the store's lease for over ${Duration.format(Duration.decode(limit))}; try again when it is done`
                  })
              })
            )
        })
      }
      return yield* holding(store, holder, ttlMs)(effect)
    })

/** Runs `effect` under the lease `holder` just took: renewed every quarter of its life, released afterwards. */
const holding =
  (store: SyncStoreService, holder: string, ttlMs: number) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | LeaseLost | StoreError, R> =>
    Effect.gen(function* () {
      const lost = new LeaseLost({
        message:
          "this process could not renew the store's lease in time (it stalled, or the store answered slowly); it stops before another runner may take the pair"
      })
      const renewed = yield* Ref.make(yield* Clock.currentTimeMillis)
      // A holder gives up when three quarters of the lease passed without a renewal, so that a quarter of it lies between
      // its last call to a side and the moment another runner may take the pair (the sides' calls are not fenced, the
      // store's writes are). Past its life the lease may also have been taken and released by another runner in
      // between: renewing would then take it anew for a run planned before the other's.
      const giveUpMs = (3 * ttlMs) / 4
      const renewOnce = Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const left = giveUpMs - (now - (yield* Ref.get(renewed)))
        if (left <= 0) return yield* lost
        const kept = yield* store
          .acquireLease(holder, ttlMs)
          .pipe(Effect.timeoutFail({ duration: Duration.millis(left), onTimeout: () => lost }))
        if (!kept) return yield* lost
        yield* Ref.set(renewed, now)
      })
      const renew = renewOnce.pipe(Effect.delay(Duration.millis(ttlMs / 4)), Effect.forever)
      return yield* Effect.raceFirst(effect, renew).pipe(Effect.ensuring(Effect.ignore(store.releaseLease(holder))))
    })

/**
 * Runs `effect` holding the store's lease if it is free now (or already `holder`'s), as `withLease` holds it; none,
 * without waiting, when another holder has it: a daemon skips that pair this tick.
 */
export const ifFree =
  (options: { readonly ttl: Duration.DurationInput; readonly holder: string }) =>
  <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ): Effect.Effect<Option.Option<A>, E | LeaseLost | StoreError, R | SyncStore> =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const ttlMs = Duration.toMillis(Duration.decode(options.ttl))
      if (!(yield* store.acquireLease(options.holder, ttlMs))) return Option.none()
      return Option.some(yield* holding(store, options.holder, ttlMs)(effect))
    })
