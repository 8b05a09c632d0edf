import { createHash } from "node:crypto"
import type { StoreError } from "@tongbu/core"
import { PostgresStore } from "@tongbu/store-postgres"
import { Context, Effect, ExecutionStrategy, Exit, Layer, Redacted, Scope } from "effect"

/**
 * The PostgreSQL databases of a process, one pool each: 100 pairs in one database with a pool of their own would hold
 * 400 connections, four times PostgreSQL's default `max_connections`. The pairs of a daemon (or of one command) that
 * name the same URL, password and pool size share one pool, opened (and migrated) at the first pair's need and kept
 * for the registry's life; one that failed to open is tried again at the next need.
 */
export interface StateDatabasesService {
  readonly get: (config: PostgresStore.DatabaseConfig) => Effect.Effect<PostgresStore.Database, StoreError>
}

export class StateDatabases extends Context.Tag("@tongbu/runner/StateDatabases")<
  StateDatabases,
  StateDatabasesService
>() {}

/** The key of a database: the password by its digest, so that the map holds no secret it need not. */
const keyOf = (config: PostgresStore.DatabaseConfig): string =>
  JSON.stringify([
    config.url,
    config.password === undefined
      ? null
      : createHash("sha256").update(Redacted.value(config.password)).digest("base64url"),
    config.poolSize ?? null
  ])

/** A registry whose databases close with the scope. */
export const make: Effect.Effect<StateDatabasesService, never, Scope.Scope> = Effect.gen(function* () {
  const scope = yield* Effect.scope
  const one = yield* Effect.makeSemaphore(1)
  const open = new Map<string, PostgresStore.Database>()
  const get = (config: PostgresStore.DatabaseConfig) =>
    one.withPermits(1)(
      Effect.suspend(() => {
        const key = keyOf(config)
        const found = open.get(key)
        if (found !== undefined) return Effect.succeed(found)
        return Effect.gen(function* () {
          const child = yield* Scope.fork(scope, ExecutionStrategy.sequential)
          const database = yield* PostgresStore.database(config).pipe(
            Scope.extend(child),
            Effect.onError((cause) => Scope.close(child, Exit.failCause(cause)))
          )
          open.set(key, database)
          return database
        })
      })
    )
  return StateDatabases.of({ get })
})

export const layer: Layer.Layer<StateDatabases> = Layer.scoped(StateDatabases, make)
