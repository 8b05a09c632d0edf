import { Worker } from "node:worker_threads"
import { describe, expect, it } from "@effect/vitest"
import type { RecordOutcome } from "@tongbu/core"
import { Effect, Fiber, Option, TestClock } from "effect"
import { HubAdapter } from "../src/index.js"
import { hubFixture, hubProcess, hubWith, listAll, readOrDie, rid, row } from "./helpers.js"

const synced = (id: string): RecordOutcome => ({
  id: rid(id),
  status: "synced",
  action: "update",
  reason: Option.none(),
  linkedId: Option.none()
})

describe("the hub writes while the sync runs", () => {
  it.scoped("a write waits for the hub's transaction, retrying with backoff, and loses neither side's edit", () =>
    Effect.gen(function* () {
      const { summary, adapter } = yield* hubWith({ customers: 5, seed: 41 })
      const hub = yield* hubProcess(summary.path)
      const read = yield* readOrDie(adapter, 1)
      hub.exec("BEGIN IMMEDIATE")
      hub.prepare("UPDATE customers_unified SET wechat_nickname = 'hub edit' WHERE id = 1").run()
      const sync = yield* Effect.fork(
        Effect.zipRight(
          adapter.update({
            key: "k" as never,
            id: rid(1),
            changes: { erp_region: "重庆" },
            expected: { erp_region: read.fields.erp_region ?? null }
          }),
          adapter.acknowledge([synced("1")])
        )
      )
      yield* TestClock.adjust("200 millis")
      expect(Option.isNone(yield* Fiber.poll(sync)), "still waiting for the hub's lock").toBe(true)
      hub.exec("COMMIT")
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(sync)
      expect(row(hub, 1)).toMatchObject({ wechat_nickname: "hub edit", erp_region: "重庆", erp_sync_status: "synced" })
    })
  )

  it.scoped("gives up with a TransientError, saying why, when the hub never lets go", () =>
    Effect.gen(function* () {
      const { summary, adapter } = yield* hubWith({ customers: 5, seed: 41 }, { busyRetries: 3 })
      const hub = yield* hubProcess(summary.path)
      hub.exec("BEGIN IMMEDIATE")
      const sync = yield* Effect.fork(
        Effect.flip(adapter.update({ key: "k" as never, id: rid(1), changes: { erp_region: "重庆" }, expected: {} }))
      )
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(sync)
      hub.exec("ROLLBACK")
      expect(error._tag).toBe("TransientError")
      expect(error.message).toBe(
        "update of hub customer 1: the hub database stayed locked by another writer after 3 retries (SQLITE_BUSY)"
      )
    })
  )

  it.scopedLive("a whole sync pass against a hub writing all the time: no lost hub edit, no SQLITE_BUSY failure", () =>
    Effect.gen(function* () {
      const summary = yield* hubFixture({ customers: 60, seed: 43 })
      const adapter = yield* HubAdapter.make({ path: summary.path, intake: false, pageSize: 16 })
      const ids = summary.customers.map((c) => c.id)
      const stop = new SharedArrayBuffer(4)
      const worker = new Worker(new URL("./hubWriter.worker.mjs", import.meta.url), {
        workerData: { path: summary.path, ids, holdMs: 2, gapMs: 1, stop }
      })
      // Listening from the start: the worker's first message may come before the sync begins.
      const message = (type: string) =>
        new Promise<{ last: Record<string, string>; rounds: number }>((resolve, reject) => {
          worker.on("message", (data) => data.type === type && resolve(data))
          worker.once("error", reject)
        })
      const writing = message("writing")
      const stopped = message("stopped")
      yield* Effect.addFinalizer(() => Effect.promise(() => worker.terminate()))

      yield* Effect.tryPromise(() => writing)
      const entries = yield* listAll(adapter)
      for (const entry of entries) {
        yield* adapter.update({
          key: `u:${entry.id}` as never,
          id: entry.id,
          changes: { erp_region: "重庆", erp_follow_level: "跟进中" },
          expected: { erp_region: entry.record?.fields.erp_region ?? null, erp_follow_level: null }
        })
      }
      yield* adapter.acknowledge(entries.map((entry) => synced(entry.id)))
      Atomics.store(new Int32Array(stop), 0, 1)
      const { last, rounds } = yield* Effect.tryPromise(() => stopped)

      expect(rounds).toBeGreaterThan(0)
      const hub = yield* hubProcess(summary.path)
      for (const id of ids) {
        expect(row(hub, id), `customer ${id}`).toMatchObject({
          erp_region: "重庆",
          erp_follow_level: "跟进中",
          erp_sync_status: "synced",
          ...(last[id] === undefined ? {} : { wechat_nickname: last[id] })
        })
      }
    })
  )
})
