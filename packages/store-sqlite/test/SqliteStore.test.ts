import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import type { StartRun } from "@tongbu/core"
import { IdempotencyKey, LinkState, RecordId, RunId, SyncStore, Update } from "@tongbu/core"
import Database from "better-sqlite3"
import { drizzle } from "drizzle-orm/better-sqlite3"
import { migrate } from "drizzle-orm/better-sqlite3/migrator"
import { Effect, Layer, TestClock } from "effect"
import * as SqliteStore from "../src/SqliteStore.js"

const memory = SqliteStore.layer({ filename: ":memory:" })
const key = (k: string) => IdempotencyKey.make(k)
const id = (i: string) => RecordId.make(i)
const sync: StartRun = { kind: "sync", direction: "both", dryRun: false, full: false }

const update = (k: string, side: "left" | "right" = "right") =>
  new Update({
    key: key(k),
    side,
    id: id("r1"),
    otherId: id("l1"),
    changes: { mobile: "13800138000" },
    before: { mobile: null },
    canonicalFields: ["mobile"]
  })
const link = (left: string, right: string, name = "a") =>
  new LinkState({ leftId: id(left), rightId: id(right), left: { name }, right: { name }, leftVersion: "v1" })

const zero = { created: 0, updated: 0, linked: 0, unchanged: 0, skipped: 0, conflicts: 0, actions: 0, failed: 0 }
const tempDir = () => mkdtempSync(join(tmpdir(), "tongbu-store-"))

describe("SqliteStore", () => {
  it.effect("names the run it cannot record as untold or told", () =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const unknown = yield* Effect.flip(store.markUntold("left", [RunId.make("99")]))
      expect(unknown.message).toContain("cannot record the runs left was not told: FOREIGN KEY constraint failed")
      const malformed = yield* Effect.flip(store.markTold("left", [RunId.make("dry-run")]))
      expect(malformed.message).toContain("there is no run dry-run")
    }).pipe(Effect.provide(memory))
  )

  it.effect("a fenced write is refused before the SQL runs, naming the holder now", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const filename = join(dir, "state.db")
      const fenced = yield* Effect.scoped(
        Effect.gen(function* () {
          const stale = yield* SqliteStore.make({ filename })
          const owner = yield* SqliteStore.make({ filename })
          yield* stale.acquireLease("a", 1_000)
          yield* TestClock.adjust(1_001)
          yield* owner.acquireLease("b", 1_000)
          return yield* Effect.flip(stale.finishRun(RunId.make("not-a-run"), "completed", zero))
        })
      )
      rmSync(dir, { recursive: true })
      expect(fenced).toMatchObject({ _tag: "StoreFenced", holder: "b" })
      expect(fenced.message).toBe(
        "another tongbu runner (holder b) took this pair's lease; this runner's writes are refused (it could not finish run not-a-run)"
      )
    })
  )

  it.effect("migrates a store written before it remembered untold runs: its runs count as told", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const filename = join(dir, "state.db")
      // The migrations as they were: the first two.
      const old = join(dir, "drizzle")
      cpSync(fileURLToPath(new URL("../drizzle", import.meta.url)), old, { recursive: true })
      const journal = JSON.parse(readFileSync(join(old, "meta/_journal.json"), "utf8"))
      writeFileSync(
        join(old, "meta/_journal.json"),
        JSON.stringify({ ...journal, entries: journal.entries.slice(0, 2) })
      )
      const raw = new Database(filename)
      migrate(drizzle(raw), { migrationsFolder: old })
      raw
        .prepare(
          "insert into runs (kind, status, direction, dry_run, full, started_at, counts) values ('sync', 'interrupted', 'both', 0, 0, 0, '{}')"
        )
        .run()
      raw.close()
      const file = SqliteStore.layer({ filename })
      const [untold, next] = yield* Effect.flatMap(SyncStore, (store) =>
        Effect.zip(store.untold, store.startRun({ ...sync, untold: ["right"] }, []))
      ).pipe(Effect.provide(file))
      const after = yield* Effect.flatMap(SyncStore, (store) => store.untold).pipe(Effect.provide(file))
      rmSync(dir, { recursive: true })
      expect(untold).toEqual([])
      expect(after).toEqual([{ runId: next.runId, side: "right" }])
    })
  )

  it.effect("inspect: a missing file, pending migrations, current, newer than this version, not a store", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const filename = join(dir, "state.db")
      const missing = yield* SqliteStore.inspect(filename)
      const old = join(dir, "drizzle")
      cpSync(fileURLToPath(new URL("../drizzle", import.meta.url)), old, { recursive: true })
      const journal = JSON.parse(readFileSync(join(old, "meta/_journal.json"), "utf8"))
      writeFileSync(
        join(old, "meta/_journal.json"),
        JSON.stringify({ ...journal, entries: journal.entries.slice(0, 2) })
      )
      const raw = new Database(filename)
      migrate(drizzle(raw), { migrationsFolder: old })
      raw.close()
      const pending = yield* SqliteStore.inspect(filename)
      yield* Effect.scoped(SqliteStore.make({ filename }))
      const current = yield* SqliteStore.inspect(filename)
      const later = new Database(filename)
      later
        .prepare("insert into __drizzle_migrations (hash, created_at) values ('from a newer tongbu', ?)")
        .run(journal.entries.at(-1).when + 1)
      later.close()
      const newer = yield* SqliteStore.inspect(filename)
      const garbage = join(dir, "garbage.db")
      writeFileSync(garbage, "this is not a SQLite file, but long enough to look like one to a careless reader")
      const unreadable = yield* Effect.flip(SqliteStore.inspect(garbage))
      rmSync(dir, { recursive: true })
      const known = journal.entries.length
      expect([missing, pending, current, newer]).toEqual([
        { _tag: "Missing" },
        { _tag: "Pending", applied: 2, pending: known - 2 },
        { _tag: "Current", applied: known },
        { _tag: "Newer", known }
      ])
      expect(unreadable.message).toBe(`cannot read the state store at ${garbage}: file is not a database`)
    })
  )

  it.effect("keeps a run's warnings; a run recorded before warnings were kept reads back with none", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const filename = join(dir, "state.db")
      // The migrations before the runs' warnings column: the first four.
      const old = join(dir, "drizzle")
      cpSync(fileURLToPath(new URL("../drizzle", import.meta.url)), old, { recursive: true })
      const journal = JSON.parse(readFileSync(join(old, "meta/_journal.json"), "utf8"))
      writeFileSync(
        join(old, "meta/_journal.json"),
        JSON.stringify({ ...journal, entries: journal.entries.slice(0, 4) })
      )
      const raw = new Database(filename)
      migrate(drizzle(raw), { migrationsFolder: old })
      raw
        .prepare(
          'insert into runs (kind, status, direction, dry_run, full, started_at, counts) values (\'sync\', \'completed\', \'both\', 0, 0, 0, \'{"created":0,"updated":0,"linked":0,"unchanged":0,"skipped":0,"conflicts":0,"actions":0,"failed":0}\')'
        )
        .run()
      raw.close()
      const warning = { code: "contacts-unavailable", side: "right", message: "未知页面" } as const
      const runs = yield* Effect.flatMap(SyncStore, (store) =>
        Effect.zipRight(store.startRun({ ...sync, warnings: [warning] }, []), store.runs(10))
      ).pipe(Effect.provide(SqliteStore.layer({ filename })))
      rmSync(dir, { recursive: true })
      expect(runs.map((run) => run.warnings)).toEqual([[warning], []])
    })
  )

  it.effect("keeps its state in a file across reopening", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const file = SqliteStore.layer({ filename: join(dir, "state.db") })
      yield* Effect.flatMap(SyncStore, (store) => store.saveLinks([link("l1", "r1")])).pipe(Effect.provide(file))
      const links = yield* Effect.flatMap(SyncStore, (store) => store.links).pipe(Effect.provide(file))
      rmSync(dir, { recursive: true })
      expect(links).toEqual([link("l1", "r1")])
    })
  )

  it.effect("names the file it cannot open", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Layer.build(SqliteStore.layer({ filename: "/nonexistent/dir/state.db" })).pipe(Effect.scoped)
      )
      expect(error.message).toMatch(/^cannot open the state store at \/nonexistent\/dir\/state\.db: /)
    })
  )

  it.effect("names a row that does not decode", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const filename = join(dir, "state.db")
      const file = SqliteStore.layer({ filename })
      yield* Effect.flatMap(SyncStore, (store) => store.startRun(sync, [update("u1")])).pipe(Effect.provide(file))
      const raw = new Database(filename)
      raw.prepare("update operations set operation = ? where key = 'u1'").run(JSON.stringify({ _tag: "Teleport" }))
      raw.close()
      const error = yield* Effect.flip(
        Effect.flatMap(SyncStore, (store) => store.unfinished).pipe(Effect.provide(file))
      )
      rmSync(dir, { recursive: true })
      expect(error.message).toContain(
        `state store ${filename}: cannot read unfinished operations: operation u1 (run 1) cannot be read`
      )
    })
  )
})
