import { timingSafeEqual } from "node:crypto"
import type { RunId } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import type { Pair } from "@tongbu/pair"
import { Effect, Option, Redacted, Runtime } from "effect"
import { Hono } from "hono"
import type * as Alerts from "./Alerts.js"
import * as Metrics from "./Metrics.js"
import { itemJson, runJsonOf } from "./Report.js"

export interface HttpOptions {
  /** Required on every endpoint but /healthz when set (`Authorization: Bearer <token>`). */
  readonly token: Option.Option<Redacted.Redacted<string>>
  readonly thresholds: Alerts.Thresholds
  /** What /healthz reports besides "ok": whether this daemon holds the lease, what it is doing. */
  readonly health: () => Record<string, unknown>
  /** What the pair calls its sides: `/runs/:id` names each record's ids by them as `--json` does. */
  readonly labels: Pair.Labels
  /** The pair's metrics, listed on /metrics before their first update. */
  readonly metrics?: ReadonlyArray<Pair.PairMetric>
}

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The daemon's endpoints, running their effects on `runtime` (which provides the store). */
export const app = (runtime: Runtime.Runtime<SyncStore>, options: HttpOptions): Hono => {
  const run = <A, E>(effect: Effect.Effect<A, E, SyncStore>) => Runtime.runPromise(runtime)(effect)
  const api = new Hono()

  api.get("/healthz", (c) => c.json({ status: "ok", ...options.health() }))

  api.use("*", async (c, next) => {
    if (Option.isNone(options.token)) return next()
    const header = c.req.header("authorization") ?? ""
    const given = header.startsWith("Bearer ") ? header.slice("Bearer ".length) : ""
    if (!sameSecret(given, Redacted.value(options.token.value))) {
      return c.json({ error: "missing or wrong bearer token" }, 401)
    }
    return next()
  })

  api.get("/metrics", async (c) => {
    const text = await run(Metrics.scrape(options.thresholds, options.metrics ?? []))
    return c.text(text, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" })
  })

  api.get("/runs", async (c) => {
    const limit = Number(c.req.query("limit") ?? "20")
    if (!Number.isInteger(limit) || limit < 1) return c.json({ error: "limit must be a positive whole number" }, 400)
    const runs = await run(Effect.flatMap(SyncStore, (store) => store.runs(limit)))
    return c.json({ runs: runs.map(runJsonOf) })
  })

  api.get("/runs/:id", async (c) => {
    const id = c.req.param("id") as RunId
    const found = await run(
      Effect.gen(function* () {
        const store = yield* SyncStore
        const stored = yield* store.run(id)
        if (Option.isNone(stored)) return Option.none()
        return Option.some({
          ...runJsonOf(stored.value),
          items: (yield* store.outcomes(id)).map(itemJson(options.labels))
        })
      })
    )
    return Option.match(found, {
      onNone: () => c.json({ error: `no run ${id}` }, 404),
      onSome: (body) => c.json(body)
    })
  })

  api.onError((error, c) => c.json({ error: error.message }, 500))
  api.notFound((c) => c.json({ error: "not found: GET /healthz, /metrics, /runs, /runs/:id" }, 404))
  return api
}
