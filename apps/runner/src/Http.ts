import { timingSafeEqual } from "node:crypto"
import type { RunId, SyncStoreService } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import type { Pair } from "@tongbu/pair"
import { Effect, Option, Redacted } from "effect"
import { Hono } from "hono"
import type * as Alerts from "./Alerts.js"
import * as Metrics from "./Metrics.js"
import { itemJson, runJsonOf } from "./Report.js"

/** A pair the daemon serves: its store (opened at the first request that needs it), its alert rules, its metrics. */
export interface HttpPair {
  readonly id: string
  readonly store: Effect.Effect<SyncStoreService, unknown>
  readonly thresholds: Alerts.Thresholds
  /** The pair's metrics, listed on /metrics before their first update. */
  readonly metrics: ReadonlyArray<Pair.PairMetric>
  /** What the pair calls its sides: `/runs/:id` names each record's ids by them as `--json` does. */
  readonly labels: Pair.Labels
}

export interface HttpOptions {
  /** Required on every endpoint but /healthz when set (`Authorization: Bearer <token>`). */
  readonly token: Option.Option<Redacted.Redacted<string>>
  /** What /healthz reports besides "ok": the pairs, what each is doing, what each did last. */
  readonly health: () => Record<string, unknown>
  readonly pairs: ReadonlyArray<HttpPair>
}

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The daemon's endpoints. /runs and /runs/:id are about one pair: `?pair=<id>` when the daemon runs several. */
export const app = (options: HttpOptions): Hono => {
  const api = new Hono()
  const inPair = <A>(pair: HttpPair, effect: Effect.Effect<A, unknown, SyncStore>) =>
    Effect.runPromise(Effect.flatMap(pair.store, (store) => Effect.provideService(effect, SyncStore, store)))
  const pairOf = (given: string | undefined): HttpPair | string => {
    const ids = options.pairs.map((p) => p.id).join(", ")
    if (given === undefined) {
      const [only, ...others] = options.pairs
      return only !== undefined && others.length === 0 ? only : `say which pair: ?pair=<id> (one of ${ids})`
    }
    return options.pairs.find((p) => p.id === given) ?? `no pair ${given} here (the pairs: ${ids})`
  }

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
    const text = await Effect.runPromise(
      Metrics.scrape(
        options.pairs.map((pair) => ({
          id: pair.id,
          thresholds: pair.thresholds,
          listed: pair.metrics,
          store: pair.store
        }))
      )
    )
    return c.text(text, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" })
  })

  api.get("/runs", async (c) => {
    const limit = Number(c.req.query("limit") ?? "20")
    if (!Number.isInteger(limit) || limit < 1) return c.json({ error: "limit must be a positive whole number" }, 400)
    const pair = pairOf(c.req.query("pair"))
    if (typeof pair === "string") return c.json({ error: pair }, 400)
    const runs = await inPair(
      pair,
      Effect.flatMap(SyncStore, (store) => store.runs(limit))
    )
    return c.json({ pair: pair.id, runs: runs.map(runJsonOf) })
  })

  api.get("/runs/:id", async (c) => {
    const id = c.req.param("id") as RunId
    const pair = pairOf(c.req.query("pair"))
    if (typeof pair === "string") return c.json({ error: pair }, 400)
    const found = await inPair(
      pair,
      Effect.gen(function* () {
        const store = yield* SyncStore
        const stored = yield* store.run(id)
        if (Option.isNone(stored)) return Option.none()
        return Option.some({
          ...runJsonOf(stored.value),
          items: (yield* store.outcomes(id)).map(itemJson(pair.labels))
        })
      })
    )
    return Option.match(found, {
      onNone: () => c.json({ error: `no run ${id} of pair ${pair.id}` }, 404),
      onSome: (body) => c.json({ pair: pair.id, ...body })
    })
  })

  api.onError((error, c) => c.json({ error: error.message }, 500))
  api.notFound((c) => c.json({ error: "not found: GET /healthz, /metrics, /runs, /runs/:id" }, 404))
  return api
}
