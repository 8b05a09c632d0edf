import type { Effect, Scope } from "effect"

/**
 * What a pair's sides share with the other pairs of one runner process: a resource that belongs to an endpoint or an
 * account rather than to a pair (the ERP account's client, its rate limiter and its bound on calls in flight). The
 * pair names the resource by a key it computes from its settings (the ERP's base URL and user); every pair asking
 * for the same key gets the one value, made once and kept for the runner's life.
 */
export interface Shared {
  readonly get: <A, E>(key: string, make: Effect.Effect<A, E, Scope.Scope>) => Effect.Effect<A, E, Scope.Scope>
}

/** Nothing shared: each call makes its own, in the caller's scope (a one-off command runs one pair). */
export const unshared: Shared = { get: (_key, make) => make }
