import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect, layer } from "@effect/vitest"
import { IdempotencyKey, RecordId, Update } from "@tongbu/core"
import { drizzle } from "drizzle-orm/node-postgres"
import { migrate } from "drizzle-orm/node-postgres/migrator"
import { Effect, Option, Redacted } from "effect"
import pg from "pg"
import { migrationsFolder } from "../../src/internal/migrate.js"
import * as PostgresStore from "../../src/PostgresStore.js"
import * as TestServer from "../../src/testing.js"

// A database of the first schema, with the state of two pairs, migrated to ids per pair (0001_pair_ids): every row
// still there, still its pair's, and new runs numbered after the old ones.

/** A migrations folder holding only the first migration: the schema a store of the first release created. */
const firstOnly = () => {
  const dir = mkdtempSync(join(tmpdir(), "tongbu-first-schema-"))
  cpSync(migrationsFolder, dir, { recursive: true })
  const journal = JSON.parse(readFileSync(join(dir, "meta/_journal.json"), "utf8"))
  writeFileSync(join(dir, "meta/_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }))
  return dir
}

const update = (key: string) =>
  new Update({
    key: IdempotencyKey.make(key),
    side: "right",
    id: RecordId.make("r1"),
    otherId: RecordId.make("l1"),
    changes: { name: "B" },
    before: { name: "A" },
    canonicalFields: ["name"]
  })

const counts = { created: 0, updated: 1, linked: 0, unchanged: 0, skipped: 0, conflicts: 0, actions: 0, failed: 0 }

const seed = `
  insert into runs (pair_id, kind, status, direction, dry_run, "full", started_at, counts)
    values ('a', 'sync', 'completed', 'both', false, false, 1, 'COUNTS'), ('b', 'sync', 'completed', 'both', false, false, 2, 'COUNTS');
  insert into operations (pair_id, key, run_id, seq, operation, state, attempts, updated_at)
    select pair_id, 'u-' || pair_id, id, 0, $op$OP$op$, 'done', 1, 3 from runs;
  insert into outcomes (pair_id, run_id, side, record_id, operation, outcome, reasons)
    select pair_id, id, 'right', 'r1', 'update', 'updated', '[]' from runs;
  insert into untold (pair_id, run_id, side) select pair_id, id, 'left' from runs;`

layer(TestServer.layer(), { timeout: 120_000 })("PostgreSQL migrations", (it) => {
  it.scoped("0001_pair_ids keeps a first-schema database's rows, each its pair's; new ids follow the old", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const url = yield* server.freshDatabase
      const where = new URL(url)
      const folder = firstOnly()
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(folder, { recursive: true, force: true })))
      yield* Effect.promise(async () => {
        const client = new pg.Client({
          host: where.hostname,
          port: Number(where.port),
          user: where.username,
          database: where.pathname.slice(1),
          password: Redacted.value(server.password)
        })
        await client.connect()
        try {
          await migrate(drizzle({ client }), { migrationsFolder: folder })
          await client.query(
            seed.replaceAll("COUNTS", () => JSON.stringify(counts)).replace("OP", () => JSON.stringify(update("u")))
          )
        } finally {
          await client.end()
        }
      })
      const a = yield* PostgresStore.make({ url, password: server.password, pair: "a" })
      const b = yield* PostgresStore.make({ url, password: server.password, pair: "b" })
      const [runA] = yield* a.runs(10)
      const [runB] = yield* b.runs(10)
      expect([runA?.id, runB?.id]).toEqual(["1", "2"])
      expect((yield* a.operations(runA!.id)).map((op) => [op.key, op.state])).toEqual([["u-a", "done"]])
      expect((yield* b.outcomes(runB!.id)).map((o) => o.id)).toEqual(["r1"])
      expect(yield* b.untold).toEqual([{ runId: "2", side: "left" }])
      expect(yield* a.operations(runB!.id)).toEqual([])
      const next = yield* a.startRun({ kind: "sync", direction: "both", dryRun: false, full: false }, [update("u-new")])
      expect(Number(next.runId)).toBeGreaterThan(2)
      expect(Option.map(yield* a.run(next.runId), (run) => run.status)).toEqual(Option.some("running"))
    })
  )
})
