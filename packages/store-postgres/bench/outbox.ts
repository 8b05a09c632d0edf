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
import { Effect, Layer, Option, Redacted, Stream } from "effect"
import pg from "pg"
import * as PostgresStore from "../src/PostgresStore.js"
import * as TestServer from "../src/testing.js"

// The outbox on PostgreSQL against the rate at which the same server takes the same number of plain rows, both
// measured in this run on one server of our own (fsync on, as a deployed server runs).

const operationCount = Number(process.env.TONGBU_BENCH_OPS ?? 20_000)

/** A side that accepts every write at once: what remains is the outbox's own cost. */
const noop = (name: string): SyncAdapter => {
  let next = 0
  return {
    name,
    capabilities: { serializeCreates: false, concurrency: 64, canDelete: true, idempotentActions: true },
    list: () => Stream.empty,
    read: () => Effect.succeed(Option.none()),
    create: () => Effect.sync(() => ({ id: RecordId.make(`n${++next}`) })),
    findCreated: () => Effect.succeed(Option.none()),
    update: () => Effect.succeed({ overwritten: {} }),
    compensateCreate: () => Effect.succeed({ _tag: "Deleted" }),
    perform: () => Effect.void,
    events: () => Stream.empty,
    acknowledge: () => Effect.succeed([])
  }
}

/** Three updates for each create, as in the SQLite store's bench. */
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

interface RawRates {
  /** One insert statement per row, in one transaction: a round trip each. */
  readonly rowByRow: number
  /** All rows in one statement (`unnest` of arrays), in one transaction: the server's own limit. */
  readonly bulk: number
}

/** Rows like an outbox row, into a plain table, both ways. */
const rawInsertRates = async (url: string, password: string, ops: ReadonlyArray<Operation>): Promise<RawRates> => {
  const where = new URL(url)
  const client = new pg.Client({
    host: where.hostname,
    port: Number(where.port),
    user: where.username,
    database: where.pathname.slice(1),
    password
  })
  await client.connect()
  try {
    const table = async (name: string) =>
      client.query(
        `create table ${name} (id bigserial primary key, key text not null unique, run_id bigint, seq int, operation text, state text, attempts int, updated_at bigint)`
      )
    await table("raw_rows")
    let start = process.hrtime.bigint()
    await client.query("begin")
    for (const [seq, op] of ops.entries())
      await client.query(
        "insert into raw_rows (key, run_id, seq, operation, state, attempts, updated_at) values ($1, 1, $2, $3, 'pending', 0, 0)",
        [op.key, seq, JSON.stringify(op)]
      )
    await client.query("commit")
    const rowByRow = ops.length / seconds(start)
    await table("raw_bulk")
    start = process.hrtime.bigint()
    await client.query(
      `insert into raw_bulk (key, run_id, seq, operation, state, attempts, updated_at)
       select k, 1, s, o, 'pending', 0, 0 from unnest($1::text[], $2::int[], $3::text[]) as t(k, s, o)`,
      [ops.map((op) => op.key), ops.map((_, seq) => seq), ops.map((op) => JSON.stringify(op))]
    )
    return { rowByRow, bulk: ops.length / seconds(start) }
  } finally {
    await client.end()
  }
}

/** Enqueue and dispatch every operation against no-op sides, through the store's journal. */
const outboxTimes = (
  url: string,
  password: Redacted.Redacted<string>,
  ops: ReadonlyArray<Operation>,
  synchronousCommit: boolean
) =>
  Effect.gen(function* () {
    const store = yield* SyncStore
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
        PostgresStore.layer({ url, password, pair: "bench", synchronousCommit }),
        Layer.succeed(LeftAdapter, noop("left")),
        Layer.succeed(RightAdapter, noop("right"))
      )
    ),
    Effect.runPromise
  )

export async function benchOutbox(): Promise<void> {
  const server = await TestServer.start({ durable: true })
  try {
    const ops = operations(operationCount)
    const raw = await rawInsertRates(server.database, Redacted.value(server.password), ops)
    const times = await outboxTimes(await server.freshDatabase(), server.password, ops, true)
    const outbox = ops.length / (times.enqueue + times.dispatch)
    const relaxed = await outboxTimes(await server.freshDatabase(), server.password, ops, false)
    const outboxRelaxed = ops.length / (relaxed.enqueue + relaxed.dispatch)
    console.log(
      `\noutbox on PostgreSQL: ${operationCount} operations (1 create : 3 updates), no-op sides, ${server.kind} server on 127.0.0.1, fsync on`
    )
    console.table([
      { measure: "raw insert, one statement per row, one transaction", "ops/s": Math.round(raw.rowByRow) },
      { measure: "raw insert, all rows in one statement", "ops/s": Math.round(raw.bulk) },
      { measure: "outbox enqueue + dispatch (journaled)", "ops/s": Math.round(outbox) },
      { measure: "  of which enqueue (record the run)", "ops/s": Math.round(ops.length / times.enqueue) },
      { measure: "  of which dispatch (mark, call, complete)", "ops/s": Math.round(ops.length / times.dispatch) },
      { measure: "outbox, synchronousCommit: false", "ops/s": Math.round(outboxRelaxed) },
      { measure: "  of which enqueue", "ops/s": Math.round(ops.length / relaxed.enqueue) },
      { measure: "  of which dispatch", "ops/s": Math.round(ops.length / relaxed.dispatch) }
    ])
    const percent = (rate: number, of: number) => `${((rate / of) * 100).toFixed(1)}%`
    console.log(
      `ratio outbox / raw row-by-row = ${percent(outbox, raw.rowByRow)}, outbox / raw bulk = ${percent(outbox, raw.bulk)}; with synchronousCommit: false ${percent(outboxRelaxed, raw.rowByRow)} and ${percent(outboxRelaxed, raw.bulk)}`
    )
  } finally {
    await server.stop()
  }
}
