import { FileSystem, Path } from "@effect/platform"
import type { Pair } from "@tongbu/pair"
import { ConfigError } from "@tongbu/pair"
import { Settings as HubZhibangSettings } from "@tongbu/pair-hub-zhibang"
import { Config, Effect, ConfigError as EffectConfigError, Either, Option, ParseResult, Redacted, Schema } from "effect"
import * as Yaml from "yaml"
import type { ConfigFile } from "./ConfigFile.js"
import { dropBlanks, fields } from "./ConfigFile.js"
import { defaultPair } from "./DefaultPair.js"
import * as State from "./State.js"

export { ConfigError } from "@tongbu/pair"

/** The runner's own keys, validated, with the environment applied over them and the secrets read. */
export interface RunnerSettings extends Omit<ConfigFile, "daemon" | "state"> {
  /** The pair's id: its `id` in `pairs:`, `default` for a file without `pairs:`. */
  readonly id: string
  /** The file read, if any. */
  readonly file: Option.Option<string>
  readonly daemon: ConfigFile["daemon"] & { readonly token: Option.Option<Redacted.Redacted<string>> }
  readonly state: { readonly leaseSeconds: number; readonly store: State.StateStore }
}

/** The settings of a pair (`S`, the default pair's unless said) and of the runner, side by side as in the file. */
export type Settings<S = HubZhibangSettings.Settings> = RunnerSettings & S

export const DEFAULT_FILE = "tongbu.yaml"

const Environment = Config.all({
  file: Config.option(Config.string("TONGBU_CONFIG")),
  stateDb: Config.option(Config.string("TONGBU_STATE_DB")),
  stateUrl: Config.option(Config.string("TONGBU_STATE_URL")),
  statePassword: Config.option(Config.redacted("TONGBU_STATE_PASSWORD")),
  daemonToken: Config.option(Config.redacted("TONGBU_DAEMON_TOKEN"))
})

const keyOf = (path: ReadonlyArray<PropertyKey>): string => path.map(String).join(".")

/** One line per problem: "key `erp.concurrency`: expected a positive whole number, got "four"". */
export const formatIssues = (
  error: ParseResult.ParseError,
  forbidden: Readonly<Record<string, string>> = defaultPair.forbiddenKeys,
  /** Where the decoded value is in the file (`pairs[2].`), for the keys the lines name. */
  prefix = ""
): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => {
      const local = keyOf(issue.path)
      const key = `${prefix}${local}`
      if (issue._tag === "Unexpected") {
        const why = forbidden[local]
        return why !== undefined
          ? `key \`${key}\`: ${why}`
          : `key \`${key}\`: unknown key (${issue.message.replace(/^is unexpected, /, "")})`
      }
      const message = issue.message.replace(
        /^Expected Struct \(Encoded side\), actual (.*)$/,
        "expected a section (keys below it), got $1"
      )
      return key === ""
        ? `the file must hold a YAML mapping of sections: ${message}`
        : local === ""
          ? `key \`${prefix.replace(/\.$/, "")}\`: ${message}`
          : `key \`${key}\`: ${message}`
    })
    .join("\n")

/** The whole file: the runner's keys and the pair's sections. */
export const fileSchema = (pair: Pair.Any) => Schema.Struct({ ...pair.sections, ...fields })

/** Parses and validates the text of a configuration file for `pair`; `name` is how errors refer to it. */
export const parseConfigFile = (
  text: string,
  name: string,
  pair: Pair.Any = defaultPair
): Either.Either<ConfigFile & Record<string, unknown>, ConfigError> => {
  const document = Yaml.parseDocument(text, { prettyErrors: true })
  const [yamlError] = document.errors
  if (yamlError !== undefined) {
    return Either.left(new ConfigError({ message: `${name} is not valid YAML: ${yamlError.message}` }))
  }
  // every field is context-free (the runner's and each pair's sections are built of `ConfigSchema`)
  const schema = fileSchema(pair) as unknown as Schema.Schema<ConfigFile & Record<string, unknown>>
  return Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })(
    dropBlanks(document.toJS()) ?? {}
  ).pipe(
    Either.mapLeft(
      (error) =>
        new ConfigError({
          message: `${name} is not a valid configuration:\n${formatIssues(error, pair.forbiddenKeys)}`
        })
    )
  )
}

const readSecret = (fs: FileSystem.FileSystem, file: string, what: string) =>
  fs.readFileString(file).pipe(
    Effect.map((text) => Redacted.make(text.trim())),
    Effect.mapError(() => new ConfigError({ message: `cannot read the ${what} file ${file}` }))
  )

/** The configuration file `explicit` (--config) names, else TONGBU_CONFIG, else ./tongbu.yaml when it exists. */
export const locate = (explicit: Option.Option<string>) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const env = yield* readEnvironment
    const requested = Option.orElse(explicit, () => env.file)
    const exists = (file: string) => fs.exists(file).pipe(Effect.orElseSucceed(() => false))
    return Option.isSome(requested)
      ? Option.some(path.resolve(requested.value))
      : (yield* exists(DEFAULT_FILE))
        ? Option.some(path.resolve(DEFAULT_FILE))
        : Option.none<string>()
  })

const readEnvironment = Effect.mapError(
  Environment,
  (error) =>
    new ConfigError({
      message: `an environment variable is invalid: ${EffectConfigError.isConfigError(error) ? String(error) : error}`
    })
)

const missing = (file: Option.Option<string>) => (what: string, key: string, variable: string) =>
  new ConfigError({
    message: `${what} is not configured: set ${variable}${Option.match(file, {
      onNone: () => ` (or \`${key}\` in a configuration file, see \`tongbu init\`)`,
      onSome: (f) => ` or \`${key}\` in ${f}`
    })}`
  })

/** Where a file's relative paths start, how they are resolved, and how a missing setting is worded. */
export interface FileContext {
  readonly file: Option.Option<string>
  readonly resolve: (path: string) => string
}

export const fileContext = (file: Option.Option<string>) =>
  Effect.map(Path.Path, (path): FileContext => {
    const base = Option.match(file, { onNone: () => path.resolve("."), onSome: (f) => path.dirname(f) })
    return { file, resolve: (p) => path.resolve(base, p) }
  })

/** The text of the configuration file (see `locate`), or none: defaults only. */
export const readFile = (explicit: Option.Option<string>) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const file = yield* locate(explicit)
    if (Option.isNone(file)) return { file, text: "" }
    if (!(yield* fs.exists(file.value).pipe(Effect.orElseSucceed(() => false)))) {
      return yield* new ConfigError({
        message: `configuration file ${file.value} not found (run \`tongbu init\` to write one)`
      })
    }
    const text = yield* fs
      .readFileString(file.value)
      .pipe(Effect.mapError(() => new ConfigError({ message: `cannot read the configuration file ${file.value}` })))
    return { file, text }
  })

/** The daemon's keys with its token read: TONGBU_DAEMON_TOKEN, else `daemon.tokenFile`. */
export const daemonOf = (daemon: ConfigFile["daemon"], context: FileContext) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const env = yield* readEnvironment
    const tokenFile = Option.map(Option.fromNullable(daemon.tokenFile), context.resolve)
    const token = Option.isSome(env.daemonToken)
      ? env.daemonToken
      : Option.isSome(tokenFile)
        ? Option.some(yield* readSecret(fs, tokenFile.value, "daemon token"))
        : Option.none()
    return { ...daemon, token }
  })

/** Where a pair is in its file, for its messages and its defaults: `default` at the top, or an entry of `pairs:`. */
export interface PairPlace {
  readonly id: string
  readonly daemon: RunnerSettings["daemon"]
  /** `pairs[1].` for an entry of `pairs:`, empty at the top. */
  readonly key: string
  /** The pair's name of a variable (`TONGBU_ACME_STATE_URL`); the variables are read under it already. */
  readonly variable: (name: string) => string
  /** Its SQLite file when it names no store, relative to the file. */
  readonly defaultDatabase: string
}

/**
 * One pair's settings from its decoded keys: the pair reads its sections (its environment variables, its secrets),
 * the runner its store (see `State.resolve`).
 */
export const settingsOf = <S>(
  pair: Pair.Pair<S>,
  parsed: ConfigFile & Record<string, unknown>,
  context: FileContext,
  runner: PairPlace
) =>
  Effect.gen(function* () {
    const env = yield* readEnvironment
    const sections = Object.fromEntries(Object.keys(pair.sections).map((key) => [key, parsed[key]]))
    const own = yield* pair.settings(sections, {
      file: context.file,
      resolve: context.resolve,
      missing: missing(context.file)
    })
    const settings: Settings<S> = {
      ...own,
      id: runner.id,
      pair: parsed.pair,
      state: {
        leaseSeconds: parsed.state.leaseSeconds,
        store: yield* State.resolve(
          parsed.state,
          { database: env.stateDb, url: env.stateUrl, password: env.statePassword },
          {
            name: Option.getOrElse(context.file, () => "the default configuration"),
            key: `${runner.key}state.`,
            variable: runner.variable,
            resolve: context.resolve,
            defaultDatabase: context.resolve(runner.defaultDatabase)
          }
        )
      },
      sync: parsed.sync,
      schedules: parsed.schedules,
      alerts: parsed.alerts,
      log: parsed.log,
      file: context.file,
      daemon: runner.daemon
    }
    return settings
  })

/** The id of the one pair of a file without `pairs:`. */
export const DEFAULT_ID = "default"

/**
 * Reads the configuration of `pair` (see `locate`), or defaults only without a file. Relative paths in a file are
 * relative to the file; the environment overrides the file. For a file without `pairs:` (see `Pairs.load`).
 */
export const loadWith =
  <S>(pair: Pair.Pair<S>) =>
  (explicit: Option.Option<string>) =>
    Effect.gen(function* () {
      const { file, text } = yield* readFile(explicit)
      const parsed = yield* parseConfigFile(
        text,
        Option.getOrElse(file, () => "the default configuration"),
        pair
      )
      const context = yield* fileContext(file)
      const daemon = yield* daemonOf(parsed.daemon, context)
      return yield* settingsOf(pair, parsed, context, {
        id: DEFAULT_ID,
        daemon,
        key: "",
        variable: (name) => name,
        defaultDatabase: ".tongbu/state.db"
      })
    })

/** Reads the configuration of the default pair (see `loadWith`). */
export const load = loadWith(defaultPair)

/** The default pair's ERP account and hub file, for commands and tests of that pair. */
export const { requireErp, requireHub } = HubZhibangSettings
