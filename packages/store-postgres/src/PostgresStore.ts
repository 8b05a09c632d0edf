import { StoreError, StoreFenced, type StoreWriteError, SyncStore, type SyncStoreService } from "@tongbu/core"
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres"
import type { Scope } from "effect"
import { Clock, Config, Effect, Layer, Option } from "effect"
import { escapeLiteral, type PoolClient, type QueryResult } from "pg"
import { describe } from "./internal/connection.js"
import { type Database, type DatabaseConfig, open } from "./internal/database.js"
import * as journal from "./internal/journal.js"
import * as links from "./internal/links.js"
import * as ops from "./internal/operations.js"
import * as runs from "./internal/runs.js"
import * as sides from "./internal/sides.js"
import * as state from "./internal/state.js"
import type { Tx } from "./internal/tx.js"
import * as untold from "./internal/untold.js"

/**
 * One pair's view of the sync's state in a PostgreSQL database, through drizzle over a `pg` pool. One database holds
 * many pairs (every row is keyed by its pair); several runners may share it, the pair's lease deciding which one works
 * on it. Migrations are applied when the database opens. `layer(config)` opens a database for one pair;
 * `database(config)` once and `layerOn(database, pair)` per pair share one pool among many pairs.
 */
export interface PostgresStoreConfig extends DatabaseConfig {
  /** The pair this view is of: its rows are keyed by it. */
  readonly pair: string
}

export type { Database, DatabaseConfig } from "./internal/database.js"
export { InspectFailed, inspect, type Problem, type StoreState } from "./internal/inspect.js"

/** The lease row of a write's first query: several statements in one simple query answer with a result each. */
const leaseRow = (results: QueryResult | ReadonlyArray<QueryResult>): { holder: string; epoch: string } | undefined =>
  Array.isArray(results) ? results[2]?.rows[0] : undefined

/** What a write fenced by a lost lease throws inside its transaction; it becomes `StoreFenced`. */
class Fenced extends Error {
  constructor(readonly holder: string) {
    super(holder)
  }
}

type Mode = "read" | "write" | "lease"

const begin: Record<Exclude<Mode, "write">, string> = {
  // Reads see one snapshot, as a read transaction of the SQLite store does.
  read: "begin isolation level repeatable read read only",
  lease: "begin"
}

/** Opens a database of tongbu's state (its pool closed with the scope) and applies the migrations not applied yet. */
export const database: (config: DatabaseConfig) => Effect.Effect<Database, StoreError, Scope.Scope> = open

/** Pair `pair`'s store in an open database (see `database`); it shares the database's pool with the other pairs. */
export const on = (database: Database, pair: string): SyncStoreService => {
  const { pool, leasePool, where, secrets } = database
  const databases = new WeakMap<PoolClient, NodePgDatabase>()
  const dbOf = (client: PoolClient): NodePgDatabase => {
    let db = databases.get(client)
    if (db === undefined) {
      db = drizzle({ client })
      databases.set(client, db)
    }
    return db
  }
  // Set once this instance acquired the lease, cleared when it releases it: what each write is fenced by.
  let fence: state.Fence | undefined
  // Inlined as literals, so that a write's first statements go as one simple query.
  const beginWrite = `begin; select pg_advisory_xact_lock(hashtextextended(${escapeLiteral(`tongbu pair ${pair}`)}, 0))`
  const readLease = state.leaseForShare(escapeLiteral(pair))

  const run = async <A>(mode: Mode, now: number, body: (tx: Tx) => Promise<A>): Promise<A> => {
    const client = await (mode === "lease" ? leasePool : pool).connect()
    let broken: Error | undefined
    try {
      const tx: Tx = { db: dbOf(client), client, pair: pair, now }
      if (mode === "write") {
        // One round trip: begin; a pair's writes take turns, as they do on a SQLite file (a read-modify-write never
        // interleaves with another); and, once this instance holds the lease, the fencing check.
        const held = fence
        const holder =
          held === undefined
            ? await client.query(beginWrite).then(() => undefined)
            : state.fencedBy(leaseRow(await client.query(`${beginWrite}; ${readLease}`)), held)
        if (holder !== undefined) throw new Fenced(holder)
      } else await client.query(begin[mode])
      const value = await body(tx)
      await client.query("commit")
      return value
    } catch (error) {
      await client.query("rollback").catch((failed: Error) => {
        broken = failed
      })
      throw error
    } finally {
      client.release(broken)
    }
  }

  // Each method is one transaction; what `pg` throws becomes a StoreError naming the store, the pair and the task.
  const failed = (task: string, cause: unknown) =>
    new StoreError({
      message: `state store ${where} (pair ${pair}): cannot ${task}: ${describe(cause, secrets)}`
    })
  const transact = <A, E>(mode: Mode, body: (tx: Tx) => Promise<A>, catcher: (cause: unknown) => E) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.tryPromise({ try: () => run(mode, now, body), catch: catcher })
    )
  const read = <A>(task: string, body: (tx: Tx) => Promise<A>): Effect.Effect<A, StoreError> =>
    transact("read", body, (cause) => failed(task, cause))
  const lease = <A>(task: string, body: (tx: Tx) => Promise<A>): Effect.Effect<A, StoreError> =>
    transact("lease", body, (cause) => failed(task, cause))
  const write = <A>(task: string, body: (tx: Tx) => Promise<A>): Effect.Effect<A, StoreWriteError> =>
    transact("write", body, (cause) =>
      cause instanceof Fenced
        ? new StoreFenced({
            holder: cause.holder,
            message: `another tongbu runner (holder ${cause.holder}) took this pair's lease (pair ${pair}); this runner's writes are refused (it could not ${task})`
          })
        : failed(task, cause)
    )

  return SyncStore.of({
    links: read("read the links", links.allLinks),
    linkOf: (side, id) =>
      read(`read the link of ${side} ${id}`, async (tx) => Option.fromNullable(await links.linkOf(tx, side, id))),
    saveLinks: (states) => write("save links", (tx) => links.saveLinks(tx, states)),
    removeLink: (leftId, rightId) =>
      write(`remove the link ${leftId}↔${rightId}`, (tx) => links.removeLink(tx, leftId, rightId)),

    startRun: (start, operations) => write("record a new run", (tx) => runs.startRun(tx, start, operations)),
    finishRun: (id, status, counts, error) =>
      write(`finish run ${id}`, (tx) => runs.finishRun(tx, id, status, counts, error)),
    runs: (limit) => read("list runs", (tx) => runs.listRuns(tx, limit)),
    run: (id) => read(`read run ${id}`, async (tx) => Option.fromNullable(await runs.getRun(tx, id))),

    operations: (runId) => read(`read the operations of run ${runId}`, (tx) => ops.runOperations(tx, runId)),
    unfinished: read("read unfinished operations", ops.unfinished),
    settledKeys: read("read settled operation keys", ops.settledKeys),
    markAttempted: (key) => write(`mark ${key} attempted`, (tx) => journal.apply(tx, [{ _tag: "Attempted", key }])),
    recordProvisional: (key, provisionalId) =>
      write(`record the provisional id of ${key}`, (tx) =>
        journal.apply(tx, [{ _tag: "Provisional", key, provisionalId }])
      ),
    complete: (key, result) =>
      write(`complete ${key}`, (tx) => journal.apply(tx, [{ _tag: "Completed", key, result }])),
    fail: (key, status, error) =>
      write(`record the failure of ${key}`, (tx) => journal.apply(tx, [{ _tag: "Failed", key, state: status, error }])),
    markRolledBack: (key) => write(`mark ${key} rolled back`, (tx) => ops.markRolledBack(tx, key)),
    journal: (entries) => write(`record ${entries.length} outbox steps`, (tx) => journal.apply(tx, entries)),

    recordOutcomes: (outcomes) => write("record outcomes", (tx) => runs.recordOutcomes(tx, outcomes)),
    outcomes: (runId) => read(`read the outcomes of run ${runId}`, (tx) => runs.runOutcomes(tx, runId)),
    acknowledged: (side, ids) => read(`read what ${side} was told`, (tx) => sides.acknowledged(tx, side, ids)),
    saveAcknowledged: (side, digests) =>
      write(`record what ${side} was told`, (tx) => sides.saveAcknowledged(tx, side, digests)),
    untold: read("read which runs the sides were not told", untold.pending),
    markUntold: (side, runIds) =>
      write(`record the runs ${side} was not told`, (tx) => untold.markUntold(tx, side, runIds)),
    markTold: (side, runIds) => write(`record the runs ${side} was told`, (tx) => untold.markTold(tx, side, runIds)),
    shownLinks: (side, ids) => read(`read what ${side} shows of its links`, (tx) => sides.shown(tx, side, ids)),
    saveShown: (side, shown) =>
      write(`record what ${side} shows of its links`, (tx) => sides.saveShown(tx, side, shown)),
    forgetShown: (side, ids) =>
      write(`forget what ${side} showed of undone links`, (tx) => sides.forgetShown(tx, side, ids)),

    parkedActions: read("read parked actions", ops.parkedActions),
    resolveAction: (idOrKey, resolution) =>
      write(`resolve action ${idOrKey}`, (tx) => ops.resolveAction(tx, idOrKey, resolution)),

    openConflicts: read("read open conflicts", state.openConflicts),
    saveConflict: (conflict) => write(`save conflict ${conflict.id}`, (tx) => state.saveConflict(tx, conflict)),
    resolveConflict: (id, take) =>
      write(`resolve conflict ${id}`, async (tx) => Option.fromNullable(await state.resolveConflict(tx, id, take))),

    checkpoint: (name) =>
      read(`read checkpoint ${name}`, async (tx) => Option.fromNullable(await state.getCheckpoint(tx, name))),
    saveCheckpoint: (name, value) => write(`save checkpoint ${name}`, (tx) => state.saveCheckpoint(tx, name, value)),

    acquireLease: (holder, ttlMs) =>
      lease("take the lease", (tx) => state.acquireLease(tx, holder, ttlMs)).pipe(
        Effect.map((taken) => {
          if (taken !== undefined) fence = taken
          return taken !== undefined
        })
      ),
    releaseLease: (holder) =>
      lease("release the lease", (tx) => state.releaseLease(tx, holder)).pipe(
        Effect.andThen(
          Effect.sync(() => {
            fence = undefined
          })
        )
      )
  })
}

/** Pair `pair`'s store in an open database, as a layer (see `database`). */
export const layerOn = (database: Database, pair: string): Layer.Layer<SyncStore> =>
  Layer.sync(SyncStore, () => on(database, pair))

/** Opens a database for one pair's store (see `database` and `on`). */
export const make = (config: PostgresStoreConfig): Effect.Effect<SyncStoreService, StoreError, Scope.Scope> =>
  Effect.map(database(config), (opened) => on(opened, config.pair))

export const layer = (config: PostgresStoreConfig): Layer.Layer<SyncStore, StoreError> =>
  Layer.scoped(SyncStore, make(config))

/**
 * The store configured from the environment, e.g.
 * `layerConfig({ url: Config.string("TONGBU_STATE_URL"), password: Config.redacted("TONGBU_STATE_PASSWORD"), pair: Config.succeed("default") })`.
 */
export const layerConfig = (config: Config.Config.Wrap<PostgresStoreConfig>) =>
  Layer.scoped(SyncStore, Effect.flatMap(Config.unwrap(config), make))
