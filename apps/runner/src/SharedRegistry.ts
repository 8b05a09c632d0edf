import type { Shared } from "@tongbu/pair"
import { Effect, Scope } from "effect"

/**
 * The runner's registry of what pairs share (`Shared`): a value per key, made at the first pair's request and kept in
 * the registry's scope (the daemon's life), so every pair on one ERP account uses one client, one rate limiter and
 * one bound on calls in flight.
 */
export const make = Effect.gen(function* () {
  const scope = yield* Effect.scope
  const one = yield* Effect.makeSemaphore(1)
  const entries = new Map<string, Effect.Effect<unknown, unknown>>()
  const get = <A, E>(key: string, make: Effect.Effect<A, E, Scope.Scope>): Effect.Effect<A, E> =>
    one
      .withPermits(1)(
        Effect.suspend(() => {
          const found = entries.get(key)
          if (found !== undefined) return Effect.succeed(found)
          return Effect.tap(Effect.cached(Scope.extend(make, scope)), (cached) =>
            Effect.sync(() => entries.set(key, cached))
          )
        })
      )
      // each key's value is made by the one `make` its pair passes for it
      .pipe(Effect.flatMap((cached) => cached as Effect.Effect<A, E>))
  const shared: Shared.Shared = { get }
  return shared
})
