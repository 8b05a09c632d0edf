import { describe, expect, it } from "@effect/vitest"
import { Outcome, RecordId, SyncStore } from "@tongbu/core"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect, Metric, MetricBoundaries, Option, Redacted } from "effect"
import { defaultPair } from "../src/DefaultPair.js"
import * as Http from "../src/Http.js"
import * as Metrics from "../src/Metrics.js"

const thresholds = { minSuccessRate: 0.8, maxFailuresPerHour: 10, maxHoursWithoutSuccess: 2 }
const counts = { created: 1, updated: 0, linked: 0, unchanged: 0, skipped: 1, conflicts: 0, actions: 0, failed: 0 }

const withApp = (token: Option.Option<Redacted.Redacted<string>>) =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const { runId } = yield* store.startRun({ kind: "sync", direction: "both", dryRun: false, full: false }, [])
    const outcome = new Outcome({
      runId,
      side: "left",
      id: RecordId.make("7"),
      otherId: RecordId.make("501"),
      operation: "create",
      outcome: "created",
      reasons: []
    })
    yield* store.recordOutcomes([outcome])
    yield* store.finishRun(runId, "completed", counts)
    yield* Metrics.recordRun("sync", "completed", [outcome], [{ code: "contacts-unavailable" }])
    const runtime = yield* Effect.runtime<SyncStore>()
    return {
      app: Http.app(runtime, { token, thresholds, metrics: defaultPair.metrics, health: () => ({ running: null }) }),
      runId
    }
  })

const store = SqliteStore.layer({ filename: ":memory:" })

type App = ReturnType<typeof Http.app>
const get = (app: App, path: string, init?: RequestInit) => Effect.promise(async () => await app.request(path, init))
// biome-ignore lint/suspicious/noExplicitAny: the JSON bodies are checked field by field below
const json = (app: App, path: string) => Effect.promise(async (): Promise<any> => (await app.request(path)).json())

describe("the daemon's HTTP endpoints", () => {
  it.effect("GET /healthz, /runs, /runs/:id (JSON) and /metrics (Prometheus text)", () =>
    Effect.gen(function* () {
      const { app, runId } = yield* withApp(Option.none())
      const health = yield* json(app, "/healthz")
      expect(health).toEqual({ status: "ok", running: null })

      const runs = yield* json(app, "/runs?limit=5")
      expect(runs.runs).toHaveLength(1)
      expect(runs.runs[0]).toMatchObject({ runId, status: "completed", counts })

      const one = yield* json(app, `/runs/${runId}`)
      expect(one.items).toEqual([expect.objectContaining({ hubId: "7", erpId: "501", outcome: "created" })])
      expect((yield* get(app, "/runs/nope")).status).toBe(404)
      expect((yield* get(app, "/runs?limit=x")).status).toBe(400)

      const metrics = yield* get(app, "/metrics")
      expect(metrics.headers.get("content-type")).toContain("text/plain; version=0.0.4")
      const text = yield* Effect.promise(() => metrics.text())
      expect(text).toContain("# TYPE tongbu_runs_total counter")
      expect(text).toMatch(/tongbu_runs_total\{kind="sync",status="completed"\} \d+/)
      expect(text).toMatch(/tongbu_operations_total\{outcome="created"\} \d+/)
      expect(text).toContain("# TYPE tongbu_run_warnings_total counter")
      expect(text).toMatch(/tongbu_run_warnings_total\{code="contacts-unavailable"\} [1-9]\d*/)
      expect(text).toContain("tongbu_queue_depth 0")
      expect(text).toContain('tongbu_alert_firing{rule="successRate",severity="critical"} 0')
      expect(text).toContain("# TYPE tongbu_erp_call_duration_seconds histogram")
    }).pipe(Effect.provide(store))
  )

  it.effect("with a token, every endpoint but /healthz wants it", () =>
    Effect.gen(function* () {
      const { app } = yield* withApp(Option.some(Redacted.make("s3cret")))
      expect((yield* get(app, "/healthz")).status).toBe(200)
      expect((yield* get(app, "/runs")).status).toBe(401)
      expect((yield* get(app, "/metrics", { headers: { authorization: "Bearer wrong" } })).status).toBe(401)
      expect((yield* get(app, "/runs", { headers: { authorization: "Bearer s3cret" } })).status).toBe(200)
    }).pipe(Effect.provide(store))
  )
})

describe("Prometheus text", () => {
  it.effect("histograms are cumulative buckets up to +Inf, with sum and count", () =>
    Effect.gen(function* () {
      const latency = Metric.histogram("test_latency_seconds", MetricBoundaries.fromIterable([0.01, 0.1]), "test")
      yield* Metric.update(latency, 0.005)
      yield* Metric.update(latency, 0.05)
      yield* Metric.update(latency, 5)
      const text = Metrics.prometheusText(yield* Metric.snapshot)
      expect(text).toContain(["# HELP test_latency_seconds test", "# TYPE test_latency_seconds histogram"].join("\n"))
      expect(text).toContain('test_latency_seconds_bucket{le="0.01"} 1')
      expect(text).toContain('test_latency_seconds_bucket{le="0.1"} 2')
      expect(text).toContain('test_latency_seconds_bucket{le="+Inf"} 3')
      expect(text).toContain("test_latency_seconds_sum 5.055")
      expect(text).toContain("test_latency_seconds_count 3")
    })
  )
})
