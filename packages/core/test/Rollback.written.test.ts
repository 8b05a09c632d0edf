import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import type { CompensateRequest, SyncAdapter } from "../src/Adapter.js"
import type { RunId } from "../src/Domain.js"
import * as Rollback from "../src/Rollback.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { id, policy, record, withTime, world } from "./harness.js"

/** The right side as it was, but every compensation it is asked for is kept to look at. */
const watched = (w: World, asked: Array<CompensateRequest>): SyncAdapter => ({
  ...w.right,
  compensateCreate: (request) =>
    Effect.zipRight(
      Effect.sync(() => asked.push(request)),
      w.right.compensateCreate(request)
    )
})

const sync = (w: World, right: SyncAdapter) =>
  withTime(w.provide(Sync.run(policy, { direction: "both", dryRun: false, full: false }), { right }))
const rollback = (w: World, right: SyncAdapter, target: RunId) =>
  withTime(w.provide(Rollback.run(target, { dryRun: false }), { right }))

/** Run 1 creates right record from left 1; a person renames left 1; run 2 carries the name to the right record. */
const createdThenUpdated = Effect.gen(function* () {
  const w = yield* world({
    left: { records: [record("1", { name: "张三", mobile: "13800000001", wechat: null, note: null })] },
    right: { unique: ["mobile"] }
  })
  const asked: Array<CompensateRequest> = []
  const right = watched(w, asked)
  const first = yield* sync(w, right)
  const created = (yield* w.right.records)[0]
  yield* w.left.edit(id("1"), { name: "张三丰" })
  const second = yield* sync(w, right)
  const updated = (yield* w.right.records)[0]
  expect(updated?.fields.name).toBe("张三丰")
  expect(updated?.version).not.toBe(created?.version)
  return {
    createdVersion: created?.version,
    updatedVersion: updated?.version,
    w,
    right,
    asked,
    first: Option.getOrThrow(first.runId),
    second: Option.getOrThrow(second.runId),
    createdId: created?.id
  }
})

describe("Rollback.run tells compensateCreate what the sync last wrote to the record", () => {
  it.scoped("a later run's update still standing: the create's fields with that update over them", () =>
    Effect.gen(function* () {
      const { w, right, asked, first, createdId, updatedVersion } = yield* createdThenUpdated
      const report = yield* rollback(w, right, first)
      expect(asked).toHaveLength(1)
      expect(asked[0]).toMatchObject({ id: createdId, key: expect.stringContaining("create:right:") })
      expect(asked[0]?.written).toMatchObject({ code: "WX1", name: "张三丰", mobile: "13800000001" })
      // the version that update answered, which the record still has; the outbox's carrier of it is not a field
      expect(asked[0]?.version).toEqual(Option.some(updatedVersion))
      expect(Object.keys(asked[0]?.written ?? {}).sort()).toEqual(["code", "mobile", "name"])
      expect(report.items.map((item) => item.outcome)).toEqual(["rolledBack"])
    })
  )

  it.scoped("that update rolled back first: the create's own fields, as its rollback put them back", () =>
    Effect.gen(function* () {
      const { w, right, asked, first, second, createdVersion } = yield* createdThenUpdated
      yield* rollback(w, right, second)
      const restored = (yield* w.right.records)[0]
      expect(restored?.fields.name).toBe("张三")
      yield* rollback(w, right, first)
      expect(asked[0]?.written).toMatchObject({ code: "WX1", name: "张三", mobile: "13800000001" })
      // the create's version: the restore changed the record's version without a person, so the fields decide
      expect(asked[0]?.version).toEqual(Option.some(createdVersion))
      expect(restored?.version).not.toBe(createdVersion)
      expect(yield* w.right.records).toEqual([])
    })
  )

  it.scoped("a side that gives no versions: none, and the fields still decide", () =>
    Effect.gen(function* () {
      const w = yield* world({
        left: { records: [record("1", { name: "李四", mobile: "13800000002", wechat: null, note: null })] },
        right: { unique: ["mobile"] }
      })
      const asked: Array<CompensateRequest> = []
      const right: SyncAdapter = {
        ...watched(w, asked),
        create: (request) => Effect.map(w.right.create(request), ({ id }) => ({ id }))
      }
      const run = yield* sync(w, right)
      yield* rollback(w, right, Option.getOrThrow(run.runId))
      expect(asked).toHaveLength(1)
      expect(asked[0]?.version).toEqual(Option.none())
      expect(asked[0]?.written).toMatchObject({ name: "李四", mobile: "13800000002" })
      expect(yield* w.right.records).toEqual([])
    })
  )
})
