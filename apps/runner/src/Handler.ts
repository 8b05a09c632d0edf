import { Options } from "@effect/cli"
import type { Pair } from "@tongbu/pair"
import { Cause, Console, Context, Data, Effect, Option } from "effect"
import type { RunnerSettings, Settings } from "./Config.js"
import * as Config from "./Config.js"
import { CommandFailed, ExitCode } from "./Exit.js"
import * as Lang from "./Lang.js"
import * as Logging from "./Logging.js"

/** `--config`, `--json` and `--lang`, which every command takes. */
export const common = {
  lang: Lang.option,
  config: Options.file("config").pipe(
    Options.withDescription("the configuration file (default: $TONGBU_CONFIG, else ./tongbu.yaml when it exists)"),
    Options.optional
  ),
  json: Options.boolean("json").pipe(Options.withDescription("print one JSON object for machines instead of text"))
}

export interface Common {
  readonly config: Option.Option<string>
  readonly json: boolean
  readonly lang: Option.Option<Lang.Lang>
}

/** The pair this process runs (`pair:` of the configuration, or the one `Runner.main` was given). */
export class CurrentPair extends Context.Tag("@tongbu/runner/CurrentPair")<CurrentPair, Pair.Any>() {}

/** The run, conflict or record a command was asked about does not exist. */
export class NotFound extends Data.TaggedError("NotFound")<{ readonly message: string }> {}

/** An error a command shows its user: what went wrong, in words, and the exit code it ends with. */
export interface Shown {
  readonly exitCode: number
  readonly message: string
}

const tagOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "_tag" in error ? String(error._tag) : "Error"

const messageOf = (error: unknown): string =>
  typeof error === "object" &&
  error !== null &&
  "message" in error &&
  typeof error.message === "string" &&
  error.message !== ""
    ? error.message
    : String(error)

/** How each failure of the libraries below reads to a person, and the exit code it gives. */
export const show = (error: unknown): Shown => {
  switch (tagOf(error)) {
    case "ConfigError":
    case "NotFound":
    case "NotParked":
    case "NotSupported":
    case "ProfileError":
    case "RollbackRefused":
      return { exitCode: ExitCode.usage, message: messageOf(error) }
    case "LeaseBusy":
    case "StoreFenced":
      return { exitCode: ExitCode.busy, message: messageOf(error) }
    case "StoreError":
      return { exitCode: ExitCode.failed, message: `the state store failed: ${messageOf(error)}` }
    case "FatalError":
    case "SideUnavailable":
      return { exitCode: ExitCode.failed, message: `stopped: ${messageOf(error)}` }
    case "TooManyFailures":
      return { exitCode: ExitCode.tooManyFailures, message: messageOf(error) }
    default:
      return { exitCode: ExitCode.failed, message: messageOf(error) }
  }
}

const report = (json: boolean, kind: string, shown: Shown) =>
  json
    ? Console.log(
        JSON.stringify(
          { error: { type: kind, message: Logging.maskMobiles(shown.message) }, exitCode: shown.exitCode },
          null,
          2
        )
      )
    : Console.error(`tongbu: ${Logging.maskMobiles(shown.message)}`)

/** Shows a failure of `effect` once (text on stderr, or JSON on stdout with --json) and ends with its exit code. */
export const guard = <A, E, R>(options: { readonly json: boolean }, effect: Effect.Effect<A, E, R>) =>
  effect.pipe(
    Effect.catchAllCause((cause) => {
      if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
      const failure = Cause.failureOption(cause)
      // already shown by the command itself (e.g. inside its --json object)
      if (Option.isSome(failure) && failure.value instanceof CommandFailed) return Effect.fail(failure.value)
      const shown = Option.match(failure, {
        onSome: show,
        onNone: () => ({ exitCode: ExitCode.failed, message: `unexpected error: ${Cause.pretty(cause)}` })
      })
      const kind = Option.match(failure, { onSome: tagOf, onNone: () => "Defect" })
      return report(options.json, kind, shown).pipe(
        Effect.zipRight(Effect.fail(new CommandFailed({ exitCode: shown.exitCode })))
      )
    })
  )

/** The logger the settings ask for (stderr: pretty on a terminal, JSON lines otherwise). */
export const logging = (settings: RunnerSettings) =>
  Logging.layer({ format: settings.log.format, level: settings.log.level, isTTY: process.stderr.isTTY === true })

/**
 * Runs a command's body with the current pair's settings loaded, its logger installed and the language of its text
 * output chosen, failures shown (see `guard`).
 */
export const handle = <E, R>(
  options: Common,
  // the settings are the pair's: only the pair's own members read its part
  body: (settings: Settings<unknown>, lang: Lang.Lang, pair: Pair.Any) => Effect.Effect<void, E, R>
) =>
  guard(
    options,
    Effect.gen(function* () {
      const pair = yield* CurrentPair
      const settings = yield* Config.loadWith(pair)(options.config)
      const lang = yield* Lang.resolve(options.lang)
      return yield* Effect.provide(body(settings, lang, pair), logging(settings))
    })
  )

/** Prints a command's result: `json` with --json, else `text`. */
export const output = (options: { readonly json: boolean }, json: () => unknown, text: () => string) =>
  options.json ? Console.log(JSON.stringify(json(), null, 2)) : Console.log(text())
