import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { HubAdapter } from "@tongbu/adapter-wechat-hub"
import { followUpPayload, ZhibangAdapter, ZhibangClient } from "@tongbu/adapter-zhibang"
import type { SyncAdapter } from "@tongbu/core"
import { LeftAdapter } from "@tongbu/core"
import type { Pair } from "@tongbu/pair"
import { ConfigError, Shared } from "@tongbu/pair"
import { Clock, Duration, Effect, Layer, Metric, MetricBoundaries, Option, Redacted, Stream } from "effect"
import * as HubErpPolicy from "./HubErpPolicy.js"
import type { Settings } from "./Settings.js"
import { requireErp, requireHub } from "./Settings.js"

export const erpCallSeconds = Metric.histogram(
  "tongbu_erp_call_duration_seconds",
  MetricBoundaries.fromIterable([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
  "Latency of ERP calls"
)

/** The hub↔ERP policy the settings describe. */
export const policyOf = (settings: Settings) =>
  HubErpPolicy.make({
    conflicts: settings.policy.conflicts,
    fillIn: settings.policy.fillIn,
    erpUnique: settings.policy.erpUnique,
    admission: settings.policy.admission,
    pullSources: settings.policy.pull.sources,
    backfillAdopted: settings.policy.backfillAdopted,
    mapping: settings.mapping
  })

/** The HTTP client the ERP is reached through: undici, unless a test reaches the ERP otherwise. */
export type ErpHttp = Layer.Layer<HttpClient.HttpClient>

/** Every ERP call's latency recorded for /metrics (failed calls included). */
const timedHttpClient = (http: ErpHttp) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) =>
      HttpClient.transform(client, (response) =>
        Effect.flatMap(Clock.currentTimeMillis, (start) =>
          response.pipe(
            Effect.ensuring(
              Effect.flatMap(Clock.currentTimeMillis, (end) =>
                Metric.update(erpCallSeconds, Duration.toSeconds(Duration.millis(end - start)))
              )
            )
          )
        )
      )
    )
  ).pipe(Layer.provide(http))

/** The limits an ERP client was made with: every pair sharing the client must ask for the same. */
const limitsOf = (settings: Settings) =>
  `erp.concurrency ${settings.erp.concurrency}, erp.requestsPerSecond ${settings.erp.requestsPerSecond}, erp.timeoutSeconds ${settings.erp.timeoutSeconds}`

/**
 * The ERP as the right side: one client (one session, one rate limiter, one bound on calls in flight) for the account
 * the settings name, shared through `shared` by every pair of the runner on the same base URL and user: the limits
 * are the account's, and two sessions of one user would kick each other (spec §4.1).
 */
export const erp = (
  settings: Settings,
  http: ErpHttp = NodeHttpClient.layerUndici,
  shared: Shared.Shared = Shared.unshared
) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const { url, user, password } = yield* requireErp(settings)
      const limits = limitsOf(settings)
      const client = yield* shared.get(
        `zhibang-account ${url} ${user}`,
        Effect.gen(function* () {
          // the HTTP client lives as long as the ERP client, in the scope `shared` keeps it in
          const httpClient = yield* Layer.build(timedHttpClient(http))
          const service = yield* ZhibangClient.make({
            baseUrl: url,
            user,
            password,
            maxInFlight: settings.erp.concurrency,
            requestsPerSecond: settings.erp.requestsPerSecond,
            requestTimeout: Duration.seconds(settings.erp.timeoutSeconds)
          }).pipe(Effect.provide(httpClient))
          return { service, limits, password: Redacted.value(password) }
        })
      )
      if (client.limits !== limits) {
        return yield* new ConfigError({
          message: `the ERP account ${user} at ${url} is shared with another pair configured with ${client.limits}, this one with ${limits}: give every pair of one account the same limits`
        })
      }
      if (client.password !== Redacted.value(password)) {
        return yield* new ConfigError({
          message: `the ERP account ${user} at ${url} is shared with another pair given another password: give every pair of one account the same`
        })
      }
      return ZhibangAdapter.layerRight({ concurrency: settings.erp.concurrency, mapping: settings.mapping }).pipe(
        Layer.mapError((error) => new ConfigError({ message: `the ERP mapping is invalid: ${error.message}` })),
        Layer.provide(Layer.succeed(ZhibangClient.ZhibangClient, client.service))
      )
    })
  )

/**
 * The hub's follow-up events carry the conversation's text; the ERP's follow-up record wants a template chosen by
 * keywords, a method and a plan type (sync-rules §6). The policy translates them here, or drops them when switched off.
 */
const translateEvents = (adapter: SyncAdapter, settings: Settings): SyncAdapter => ({
  ...adapter,
  events: (request) =>
    settings.policy.followUps
      ? adapter
          .events(request)
          .pipe(
            Stream.map((event) =>
              event.kind === "followUp"
                ? { ...event, payload: followUpPayload(settings.mapping, String(event.payload.text ?? "")) }
                : event
            )
          )
      : Stream.empty
})

/**
 * The hub's `erp_sync_error` in the language its people read (`hub.language`, else the reports'): each reason worded
 * from its rule and params, as the reports word it, so the text is as stable run to run as the English one.
 */
const hubWording = (adapter: SyncAdapter, options: Pair.LayerOptions, lang: Pair.LayerOptions["lang"]): SyncAdapter =>
  lang === "en"
    ? adapter
    : {
        ...adapter,
        acknowledge: (outcomes) =>
          adapter.acknowledge(
            outcomes.map((outcome) =>
              outcome.reasons === undefined || outcome.reasons.length === 0
                ? outcome
                : {
                    ...outcome,
                    reason: Option.some(outcome.reasons.map((reason) => options.word(reason, lang)).join("；"))
                  }
            )
          )
      }

/** The hub as the left side. A dry run switches intake off: it would insert hub rows while listing. */
export const hub = (settings: Settings, options: Pair.LayerOptions) =>
  Layer.unwrapEffect(
    Effect.map(requireHub(settings), (path) =>
      Layer.effect(
        LeftAdapter,
        Effect.map(LeftAdapter, (adapter) =>
          hubWording(translateEvents(adapter, settings), options, settings.hub.language ?? options.lang)
        )
      ).pipe(
        Layer.provide(
          HubAdapter.layer({
            path,
            timeZone: settings.hub.timeZone,
            intake: settings.hub.intake && !options.dryRun,
            erpCodePrefix: settings.mapping.khidPrefix
          })
        )
      )
    )
  )

/** Both sides: the hub on the left, the ERP on the right. */
export const layer = (settings: Settings, options: Pair.LayerOptions & { readonly http?: ErpHttp }) =>
  Layer.merge(hub(settings, options), erp(settings, options.http, options.shared))
