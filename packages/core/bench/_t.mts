import { Effect, Layer, Option, Stream } from "effect"
import { LeftAdapter, RightAdapter } from "../src/Adapter.js"
import * as Dispatcher from "../src/Dispatcher.js"
import { IdempotencyKey, RecordId } from "../src/Domain.js"
import { Create, Update } from "../src/Plan.js"
import * as SqliteStore from "../src/SqliteStore.js"
import { SyncStore } from "../src/SyncStore.js"
const N = 20000
let next = 0
const noop = (name) => ({ name, capabilities: { serializeCreates: false, concurrency: 64, canDelete: true, idempotentActions: true },
  list: () => Stream.empty, read: () => Effect.succeed(Option.none()), create: () => Effect.sync(() => `n${++next}`),
  findCreated: () => Effect.succeed(Option.none()), update: () => Effect.void, compensateCreate: () => Effect.succeed({ _tag: "Deleted" }),
  perform: () => Effect.void, events: () => Stream.empty, acknowledge: () => Effect.void })
const ops = Array.from({ length: N }, (_, i) => { const fields = { name: `客户 ${i}`, mobile: `138${String(i).padStart(8, "0")}` }
  return i % 4 === 0 ? new Create({ key: IdempotencyKey.make(`c${i}`), side: "right", sourceId: RecordId.make(`${i}`), fields, canonical: fields })
  : new Update({ key: IdempotencyKey.make(`u${i}`), side: "right", id: RecordId.make(`${i}`), otherId: RecordId.make(`${i}`), changes: fields, before: { name: null, mobile: null }, canonicalFields: Object.keys(fields) }) })
let calls = 0, entries = 0
await Effect.gen(function* () {
  const store0 = yield* SyncStore
  const store = { ...store0, journal: (e) => { calls++; entries += e.length; return process.env.NOJ ? Effect.void : store0.journal(e) } }
  let t = performance.now(); let c = process.cpuUsage()
  const runId = yield* store.startRun({ kind: "sync", direction: "push", dryRun: false, full: false }, ops)
  console.log("startRun", performance.now() - t); t = performance.now()
  const stored = yield* store.operations(runId)
  console.log("operations", performance.now() - t); t = performance.now(); c = process.cpuUsage()
  yield* Dispatcher.dispatch(runId, stored).pipe(Effect.provideService(SyncStore, store))
  const cu = process.cpuUsage(c)
  console.log("dispatch", performance.now() - t, "cpu", (cu.user + cu.system) / 1000, "journal calls", calls, "entries", entries)
}).pipe(Effect.provide(Layer.mergeAll(SqliteStore.layer({ filename: "/tmp/tb/x.db" }), Layer.succeed(LeftAdapter, noop("l")), Layer.succeed(RightAdapter, noop("r")))), Effect.runPromise)
