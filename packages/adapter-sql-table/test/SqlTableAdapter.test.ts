import { describe, expect, it } from "@effect/vitest"
import type { IdempotencyKey, RecordId, SyncAdapter } from "@tongbu/core"
import { Effect, Exit, Option, Stream } from "effect"
import { SqlTableAdapter } from "../src/index.js"
import { baseOptions, customerTable, personEdits, tempDatabase } from "./helpers.js"

const key = (value: string) => value as IdempotencyKey
const rid = (value: string) => value as RecordId

const listAll = (adapter: SyncAdapter, since?: string) =>
  Effect.map(Stream.runCollect(adapter.list({ since: Option.fromNullable(since) })), (chunk) => Array.from(chunk))

const setup = (extra: Record<string, unknown> = {}, ddl = customerTable()) =>
  Effect.gen(function* () {
    const { path, db } = yield* tempDatabase(ddl)
    const adapter = yield* SqlTableAdapter.make(baseOptions(path, extra))
    return { adapter, db, path }
  })

const insertRows = (db: import("better-sqlite3").Database, rows: ReadonlyArray<readonly [number, string, number]>) => {
  const insert = db.prepare("INSERT INTO customers (id, full_name, mobile, level, row_version) VALUES (?, ?, ?, 1, ?)")
  for (const [id, name, version] of rows) insert.run(id, name, `1390000${String(id).padStart(4, "0")}`, version)
}

describe("listing paged by id", () => {
  it.scoped("gives the highest version seen as each checkpoint, so the last one is the maximum", () =>
    Effect.gen(function* () {
      const { adapter, db } = yield* setup({ pageSize: 2 })
      // In id order the versions go up and down: the last row listed is not the newest.
      insertRows(db, [
        [1, "A", 5],
        [2, "B", 9],
        [3, "C", 2],
        [4, "D", 7],
        [5, "E", 3]
      ])
      const listed = yield* listAll(adapter)
      expect(listed.map((entry) => entry.id)).toEqual(["1", "2", "3", "4", "5"])
      expect(listed.map((entry) => entry.version)).toEqual(["5", "9", "2", "7", "3"])
      expect(listed.map((entry) => entry.checkpoint)).toEqual(["5", "9", "9", "9", "9"])
      // Resuming after the last checkpoint lists nothing again, and then exactly what changed after it.
      expect(yield* listAll(adapter, "9")).toEqual([])
      yield* personEdits(db, "id")(rid("3"), { name: "C2" })
      const since = yield* listAll(adapter, "9")
      expect(since.map((entry) => [entry.id, entry.version, entry.checkpoint])).toEqual([["3", "10", "10"]])
    })
  )

  it.scoped("resuming from the last row's own version instead would list again what did not change", () =>
    Effect.gen(function* () {
      const { adapter, db } = yield* setup({ pageSize: 2 })
      insertRows(db, [
        [1, "A", 5],
        [2, "B", 9],
        [3, "C", 2]
      ])
      const checkpoint = (yield* listAll(adapter)).at(-1)?.checkpoint
      expect(checkpoint).toBe("9")
      // The last row's own version is 2: rows 1 and 2, unchanged, would be listed again from it.
      expect((yield* listAll(adapter, "2")).map((entry) => entry.id)).toEqual(["1", "2"])
      expect(yield* listAll(adapter, checkpoint)).toEqual([])
    })
  )

  it.scoped("lists a row without a version again at every incremental listing, never loses it", () =>
    Effect.gen(function* () {
      const { adapter, db } = yield* setup()
      insertRows(db, [[1, "A", 4]])
      db.prepare(
        "INSERT INTO customers (id, full_name, mobile, level, row_version) VALUES (2, 'B', NULL, 1, NULL)"
      ).run()
      const listed = yield* listAll(adapter, "4")
      expect(listed.map((entry) => [entry.id, entry.version, entry.checkpoint])).toEqual([["2", undefined, "4"]])
    })
  )

  it.scoped("refuses a checkpoint it did not issue", () =>
    Effect.gen(function* () {
      const { adapter } = yield* setup()
      const error = yield* Effect.flip(listAll(adapter, "yesterday"))
      expect(error).toMatchObject({ _tag: "FatalError" })
      expect(error.message).toContain('checkpoint "yesterday" was not issued by this adapter')
    })
  )

  it.scoped("with updatedAt, resumes lookbackMs before the checkpoint and writes max(now, newest + 1)", () =>
    Effect.gen(function* () {
      const { adapter, db } = yield* setup({ versionKind: "updatedAt", lookbackMs: 1000 })
      insertRows(db, [
        [1, "A", 1_000_000],
        [2, "B", 1_000_500],
        [3, "C", 2_000_000]
      ])
      expect((yield* listAll(adapter, "2000000")).map((entry) => entry.id)).toEqual(["3"])
      expect((yield* listAll(adapter, "1001000")).map((entry) => entry.id)).toEqual(["1", "2", "3"])
      expect((yield* listAll(adapter, "1001001")).map((entry) => entry.id)).toEqual(["2", "3"])
      const read = yield* adapter.read(rid("1"))
      expect(Option.map(read, (record) => record.updatedAt)).toEqual(Option.some(1_000_000))
      yield* adapter.update({ key: key("u"), id: rid("1"), changes: { name: "A2" }, expected: { name: "A" } })
      const version = db.prepare("SELECT row_version FROM customers WHERE id = 1").pluck().get() as number
      expect(version).toBeGreaterThan(2_000_000)
    })
  )
})

describe("creates", () => {
  it.scoped("with a key column, a create repeated after a lost answer finds its row instead of inserting twice", () =>
    Effect.gen(function* () {
      const { adapter, db } = yield* setup({ keyColumn: "sync_key" }, customerTable({ keyColumn: true }))
      const request = {
        key: key("create:right:7"),
        sourceId: rid("7"),
        fields: { name: "Zhang", mobile: "13800138000", level: 2 },
        reserve: () => Effect.void
      }
      const first = yield* adapter.create(request)
      const again = yield* adapter.create(request)
      expect(again.id).toBe(first.id)
      expect(first.version).toBe(Option.getOrThrow(yield* adapter.read(first.id)).version)
      // the row an earlier attempt made may have changed since: its version is not the create's to give
      expect(again.version).toBeUndefined()
      expect(db.prepare("SELECT count(*) FROM customers").pluck().get()).toBe(1)
      expect(db.prepare("SELECT sync_key FROM customers").pluck().get()).toBe("create:right:7")
      const found = yield* adapter.findCreated({ ...request, provisionalId: Option.none() })
      expect(found).toEqual(Option.some(first.id))
    })
  )

  it.scoped("without one, reserves the next id before the insert, and a stopped create leaves nothing", () =>
    Effect.gen(function* () {
      const { adapter, db } = yield* setup()
      insertRows(db, [[41, "A", 1]])
      const reserved: Array<string> = []
      const request = {
        key: key("create:right:8"),
        sourceId: rid("8"),
        fields: { name: "Li", mobile: "13800138001", level: 1 },
        reserve: (id: string) => Effect.sync(() => reserved.push(id))
      }
      const created = yield* adapter.create(request)
      expect(created.id).toBe("42")
      expect(created.version).toBe(Option.getOrThrow(yield* adapter.read(rid("42"))).version)
      expect(reserved).toEqual(["42"])
      const found = yield* adapter.findCreated({ ...request, provisionalId: Option.some("42") })
      expect(found).toEqual(Option.some(rid("42")))
      const stopped = yield* Effect.exit(
        adapter.create({ ...request, key: key("create:right:9"), reserve: () => Effect.interrupt })
      )
      expect(Exit.isInterrupted(stopped)).toBe(true)
      expect(db.prepare("SELECT count(*) FROM customers").pluck().get()).toBe(2)
      // The lock the stopped create held is released: a person's application can write again.
      db.prepare("UPDATE customers SET level = 3 WHERE id = 41").run()
    })
  )

  it.scoped("refuses a field that is not configured, naming it, and writes nothing", () =>
    Effect.gen(function* () {
      const { adapter, db } = yield* setup()
      const error = yield* Effect.flip(
        adapter.create({
          key: key("c"),
          sourceId: rid("1"),
          fields: { name: "Wang", "mobile; DROP TABLE customers": "x" },
          reserve: () => Effect.void
        })
      )
      expect(error).toMatchObject({ _tag: "RejectedError", field: "mobile; DROP TABLE customers" })
      expect(error.message).toContain("is not a field of customers (fields: name, mobile, level)")
      expect(db.prepare("SELECT count(*) FROM customers").pluck().get()).toBe(0)
    })
  )
})

describe("errors at the boundary", () => {
  it.scoped("a NOT NULL the table enforces is a RejectedError with SQLite's words", () =>
    Effect.gen(function* () {
      const { adapter } = yield* setup()
      const error = yield* Effect.flip(
        adapter.create({ key: key("c"), sourceId: rid("1"), fields: { name: null }, reserve: () => Effect.void })
      )
      expect(error).toMatchObject({ _tag: "RejectedError" })
      expect(error.message).toContain("NOT NULL constraint failed: customers.full_name")
    })
  )

  it.scoped("a row another connection holds locked is a TransientError after the busy timeout", () =>
    Effect.gen(function* () {
      const { adapter, db } = yield* setup({ busyTimeoutMs: 0 })
      insertRows(db, [[1, "A", 1]])
      db.exec("BEGIN IMMEDIATE")
      const error = yield* Effect.flip(
        adapter.update({ key: key("u"), id: rid("1"), changes: { name: "B" }, expected: { name: "A" } })
      )
      db.exec("ROLLBACK")
      expect(error).toMatchObject({ _tag: "TransientError" })
      expect(error.message).toContain("stayed locked by another writer")
    })
  )

  it.scoped("a blob in a mapped column is a FatalError naming the column and row", () =>
    Effect.gen(function* () {
      const { adapter, db } = yield* setup()
      db.prepare("INSERT INTO customers (id, full_name, level, row_version) VALUES (1, ?, 1, 1)").run(Buffer.from("x"))
      const error = yield* Effect.flip(adapter.read(rid("1")))
      expect(error.message).toContain("column customers.full_name of row 1 holds binary data")
    })
  )
})
