import { StoreError } from "@tongbu/core"
import type { Redacted, Scope } from "effect"
import { Effect, Runtime } from "effect"
import { Pool } from "pg"
import { connection, describe } from "./connection.js"
import { applyMigrations } from "./migrate.js"

/** How to reach a database of tongbu's state: what every pair stored in it shares. */
export interface DatabaseConfig {
  /** `postgres://user@host:port/database`; a password inline is accepted, `password` wins over it. */
  readonly url: string
  readonly password?: Redacted.Redacted<string>
  /** Connections the pool opens at most (default 4), shared by every pair's store on it. */
  readonly poolSize?: number
  /**
   * `false` sets `synchronous_commit = off` for the store's sessions: a commit returns before the server flushed it to
   * disk, so a crash of the runner loses nothing and a crash of the server can lose its last fraction of a second of
   * commits (the SQLite store's trade-off in WAL mode with `synchronous = NORMAL`). Default `true`: PostgreSQL's own.
   */
  readonly synchronousCommit?: boolean
}

/** An open database: its pool, migrated. Many pairs' stores use one (`PostgresStore.layerOn`). */
export interface Database {
  readonly pool: Pool
  /**
   * One connection of its own for the leases, so that a renewal never queues for a connection behind the run's
   * writes (which take turns per pair while holding theirs): a busy run would otherwise miss its renewal.
   */
  readonly leasePool: Pool
  /** Where it is, for messages: the URL without its password. */
  readonly where: string
  /** Every form of the password that a message must not carry. */
  readonly secrets: ReadonlyArray<string>
}

/** Opens the pool (closed with the scope) and applies the migrations not applied yet. */
export const open = (config: DatabaseConfig): Effect.Effect<Database, StoreError, Scope.Scope> =>
  Effect.gen(function* () {
    const target = connection(config.url, config.password, config.poolSize ?? 4, config.synchronousCommit ?? true)
    if ("invalid" in target) return yield* new StoreError({ message: target.invalid })
    const { where, secrets } = target
    const runtime = yield* Effect.runtime<never>()
    const poolOf = (config: typeof target.pool) =>
      Effect.acquireRelease(
        Effect.sync(() => {
          const pool = new Pool(config)
          // An idle connection the server closed: the pool drops it and opens another when needed.
          pool.on("error", (error) =>
            Runtime.runFork(runtime)(
              Effect.logWarning(`state store ${where}: a pooled connection failed: ${describe(error, secrets)}`)
            )
          )
          return pool
        }),
        (pool) => Effect.promise(() => pool.end())
      )
    const pool = yield* poolOf(target.pool)
    const leasePool = yield* poolOf({ ...target.pool, max: 1 })
    yield* Effect.tryPromise({
      try: () => applyMigrations(pool),
      catch: (cause) =>
        new StoreError({ message: `cannot open the state store at ${where}: ${describe(cause, secrets)}` })
    })
    return { pool, leasePool, where, secrets }
  })
