import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Operation, SyncAdapter } from "@tongbu/core"
import {
  Create,
  Dispatcher,
  IdempotencyKey,
  LeftAdapter,
  RecordId,
  RightAdapter,
  SyncStore,
  Update
} from "@tongbu/core"
import Database from "better-sqlite3"
import { Effect, Layer, Option, Stream } from "effect"
import * as SqliteStore from "../src/SqliteStore.js"

const operationCount = Number(process.env.TONGBU_BENCH_OPS ?? 20_000)

/** A side that accepts every write at once: what remains is the outbox's own cost. */
const noop = (name: string): SyncAdapter => {
  let next = 0
  return {
    name,
    capabilities: { serializeCreates: false, concurrency: 64, canDelete: true, idempotentActions: true },
    list: () => Stream.empty,
    read: () => Effect.succeed(Option.none()),
    create: () => Effect.sync(() => RecordId.make(`n${++next}`)),
    findCreated: () => Effect.succeed(Option.none()),
    update: () => Effect.succeed({ overwritten: {} }),
    compensateCreate: () => Effect.succeed({ _tag: "Deleted" }),
    perform: () => Effect.void,
    events: () => Stream.empty,
    acknowledge: () => Effect.succeed([])
  }
}

/** Three updates for each create, as a run carrying edits to mostly existing customers might. */
const operations = (count: number): Array<Operation> =>
  Array.from({ length: count }, (_, i) => {
    const fields = {
      name: `客户 ${i}`,
      mobile: `138${String(i).padStart(8, "0")}`,
      address: "重庆市渝中区解放碑步行街 88 号"
    }
    return i % 4 === 0
      ? new Create({
          key: IdempotencyKey.make(`create:right:${i}`),
          side: "right",
          sourceId: RecordId.make(`${i}`),
          fields,
          canonical: fields
        })
      : new Update({
          key: IdempotencyKey.make(`update:right:${i}`),
          side: "right",
          id: RecordId.make(`${i}`),
          otherId: RecordId.make(`${i}`),
          changes: fields,
          before: { name: null, mobile: null, address: null },
          canonicalFields: Object.keys(fields)
        })
  })

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9

/** The physical limit: rows like an outbox row, inserted by better-sqlite3 in one transaction. */
const rawInsertRate = (dir: string, ops: ReadonlyArray<Operation>): number => {
  const db = new Database(join(dir, "raw.db"))
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  db.exec(
    "create table outbox (id integer primary key, key text not null unique, run_id integer, seq integer, operation text, state text, attempts integer, updated_at integer)"
  )
  const insert = db.prepare(
    "insert into outbox (key, run_id, seq, operation, state, attempts, updated_at) values (?, 1, ?, ?, 'pending', 0, 0)"
  )
  const start = process.hrtime.bigint()
  db.transaction(() => {
    for (const [seq, op] of ops.entries()) insert.run(op.key, seq, JSON.stringify(op))
  })()
  const rate = ops.length / seconds(start)
  db.close()
  return rate
}

interface OutboxTimes {
  /** Recording the run with its operations (one transaction), returned as the dispatcher gets them. */
  readonly enqueue: number
  /** Marking, calling and completing every operation, each step journaled. */
  readonly dispatch: number
}

/**
 * Enqueue and dispatch every operation against no-op sides; `leased`: holding the lease, as the runner does, so that
 * every write also checks the lease's holder and epoch (fencing).
 */
const outboxTimes = (dir: string, ops: ReadonlyArray<Operation>, leased: boolean): Promise<OutboxTimes> =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    if (leased && !(yield* store.acquireLease("bench", 3_600_000))) return yield* Effect.dieMessage("lease refused")
    const start = process.hrtime.bigint()
    const { runId, operations: stored } = yield* store.startRun(
      { kind: "sync", direction: "push", dryRun: false, full: false },
      ops
    )
    const enqueue = seconds(start)
    // As `Sync.run` dispatches the operations it just enqueued.
    const summary = yield* Dispatcher.dispatch(runId, stored, { fresh: true })
    if (summary.outcomes.length !== ops.length) return yield* Effect.dieMessage("not every operation was dispatched")
    return { enqueue, dispatch: seconds(start) - enqueue }
  }).pipe(
    Effect.provide(
      Layer.mergeAll(
        SqliteStore.layer({ filename: join(dir, leased ? "leased.db" : "outbox.db") }),
        Layer.succeed(LeftAdapter, noop("left")),
        Layer.succeed(RightAdapter, noop("right"))
      )
    ),
    Effect.runPromise
  )

export async function benchOutbox(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tongbu-bench-"))
  try {
    const ops = operations(operationCount)
    const raw = rawInsertRate(dir, ops)
    const times = await outboxTimes(dir, ops, false)
    const leased = await outboxTimes(dir, ops, true)
    const outbox = ops.length / (times.enqueue + times.dispatch)
    const ratio = outbox / raw
    console.log(`\noutbox: ${operationCount} operations (1 create : 3 updates), no-op sides, file store in ${tmpdir()}`)
    console.table([
      { measure: "raw better-sqlite3 insert, one transaction", "ops/s": Math.round(raw) },
      { measure: "outbox enqueue + dispatch (journaled)", "ops/s": Math.round(outbox) },
      { measure: "  of which enqueue (record the run)", "ops/s": Math.round(ops.length / times.enqueue) },
      { measure: "  of which dispatch (mark, call, complete)", "ops/s": Math.round(ops.length / times.dispatch) },
      {
        measure: "outbox enqueue + dispatch, lease held (fenced)",
        "ops/s": Math.round(ops.length / (leased.enqueue + leased.dispatch))
      }
    ])
    console.log(
      `ratio outbox / raw = ${(ratio * 100).toFixed(1)}% (target ≥ 30%) ${ratio >= 0.3 ? "OK" : "BELOW TARGET"}`
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
