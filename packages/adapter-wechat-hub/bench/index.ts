/**
 * The hub adapter over a generated hub file: full and incremental listing, intake, updates, acknowledge and events.
 * `TONGBU_BENCH_CUSTOMERS` sets the size (default 20000). Wall-clock numbers for a person to read, not assertions.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { RecordOutcome } from "@tongbu/core"
import { Clock, Effect, Option, Stream } from "effect"
import { generateHubFile, HubAdapter } from "../src/index.js"

const customers = Number(process.env.TONGBU_BENCH_CUSTOMERS ?? 20_000)

const timed = <A, E, R>(label: string, count: number, effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const start = yield* Clock.currentTimeMillis
    const result = yield* effect
    const ms = (yield* Clock.currentTimeMillis) - start
    console.log(
      `${label.padEnd(44)} ${String(count).padStart(7)} in ${String(ms).padStart(6)} ms  (${((ms * 1000) / Math.max(count, 1)).toFixed(1)} µs each)`
    )
    return result
  })

const program = Effect.gen(function* () {
  const dir = yield* Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "tongbu-hub-bench-"))),
    (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
  )
  const path = join(dir, "hub.db")
  const summary = yield* timed("generate the hub file", customers, generateHubFile(path, { customers, seed: 1 }))
  const adapter = yield* HubAdapter.make({ path })
  const full = yield* timed(
    "full listing (with intake)",
    customers,
    Stream.runCollect(adapter.list({ since: Option.none() }))
  )
  const entries = Array.from(full)
  const checkpoint = Option.fromNullable(entries.at(-1)?.checkpoint)
  yield* timed(
    "incremental listing, nothing changed",
    entries.length,
    Stream.runCount(adapter.list({ since: checkpoint }))
  )
  const sample = entries.slice(0, 2_000)
  yield* timed(
    "update (compare-and-set, one transaction each)",
    sample.length,
    Effect.forEach(
      sample,
      (entry) =>
        adapter.update({
          key: `bench:${entry.id}` as never,
          id: entry.id,
          changes: { erp_region: "重庆" },
          expected: { erp_region: entry.record?.fields.erp_region ?? null }
        }),
      { discard: true }
    )
  )
  const outcomes: Array<RecordOutcome> = entries.map((entry) => ({
    id: entry.id,
    status: "skipped",
    action: "none",
    reason: Option.some("no verified mobile"),
    linkedId: Option.none()
  }))
  yield* timed("acknowledge, every row changes", outcomes.length, adapter.acknowledge(outcomes))
  yield* timed("acknowledge again, steady state", outcomes.length, adapter.acknowledge(outcomes))
  yield* timed(
    "events of linked customers",
    summary.customers.length,
    Stream.runCount(adapter.events({ since: Option.none() }))
  )
})

Effect.runPromise(Effect.scoped(program)).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
