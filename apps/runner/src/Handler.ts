import { Options } from "@effect/cli"
import type { Pair } from "@tongbu/pair"
import { Cause, Console, Context, Data, Effect, Layer, Option } from "effect"
import type { RunnerSettings, Settings } from "./Config.js"
import * as Config from "./Config.js"
import { CommandFailed, ExitCode } from "./Exit.js"
import * as Lang from "./Lang.js"
import * as Logging from "./Logging.js"
import * as Pairs from "./Pairs.js"
import * as StateDatabases from "./StateDatabases.js"

/** `--config`, `--json` and `--lang`, which every command takes. */
export const common = {
  lang: Lang.option,
  config: Options.file("config").pipe(
    Options.withDescription("the configuration file (default: $TONGBU_CONFIG, else ./tongbu.yaml when it exists)"),
    Options.optional
  ),
  json: Options.boolean("json").pipe(Options.withDescription("print one JSON object for machines instead of text"))
}

/** `--pair <id>`, of the commands about one pair's state. */
export const pairOption = Options.text("pair").pipe(
  Options.withDescription(
    "the pair the command is about: its `id` under `pairs:` (needed when the configuration lists more than one)"
  ),
  Options.optional
)

export interface Common {
  readonly config: Option.Option<string>
  readonly json: boolean
  readonly lang: Option.Option<Lang.Lang>
  /** `--pair`, for the commands that take it. */
  readonly pair?: Option.Option<string>
}

/** The pair this process runs (`pair:` of the configuration, or the one `Runner.main` was given). */
export class CurrentPair extends Context.Tag("@tongbu/runner/CurrentPair")<CurrentPair, Pair.Any>() {}

/** The pairs `pair:` may name by their name (those `Runner.main` was given), besides modules and packages. */
export class KnownPairs extends Context.Tag("@tongbu/runner/KnownPairs")<KnownPairs, ReadonlyArray<Pair.Any>>() {}

/** The configuration the command's `--config` names: its pairs, each with its settings or its error. */
export const configuration = (options: Common) =>
  Effect.gen(function* () {
    const current = yield* CurrentPair
    const known = Option.getOrElse(yield* Effect.serviceOption(KnownPairs), () => [])
    return yield* Pairs.load(current, known, options.config)
  })

const where = (configuration: Pairs.Configuration) =>
  Option.getOrElse(configuration.file, () => "the default configuration")

/** The pairs a command is about: the one `--pair` names, else every pair; a pair's bad configuration fails it. */
export const chosen = (configuration: Pairs.Configuration, given: Option.Option<string>) =>
  Effect.gen(function* () {
    const ids = configuration.pairs.map((entry) => entry.id).join(", ")
    const entries = Option.isNone(given)
      ? configuration.pairs
      : configuration.pairs.filter((entry) => entry.id === given.value)
    if (Option.isSome(given) && entries.length === 0) {
      return yield* new Config.ConfigError({
        message: configuration.listed
          ? `--pair ${given.value}: ${where(configuration)} lists no such pair (its pairs: ${ids})`
          : `--pair ${given.value}: ${where(configuration)} configures one pair, ${Config.DEFAULT_ID}, without \`pairs:\``
      })
    }
    return yield* Effect.forEach(entries, (entry) =>
      Effect.map(entry.settings, (settings) => ({ id: entry.id, pair: entry.pair, settings }))
    )
  })

/** The one pair a command is about: `--pair`, which the configuration needs when it lists several. */
export const chosenOne = (configuration: Pairs.Configuration, given: Option.Option<string>) =>
  Effect.gen(function* () {
    if (Option.isNone(given) && configuration.pairs.length > 1) {
      return yield* new Config.ConfigError({
        message: `${where(configuration)} lists ${configuration.pairs.length} pairs (${configuration.pairs.map((e) => e.id).join(", ")}): say which with --pair <id>`
      })
    }
    const [one] = yield* chosen(configuration, given)
    // `chosen` yields the pair asked for, or fails
    return one as NonNullable<typeof one>
  })

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
export const logging = (settings: Pick<RunnerSettings, "log">) =>
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
      const one = yield* chosenOne(yield* configuration(options), options.pair ?? Option.none())
      const lang = yield* Lang.resolve(options.lang)
      return yield* Effect.provide(
        body(one.settings, lang, one.pair),
        Layer.merge(logging(one.settings), StateDatabases.layer)
      )
    })
  )

/** One pair's part in a command about several: its id, its module and its settings. */
export interface Chosen {
  readonly id: string
  readonly pair: Pair.Any
  readonly settings: Settings<unknown>
}

/**
 * As `handle`, for a command that lists the state of every pair (`runs`, `alerts`, `conflicts`): the one `--pair`
 * names, else all of them; `listed` says whether the configuration lists pairs (its output then names them).
 */
export const handleAll = <E, R>(
  options: Common,
  body: (pairs: ReadonlyArray<Chosen>, lang: Lang.Lang, listed: boolean) => Effect.Effect<void, E, R>
) =>
  guard(
    options,
    Effect.gen(function* () {
      const found = yield* configuration(options)
      const pairs = yield* chosen(found, options.pair ?? Option.none())
      const lang = yield* Lang.resolve(options.lang)
      // the pairs that share a PostgreSQL database read it through one pool
      return yield* Effect.provide(body(pairs, lang, found.listed), Layer.merge(logging(found), StateDatabases.layer))
    })
  )

/** Prints a command's result: `json` with --json, else `text`. */
export const output = (options: { readonly json: boolean }, json: () => unknown, text: () => string) =>
  options.json ? Console.log(JSON.stringify(json(), null, 2)) : Console.log(text())
