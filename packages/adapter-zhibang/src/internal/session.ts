import { maskMobiles } from "@tongbu/core"
import { Effect, Either, Schedule, SynchronizedRef } from "effect"
import { ZhibangFatalError, ZhibangTransientError } from "../ZhibangError.js"
import type { ResolvedConfig } from "./config.js"
import { excerpt } from "./redact.js"
import type { Transport } from "./transport.js"
import { decodeEnvelope } from "./wire/answer.js"
import { loginBody, Pages } from "./wire/envelope.js"

type State =
  | { readonly _tag: "Out" }
  | { readonly _tag: "In"; readonly token: string }
  /** A login was refused for good: no further attempt this process (repeated failures make the ERP demand a captcha). */
  | { readonly _tag: "Refused"; readonly error: ZhibangFatalError }

export interface Session {
  /** The current token, logging in first when there is none. */
  readonly token: Effect.Effect<string, ZhibangTransientError | ZhibangFatalError>
  /** The ERP dropped `stale`: log in again, unless another call already did (then its token is used). */
  readonly renew: (stale: string) => Effect.Effect<string, ZhibangTransientError | ZhibangFatalError>
  readonly logout: Effect.Effect<void>
}

type LoginError = ZhibangTransientError | ZhibangFatalError
/** The token (or why there is none) and the state to keep. */
type Entered = readonly [Either.Either<string, LoginError>, State]

/**
 * One session per client. Every change goes through a synchronized ref, so logins are single-flight: concurrent
 * calls that lose the session wait for the one login and share its token, since a second login would kick the first.
 */
export const makeSession = (config: ResolvedConfig, transport: Transport): Effect.Effect<Session> =>
  Effect.gen(function* () {
    const state = yield* SynchronizedRef.make<State>({ _tag: "Out" })
    const account = `'${config.user}'`
    const fatal = (message: string) => new ZhibangFatalError({ operation: "login", message })

    const login: Effect.Effect<string, LoginError> = Effect.gen(function* () {
      yield* Effect.logDebug("zhibang login").pipe(Effect.annotateLogs({ account: config.user }))
      const text = yield* transport({ operation: "login", page: Pages.login, body: loginBody(config), write: false })
      const envelope = decodeEnvelope(text)
      if (envelope._tag === "None") {
        return yield* new ZhibangTransientError({
          operation: "login",
          message: `the ERP answered the login with a page that is not JSON: ${excerpt(text)}`,
          uncertain: false
        })
      }
      const { header, body } = envelope.value
      const status = header?.status
      const failed = (status !== undefined && status !== null && Number(status) !== 0) || body?.action === "fail"
      const reason = maskMobiles(body?.fail?.message ?? header?.message ?? "")
      yield* Effect.logDebug("zhibang ← login").pipe(
        Effect.annotateLogs({ status: status ?? null, action: body?.action ?? null, message: reason })
      )
      if (!failed && header?.session) return header.session
      if (status === "11" || /服务程序发生错误|服务器异常/.test(reason)) {
        return yield* new ZhibangTransientError({
          operation: "login",
          message: `the ERP failed while logging in: ${reason}`,
          uncertain: false
        })
      }
      if (body?.newrndcode || body?.fail?.newrndcode || /验证码/.test(reason)) {
        return yield* fatal(
          `The ERP demands a captcha for account ${account} after repeated failed logins. A person must log in once on the ERP's web page, and check the password in the configuration, before the sync can run again.`
        )
      }
      if (/冻结/.test(reason)) {
        return yield* fatal(`The ERP account ${account} is frozen (${reason}). An ERP administrator must unfreeze it.`)
      }
      if (!failed) {
        return yield* new ZhibangTransientError({
          operation: "login",
          message: "the ERP accepted the login but sent no session token",
          uncertain: false
        })
      }
      return yield* fatal(
        `The ERP refused the login of account ${account}: ${reason || "no reason given"}. Check the account and password (ZHIBANG_USER, ZHIBANG_PASSWORD); no further login is attempted with them, as each failure brings the ERP's captcha closer.`
      )
    }).pipe(
      Effect.retry({
        schedule: Schedule.exponential(config.retryDelay).pipe(Schedule.intersect(Schedule.recurs(config.readRetries))),
        while: (error) => error._tag === "ZhibangTransientError"
      })
    )

    /** Logs in and records the outcome: a token, or a refusal that every later call gets without asking the ERP. */
    const enter: Effect.Effect<Entered> = login.pipe(
      Effect.map((token): Entered => [Either.right(token), { _tag: "In", token }]),
      Effect.catchAll((error) =>
        Effect.succeed<Entered>([
          Either.left(error),
          error._tag === "ZhibangFatalError" ? { _tag: "Refused", error } : { _tag: "Out" }
        ])
      )
    )

    const current = (s: State): Effect.Effect<Entered> =>
      s._tag === "In"
        ? Effect.succeed<Entered>([Either.right(s.token), s])
        : s._tag === "Refused"
          ? Effect.succeed<Entered>([Either.left(s.error), s])
          : enter

    const token = SynchronizedRef.modifyEffect(state, current).pipe(Effect.flatten)

    const renew = (stale: string) =>
      SynchronizedRef.modifyEffect(state, (s) => (s._tag === "In" && s.token === stale ? enter : current(s))).pipe(
        Effect.flatten
      )

    const logout = SynchronizedRef.updateEffect(state, (s) =>
      s._tag !== "In"
        ? Effect.succeed(s)
        : transport({ operation: "logout", page: Pages.logout, body: { session: s.token }, write: false }).pipe(
            Effect.catchAll((error) => Effect.logDebug("zhibang logout failed", error.message)),
            Effect.as<State>({ _tag: "Out" })
          )
    )

    return { token, renew, logout }
  })
