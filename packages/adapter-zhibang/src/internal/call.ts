import { maskMobiles } from "@tongbu/core"
import { Effect, Option, Schedule } from "effect"
import type { ZhibangError } from "../ZhibangError.js"
import { ZhibangFatalError, ZhibangRejectedError, ZhibangTransientError } from "../ZhibangError.js"
import type { ResolvedConfig } from "./config.js"
import { excerpt, redactFields } from "./redact.js"
import type { Session } from "./session.js"
import type { Transport } from "./transport.js"
import type { Body } from "./wire/answer.js"
import { decodeEnvelope, decodeV3 } from "./wire/answer.js"
import { classifyEnvelope, classifySaveText, Verdict } from "./wire/classify.js"
import type { WireFields } from "./wire/envelope.js"
import { v1Body } from "./wire/envelope.js"

export interface V1Call {
  readonly operation: string
  readonly page: string
  readonly query?: Readonly<Record<string, string>>
  readonly cmdkey?: string
  readonly fields: WireFields
  /** Writes are never retried here (the caller decides); reads are, a few times. */
  readonly write: boolean
  /** What the page's body means once the envelope went through; default: the body itself. */
  readonly interpret?: (body: Body) => Verdict
}

export interface V3Call {
  readonly operation: string
  readonly page: string
  readonly body: Readonly<Record<string, unknown>>
}

export interface Caller {
  readonly v1: (call: V1Call) => Effect.Effect<Body, ZhibangError>
  readonly v3: (call: V3Call) => Effect.Effect<void, ZhibangError>
  /** A V3 read (a list), retried like V1 reads: the answer's `Data`, whatever its shape (the caller decodes it). */
  readonly v3Read: (call: V3Call) => Effect.Effect<unknown, ZhibangError>
}

const summary = (body: Body) => ({
  model: body.model ?? null,
  action: body.action ?? null,
  text: body.message?.text ? maskMobiles(body.message.text) : null,
  rows: body.source?.table?.rows?.length ?? null
})

/** The V3 endpoints' `Code`: 200 ok, 300 refused, 400 token invalid, 500 server error (spec §1). */
const v3Verdict = (text: string): Verdict => {
  const answer = decodeV3(text)
  if (Option.isNone(answer)) return Verdict.Unclear({ text: `a page that is not JSON: ${excerpt(text)}` })
  const msg = answer.value.Msg ?? ""
  switch (answer.value.Code) {
    case 200:
      return Verdict.Ok({ body: {}, data: answer.value.Data })
    case 300: {
      const verdict = classifySaveText(msg)
      return verdict._tag === "Rejected" || verdict._tag === "Fatal"
        ? verdict
        : Verdict.Rejected({ reason: "invalid", text: msg || "refused (Code 300)", field: undefined })
    }
    case 400:
      return Verdict.SessionLost({ text: msg || "token invalid (Code 400)" })
    case 500:
      return Verdict.Failed({ text: msg || "server error (Code 500)" })
    default:
      return Verdict.Unclear({ text: `Code ${answer.value.Code}: ${msg}` })
  }
}

/**
 * Sends calls with the session and turns every answer into a body or one of the client's errors. Reads are retried
 * a few times with backoff; a lost session is renewed once and the call sent again, and losing it again right away
 * is reported, never looped on (two programs sharing one account would kick each other forever).
 */
export const makeCaller = (config: ResolvedConfig, transport: Transport, session: Session): Caller => {
  /** The body, none for a lost session, or the error the verdict means. */
  const outcome = (
    operation: string,
    write: boolean,
    verdict: Verdict
  ): Effect.Effect<Option.Option<Body>, ZhibangError> =>
    Verdict.$match(verdict, {
      Ok: ({ body }) => Effect.succeed(Option.some(body)),
      SessionLost: () => Effect.succeedNone,
      Rejected: ({ reason, text, field }) =>
        new ZhibangRejectedError({
          operation,
          reason,
          message: maskMobiles(text),
          ...(field === undefined ? {} : { field })
        }),
      Failed: ({ text }) =>
        new ZhibangTransientError({ operation, message: `the ERP failed: ${maskMobiles(text)}`, uncertain: write }),
      Unclear: ({ text }) =>
        new ZhibangTransientError({
          operation,
          message: `the ERP's answer is not understood: ${maskMobiles(text)}`,
          uncertain: write
        }),
      Fatal: ({ text }) =>
        new ZhibangFatalError({
          operation,
          message: `The ERP refuses account '${config.user}': ${maskMobiles(text)}. An ERP administrator must grant it customer and contact rights or unfreeze it.`
        })
    })

  const retried = <A>(write: boolean, effect: Effect.Effect<A, ZhibangError>) =>
    write
      ? effect
      : Effect.retry(effect, {
          schedule: Schedule.exponential(config.retryDelay).pipe(
            Schedule.intersect(Schedule.recurs(config.readRetries))
          ),
          while: (error) => error._tag === "ZhibangTransientError"
        })

  /** Sends with the token; on a lost session logs in again (single-flight) and sends once more. */
  const withSession = <A>(
    operation: string,
    attempt: (token: string) => Effect.Effect<Option.Option<A>, ZhibangError>
  ): Effect.Effect<A, ZhibangError> =>
    Effect.flatMap(session.token, (token) =>
      Effect.flatMap(
        attempt(token),
        Option.match({
          onSome: Effect.succeed,
          onNone: () =>
            Effect.logDebug("zhibang session lost: logging in again").pipe(
              Effect.zipRight(session.renew(token)),
              Effect.flatMap(attempt),
              Effect.flatMap(
                Option.match({
                  onSome: Effect.succeed,
                  onNone: () =>
                    new ZhibangTransientError({
                      operation,
                      message: `the ERP dropped the session again right after a new login; is another program logged in as '${config.user}'?`,
                      uncertain: false
                    })
                })
              )
            )
        })
      )
    )

  const v1 = (call: V1Call): Effect.Effect<Body, ZhibangError> => {
    const send = (token: string) =>
      Effect.logDebug("zhibang →").pipe(
        Effect.annotateLogs({
          operation: call.operation,
          page: call.page,
          cmdkey: call.cmdkey ?? "",
          datas: redactFields(call.fields)
        }),
        Effect.zipRight(
          transport({
            operation: call.operation,
            page: call.page,
            ...(call.query ? { query: call.query } : {}),
            body: v1Body(token, call.cmdkey, call.fields),
            write: call.write
          })
        ),
        Effect.flatMap((text) => {
          const envelope = decodeEnvelope(text)
          if (Option.isNone(envelope)) {
            return new ZhibangTransientError({
              operation: call.operation,
              message: `the ERP answered with a page that is not JSON: ${excerpt(text) || "(empty)"}`,
              uncertain: call.write
            })
          }
          const verdict = classifyEnvelope(envelope.value)
          const interpreted = verdict._tag === "Ok" && call.interpret ? call.interpret(verdict.body) : verdict
          return Effect.logDebug("zhibang ←").pipe(
            Effect.annotateLogs({
              operation: call.operation,
              status: envelope.value.header?.status ?? null,
              verdict: interpreted._tag,
              ...(envelope.value.body ? summary(envelope.value.body) : {})
            }),
            Effect.zipRight(outcome(call.operation, call.write, interpreted))
          )
        })
      )
    return withSession(call.operation, (token) => retried(call.write, send(token)))
  }

  const v3Exchange = (call: V3Call, write: boolean): Effect.Effect<unknown, ZhibangError> => {
    const send = (token: string) =>
      Effect.logDebug("zhibang →").pipe(
        Effect.annotateLogs({ operation: call.operation, page: call.page, body: redactFields(call.body) }),
        Effect.zipRight(
          transport({
            operation: call.operation,
            page: call.page,
            headers: { "ZBAPI-Token": token },
            body: call.body,
            write
          })
        ),
        Effect.map(v3Verdict),
        Effect.tap((verdict) =>
          Effect.logDebug("zhibang ←").pipe(Effect.annotateLogs({ operation: call.operation, verdict: verdict._tag }))
        ),
        Effect.flatMap(
          (verdict): Effect.Effect<Option.Option<unknown>, ZhibangError> =>
            verdict._tag === "Ok"
              ? Effect.succeed(Option.some(verdict.data))
              : Effect.map(
                  outcome(call.operation, write, verdict),
                  Option.map(() => undefined)
                )
        )
      )
    return withSession(call.operation, (token) => retried(write, send(token)))
  }

  return {
    v1,
    v3: (call) => Effect.asVoid(v3Exchange(call, true)),
    v3Read: (call) => v3Exchange(call, false)
  }
}
