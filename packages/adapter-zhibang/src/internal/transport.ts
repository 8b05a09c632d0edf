import { HttpClient, HttpClientRequest } from "@effect/platform"
import type { Scope } from "effect"
import { Effect, RateLimiter } from "effect"
import { ZhibangFatalError, ZhibangTransientError } from "../ZhibangError.js"
import type { ResolvedConfig } from "./config.js"
import { excerpt } from "./redact.js"
import { pageUrl } from "./wire/envelope.js"

export interface Exchange {
  /** For messages and traces: what the call does ("save customer 123"). */
  readonly operation: string
  readonly page: string
  readonly query?: Readonly<Record<string, string>>
  readonly headers?: Readonly<Record<string, string>>
  readonly body: unknown
  /** A write: a failure after sending leaves its outcome unknown. */
  readonly write: boolean
}

/** One HTTP exchange with the ERP: the answer's text, or a typed error for what HTTP itself says. */
export type Transport = (exchange: Exchange) => Effect.Effect<string, ZhibangTransientError | ZhibangFatalError>

/**
 * Posts JSON to the ERP under the configured limits: a semaphore bounds the requests in flight, a rate limiter their
 * starts, and each has a time limit. Retrying is the caller's decision.
 */
export const makeTransport = (
  config: ResolvedConfig
): Effect.Effect<Transport, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const inFlight = yield* Effect.makeSemaphore(config.maxInFlight)
    const limiter = yield* RateLimiter.make({ limit: config.requestsPerSecond, interval: "1 second" })
    return (exchange) => {
      const transient = (message: string) =>
        new ZhibangTransientError({ operation: exchange.operation, message, uncertain: exchange.write })
      const request = HttpClientRequest.post(pageUrl(config.baseUrl, exchange.page, exchange.query)).pipe(
        HttpClientRequest.setHeaders({ accept: "application/json, text/plain, */*", ...exchange.headers }),
        HttpClientRequest.bodyText(JSON.stringify(exchange.body), "application/json; charset=utf-8")
      )
      const send = client.execute(request).pipe(
        Effect.flatMap((response) => Effect.map(response.text, (text) => ({ status: response.status, text }))),
        // also in an uninterruptible region (the logout when the client's scope closes), or the time limit waits for
        // an answer that may never come
        Effect.interruptible,
        Effect.timeoutFail({
          duration: config.requestTimeout,
          onTimeout: () => transient(`the ERP did not answer within the time limit (${exchange.page})`)
        }),
        Effect.catchTags({
          RequestError: (error) =>
            Effect.fail(transient(`cannot reach the ERP at ${config.baseUrl}: ${error.cause ?? error.message}`)),
          ResponseError: (error) => Effect.fail(transient(`the ERP's answer broke off: ${error.message}`))
        })
      )
      return inFlight
        .withPermits(1)(limiter(send))
        .pipe(
          Effect.flatMap(({ status, text }): Effect.Effect<string, ZhibangTransientError | ZhibangFatalError> => {
            if (status >= 200 && status < 300) return Effect.succeed(text)
            const page = `HTTP ${status} from ${exchange.page}: ${excerpt(text) || "(empty body)"}`
            if (status >= 500 || status === 408 || status === 429) return Effect.fail(transient(page))
            return Effect.fail(
              new ZhibangFatalError({
                operation: exchange.operation,
                message: `${page}. Check the base URL (${config.baseUrl}) and that this ERP version serves the mobile pages.`
              })
            )
          })
        )
    }
  })
