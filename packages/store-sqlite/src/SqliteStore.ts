import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import type { StoreWriteError, SyncStoreService } from "@tongbu/core"
import { StoreError, StoreExport, StoreFenced, SyncStore } from "@tongbu/core"
import Database from "better-sqlite3"
import { drizzle } from "drizzle-orm/better-sqlite3"
import { migrate } from "drizzle-orm/better-sqlite3/migrator"
import { readMigrationFiles } from "drizzle-orm/migrator"
import type { Scope } from "effect"
import { Clock, Config, Effect, Exit, Layer, Option, Stream } from "effect"
import * as copy from "./internal/sqliteCopy.js"
import * as q from "./internal/sqliteQueries.js"
import * as shown from "./internal/sqliteShown.js"
import * as untold from "./internal/sqliteUntold.js"

/**
 * The sync's state in one SQLite file (or ":memory:"), through drizzle. Migrations are applied when the store opens.
 * One runner at a time works on a file (see the lease); a PostgreSQL store serves deployments with several.
 */
export interface SqliteStoreConfig {
  readonly filename: string
}

const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url))

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

const open = (filename: string): Effect.Effect<Database.Database, StoreError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const client = new Database(filename)
        try {
          client.pragma("journal_mode = WAL")
          // NORMAL in WAL mode keeps every commit across a crash of the process; only a power loss can drop the last few.
          client.pragma("synchronous = NORMAL")
          client.pragma("busy_timeout = 5000")
          client.pragma("foreign_keys = ON")
          migrate(drizzle(client), { migrationsFolder })
          return client
        } catch (error) {
          client.close()
          throw error
        }
      },
      catch: (cause) => new StoreError({ message: `cannot open the state store at ${filename}: ${describe(cause)}` })
    }).pipe(
      // drizzle's migrator reads which migrations are applied before it takes the write lock, so two processes opening
      // a new file at once both try to create its tables; the loser's second look finds them applied
      Effect.retry({ times: 2, while: (error) => error.message.includes("already exists") })
    ),
    (client) => Effect.sync(() => client.close())
  )

/** Opens (creating and migrating if needed) the store at `config.filename`; closed when the scope closes. */
export const make = (config: SqliteStoreConfig): Effect.Effect<SyncStoreService, StoreError, Scope.Scope> =>
  Effect.map(open(config.filename), (client) => {
    const db = drizzle(client)
    // Set once this instance acquired the lease, cleared when it releases it: what each write is fenced by.
    let fence: q.Fence | undefined
    // Each method is one transaction (writers take the write lock up front, so two processes on one file wait for
    // each other instead of failing); what better-sqlite3 throws becomes a StoreError naming the file and the task.
    const failed = (task: string, cause: unknown) =>
      new StoreError({ message: `state store ${config.filename}: cannot ${task}: ${describe(cause)}` })
    const transact = <A, E>(
      mode: "deferred" | "immediate",
      body: (now: number) => A,
      catcher: (cause: unknown) => E
    ): Effect.Effect<A, E> =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.try({ try: () => client.transaction(() => body(now))[mode](), catch: catcher })
      )
    const read = <A>(task: string, body: () => A): Effect.Effect<A, StoreError> =>
      transact("deferred", body, (cause) => failed(task, cause))
    const lease = <A>(task: string, body: (now: number) => A): Effect.Effect<A, StoreError> =>
      transact("immediate", body, (cause) => failed(task, cause))
    // The check runs inside the write's own transaction, which holds the write lock: no takeover can slip in between.
    const write = <A>(task: string, body: (now: number) => A): Effect.Effect<A, StoreWriteError> =>
      transact(
        "immediate",
        (now) => {
          const holder = fence === undefined ? undefined : q.fencedBy(db, fence)
          if (holder !== undefined)
            throw new StoreFenced({
              holder,
              message: `another tongbu runner (holder ${holder}) took this pair's lease; this runner's writes are refused (it could not ${task})`
            })
          return body(now)
        },
        (cause) => (cause instanceof StoreFenced ? cause : failed(task, cause))
      )
    const page =
      <T extends StoreExport.Table>(table: T): StoreExport.Page<T> =>
      (after) =>
        read(`export the ${table}`, () => copy.pages[table](db, after))
    const sql = (task: string, statement: string) =>
      Effect.try({ try: () => client.exec(statement), catch: (cause) => failed(task, cause) })
    // One transaction across the whole stream: better-sqlite3's own wraps a synchronous function only.
    const importState = <E>(state: Stream.Stream<StoreExport.Chunk, E>) =>
      Effect.acquireUseRelease(
        sql("begin the import", "begin immediate"),
        () =>
          Effect.gen(function* () {
            if (!(yield* Effect.try({ try: () => copy.isEmpty(db), catch: (cause) => failed("import", cause) })))
              return yield* new StoreExport.StoreNotEmpty({
                pair: config.filename,
                message: `the state store ${config.filename} already holds a pair's state: an import goes into an empty store only`
              })
            const counts = yield* Stream.runFoldEffect(state, StoreExport.noCounts, (counts, chunk) =>
              Effect.try({
                try: () => {
                  StoreExport.check(chunk)
                  copy.insert(db, chunk)
                  return StoreExport.add(counts, chunk)
                },
                catch: (cause) => failed(`import the ${chunk.table}`, cause)
              })
            )
            yield* sql("commit the import", "commit")
            return counts
          }),
        (_, exit) => (Exit.isSuccess(exit) ? Effect.void : Effect.ignore(sql("roll the import back", "rollback")))
      )

    return SyncStore.of({
      links: read("read the links", () => q.allLinks(db)),
      linkOf: (side, id) => read(`read the link of ${side} ${id}`, () => Option.fromNullable(q.linkOf(db, side, id))),
      saveLinks: (links) => write("save links", () => q.saveLinks(db, links)),
      removeLink: (leftId, rightId) =>
        write(`remove the link ${leftId}↔${rightId}`, () => q.removeLink(db, leftId, rightId)),

      startRun: (start, operations) => write("record a new run", (now) => q.startRun(db, now, start, operations)),
      finishRun: (id, status, counts, error) =>
        write(`finish run ${id}`, (now) => q.finishRun(db, now, id, status, counts, error)),
      runs: (limit) => read("list runs", () => q.listRuns(db, limit)),
      run: (id) => read(`read run ${id}`, () => Option.fromNullable(q.getRun(db, id))),

      operations: (runId) => read(`read the operations of run ${runId}`, () => q.runOperations(db, runId)),
      unfinished: read("read unfinished operations", () => q.unfinished(db)),
      settledKeys: read("read settled operation keys", () => q.settledKeys(db)),
      markAttempted: (key) =>
        write(`mark ${key} attempted`, (now) => q.applyEntry(db, now, { _tag: "Attempted", key })),
      recordProvisional: (key, provisionalId) =>
        write(`record the provisional id of ${key}`, (now) =>
          q.applyEntry(db, now, { _tag: "Provisional", key, provisionalId })
        ),
      complete: (key, result) => write(`complete ${key}`, (now) => q.complete(db, now, key, result)),
      fail: (key, state, error) =>
        write(`record the failure of ${key}`, (now) => q.applyEntry(db, now, { _tag: "Failed", key, state, error })),
      markRolledBack: (key) => write(`mark ${key} rolled back`, (now) => q.markRolledBack(db, now, key)),
      journal: (entries) => write(`record ${entries.length} outbox steps`, (now) => q.applyJournal(db, now, entries)),

      recordOutcomes: (outcomes) => write("record outcomes", () => q.recordOutcomes(db, outcomes)),
      outcomes: (runId) => read(`read the outcomes of run ${runId}`, () => q.runOutcomes(db, runId)),
      acknowledged: (side, ids) => read(`read what ${side} was told`, () => q.acknowledged(db, side, ids)),
      saveAcknowledged: (side, digests) =>
        write(`record what ${side} was told`, () => q.saveAcknowledged(db, side, digests)),
      untold: read("read which runs the sides were not told", () => untold.pending(db)),
      markUntold: (side, runIds) =>
        write(`record the runs ${side} was not told`, () => untold.markUntold(db, side, runIds)),
      markTold: (side, runIds) => write(`record the runs ${side} was told`, () => untold.markTold(db, side, runIds)),
      shownLinks: (side, ids) => read(`read what ${side} shows of its links`, () => shown.shown(db, side, ids)),
      saveShown: (side, links) =>
        write(`record what ${side} shows of its links`, () => shown.saveShown(db, side, links)),
      forgetShown: (side, ids) =>
        write(`forget what ${side} showed of undone links`, () => shown.forgetShown(db, side, ids)),

      parkedActions: read("read parked actions", () => q.parkedActions(db)),
      resolveAction: (idOrKey, resolution) =>
        write(`resolve action ${idOrKey}`, (now) => q.resolveAction(db, now, idOrKey, resolution)),

      openConflicts: read("read open conflicts", () => q.openConflicts(db)),
      saveConflict: (conflict) => write(`save conflict ${conflict.id}`, () => q.saveConflict(db, conflict)),
      resolveConflict: (id, take) =>
        write(`resolve conflict ${id}`, () => Option.fromNullable(q.resolveConflict(db, id, take))),

      checkpoint: (name) => read(`read checkpoint ${name}`, () => Option.fromNullable(q.getCheckpoint(db, name))),
      saveCheckpoint: (name, value) => write(`save checkpoint ${name}`, () => q.saveCheckpoint(db, name, value)),

      acquireLease: (holder, ttlMs) =>
        lease("take the lease", (now) => q.acquireLease(db, now, holder, ttlMs)).pipe(
          Effect.map((taken) => {
            if (taken !== undefined) fence = taken
            return taken !== undefined
          })
        ),
      releaseLease: (holder) =>
        lease("release the lease", () => q.releaseLease(db, holder)).pipe(
          Effect.andThen(
            Effect.sync(() => {
              fence = undefined
            })
          )
        ),

      exportState: StoreExport.fromPages({
        runs: page("runs"),
        operations: page("operations"),
        outcomes: page("outcomes"),
        untold: page("untold"),
        conflicts: page("conflicts"),
        links: page("links"),
        checkpoints: page("checkpoints"),
        acknowledgements: page("acknowledgements"),
        shown: page("shown"),
        lease: page("lease")
      }),
      importState
    })
  })

export const layer = (config: SqliteStoreConfig): Layer.Layer<SyncStore, StoreError> =>
  Layer.scoped(SyncStore, make(config))

/** The store configured from the environment, e.g. `layerConfig({ filename: Config.string("TONGBU_STORE") })`. */
export const layerConfig = (config: Config.Config.Wrap<SqliteStoreConfig>) =>
  Layer.scoped(SyncStore, Effect.flatMap(Config.unwrap(config), make))

/**
 * What `inspect` found: no file yet; a store whose migrations are all applied; one with migrations still to apply (the
 * next open applies them); or one that a newer version migrated further than this one knows.
 */
export type StoreState =
  | { readonly _tag: "Missing" }
  | { readonly _tag: "Current"; readonly applied: number }
  | { readonly _tag: "Pending"; readonly applied: number; readonly pending: number }
  | { readonly _tag: "Newer"; readonly known: number }

/**
 * Looks at the store's migrations without changing anything (the file is opened read-only, never created). The
 * migrator applies those newer than the last one applied, so that one decides: a store with none is all pending.
 */
export const inspect = (filename: string): Effect.Effect<StoreState, StoreError> =>
  Effect.try({
    try: (): StoreState => {
      if (!existsSync(filename)) return { _tag: "Missing" }
      const known = readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis)
      const client = new Database(filename, { readonly: true, fileMustExist: true })
      try {
        const tables = client.prepare("select name from sqlite_master where type = 'table'").pluck().all()
        if (tables.length > 0 && !tables.includes("__drizzle_migrations"))
          throw new Error("it holds tables but no migration history: it is not a tongbu state store")
        const last = tables.includes("__drizzle_migrations")
          ? (client.prepare("select max(created_at) from __drizzle_migrations").pluck().get() as number | null)
          : null
        const applied = known.filter((when) => last !== null && when <= Number(last)).length
        if (last !== null && known.every((when) => when < Number(last))) return { _tag: "Newer", known: known.length }
        return applied === known.length
          ? { _tag: "Current", applied }
          : { _tag: "Pending", applied, pending: known.length - applied }
      } finally {
        client.close()
      }
    },
    catch: (cause) => new StoreError({ message: `cannot read the state store at ${filename}: ${describe(cause)}` })
  })
