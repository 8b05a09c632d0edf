import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { ListEntry, SyncAdapter } from "@tongbu/core"
import { RecordId } from "@tongbu/core"
import Database from "better-sqlite3"
import { Chunk, Effect, Option, Stream } from "effect"
import type { HubFixtureOptions, HubOptionsInput } from "../src/index.js"
import { generateHubFile, HubAdapter } from "../src/index.js"

export const numRuns = Number(process.env.TONGBU_PROP_RUNS ?? 25)

/** A fresh directory for one test's hub file, removed with the scope. */
export const tempHubPath = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "tongbu-hub-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
).pipe(Effect.map((dir) => join(dir, "hub.db")))

export const hubFixture = (options: HubFixtureOptions) =>
  Effect.flatMap(tempHubPath, (path) => generateHubFile(path, options))

/** A generated hub file and the adapter over it (intake off unless asked: most tests want the rows as generated). */
export const hubWith = (fixture: HubFixtureOptions, options: Partial<HubOptionsInput> = {}) =>
  Effect.gen(function* () {
    const summary = yield* hubFixture(fixture)
    const adapter = yield* HubAdapter.make({ intake: false, busyTimeoutMs: 0, ...options, path: summary.path })
    return { summary, adapter }
  })

/** Another connection to the hub file: the hub's own Python process, as far as the sync can tell. */
export const hubProcess = (path: string) =>
  Effect.acquireRelease(
    Effect.sync(() => new Database(path, { timeout: 0 })),
    (db) => Effect.sync(() => db.close())
  )

export const listAll = (adapter: SyncAdapter, since: Option.Option<string> = Option.none()) =>
  Effect.map(Stream.runCollect(adapter.list({ since })), (chunk): ReadonlyArray<ListEntry> => Chunk.toArray(chunk))

export const rid = (id: string | number): RecordId => RecordId.make(String(id))

export const readOrDie = (adapter: SyncAdapter, id: string | number) =>
  Effect.flatMap(adapter.read(rid(id)), (record) =>
    Option.match(record, {
      onNone: () => Effect.dieMessage(`hub customer ${id} cannot be read`),
      onSome: Effect.succeed
    })
  )

/**
 * Counts the updates of `customers_unified` rows from now on (a test-only trigger on the generated file), leaving out
 * the hub's own trigger bumping `updated_at`.
 */
export const auditUpdates = (db: Database.Database) => {
  const columns = db
    .prepare<[], string>("SELECT name FROM pragma_table_info('customers_unified') WHERE name <> 'updated_at'")
    .pluck()
    .all()
  db.exec(`CREATE TABLE IF NOT EXISTS test_audit (id INTEGER);
           CREATE TRIGGER IF NOT EXISTS test_audit_updates AFTER UPDATE OF ${columns.join(", ")} ON customers_unified
           BEGIN INSERT INTO test_audit VALUES (NEW.id); END;
           DELETE FROM test_audit;`)
  const count = db.prepare<[], number>("SELECT count(*) FROM test_audit").pluck()
  return () => count.get() ?? 0
}

export const row = (db: Database.Database, id: number | string) =>
  db.prepare<[number], Record<string, unknown>>("SELECT * FROM customers_unified WHERE id = ?").get(Number(id))
