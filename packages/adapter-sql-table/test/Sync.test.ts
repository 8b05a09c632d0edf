import { describe, expect, it } from "@effect/vitest"
import type { Fields, SyncPolicy } from "@tongbu/core"
import { LeftAdapter, makeInMemoryAdapter, RightAdapter, Rollback, SideRecord, Sync, SyncStore } from "@tongbu/core"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect, Layer, Option } from "effect"
import { SqlTableAdapter } from "../src/index.js"
import { baseOptions, customerTable, personEdits, tempDatabase } from "./helpers.js"

/** The in-memory side's customers go to the table: name and mobile, the table wins a conflict; keyed by mobile. */
const policy: SyncPolicy = {
  mappings: [
    { name: "name", left: "name", right: "name", conflict: "right" },
    { name: "mobile", left: "mobile", right: "mobile", conflict: "right" }
  ],
  naturalKey: {
    left: (record) => (typeof record.fields.mobile === "string" ? record.fields.mobile : null),
    right: (record) => (typeof record.fields.mobile === "string" ? record.fields.mobile : null)
  },
  uniqueKeys: { left: [], right: ["mobile"] },
  admission: { toRight: [], toLeft: [] }
}

const rows = (db: import("better-sqlite3").Database) =>
  db.prepare("SELECT id, full_name AS name, mobile FROM customers ORDER BY id").all() as Array<Fields>

/** Run 1 creates table rows from the in-memory side; a person renames one there; run 2 carries it to the table. */
const twoRuns = Effect.gen(function* () {
  const { path, db } = yield* tempDatabase(customerTable())
  const left = yield* makeInMemoryAdapter({
    name: "memory",
    records: [
      new SideRecord({ id: "1" as never, fields: { name: "张三", mobile: "13800000001" } }),
      new SideRecord({ id: "2" as never, fields: { name: "李四", mobile: "13800000002" } })
    ]
  })
  const right = yield* SqlTableAdapter.make(baseOptions(path, { columns: { name: "full_name", mobile: "mobile" } }))
  const store = yield* SqliteStore.make({ filename: ":memory:" })
  const layer = Layer.mergeAll(
    Layer.succeed(LeftAdapter, left),
    Layer.succeed(RightAdapter, right),
    Layer.succeed(SyncStore, store)
  )
  const sync = Effect.provide(Sync.run(policy, { direction: "both", dryRun: false, full: false }), layer)
  const rollback = (runId: Option.Option<import("@tongbu/core").RunId>) =>
    Effect.provide(Rollback.run(Option.getOrThrow(runId), { dryRun: false }), layer)
  const first = yield* sync
  expect(rows(db)).toEqual([
    { id: 1, name: "张三", mobile: "13800000001" },
    { id: 2, name: "李四", mobile: "13800000002" }
  ])
  yield* left.edit("1" as never, { name: "张三丰" })
  const second = yield* sync
  expect(rows(db)[0]).toEqual({ id: 1, name: "张三丰", mobile: "13800000001" })
  return { db, rollback, first: first.runId, second: second.runId }
})

describe("Sync.run and Rollback.run with the SQL table as the right side", () => {
  it.scoped("rolling back run 2 then run 1 deletes the rows only the sync wrote", () =>
    Effect.gen(function* () {
      const { db, rollback, first, second } = yield* twoRuns
      yield* rollback(second)
      expect(rows(db)[0]).toEqual({ id: 1, name: "张三", mobile: "13800000001" })
      const report = yield* rollback(first)
      expect(report.items.map((item) => [item.operation, item.outcome])).toEqual([
        ["rollback:create", "rolledBack"],
        ["rollback:create", "rolledBack"]
      ])
      expect(rows(db)).toEqual([])
    })
  )

  it.scoped("rolling back run 1 alone also deletes a row the sync updated since, and keeps one a person changed", () =>
    Effect.gen(function* () {
      const { db, rollback, first } = yield* twoRuns
      yield* personEdits(db, "id")("2" as never, { name: "李四（销售改）" })
      const report = yield* rollback(first)
      const outcomes = report.items.map((item) => [item.id, item.outcome, item.reasons.map((r) => r.message)])
      expect(outcomes).toContainEqual([
        "1",
        "rolledBack",
        [
          "memory record 1 shown as no longer linked to sql-table record 1: run 1 was rolled back; sql-table record 1, created from it, was deleted"
        ]
      ])
      expect(outcomes).toContainEqual([
        "2",
        "kept",
        ["record 2 of customers was changed since the sync wrote it (name); kept"]
      ])
      expect(rows(db)).toEqual([{ id: 2, name: "李四（销售改）", mobile: "13800000002" }])
    })
  )
})
