import { FileSystem, Path } from "@effect/platform"
import {
  Config,
  Data,
  Effect,
  ConfigError as EffectConfigError,
  Either,
  Option,
  ParseResult,
  Redacted,
  Schema
} from "effect"
import * as Yaml from "yaml"
import { ConfigFile, dropBlanks } from "./ConfigFile.js"

/** The configuration is unusable: the message names the file, the key and what was expected. */
export class ConfigError extends Data.TaggedError("ConfigError")<{ readonly message: string }> {}

/** The configuration file, validated, with the environment applied over it and the secrets read. */
export interface Settings extends Omit<ConfigFile, "erp" | "hub" | "daemon"> {
  /** The file read, if any. */
  readonly file: Option.Option<string>
  readonly erp: Omit<ConfigFile["erp"], "url" | "user" | "passwordFile"> & {
    readonly url: Option.Option<string>
    readonly user: Option.Option<string>
    readonly password: Option.Option<Redacted.Redacted<string>>
  }
  readonly hub: Omit<ConfigFile["hub"], "database"> & { readonly database: Option.Option<string> }
  readonly daemon: ConfigFile["daemon"] & { readonly token: Option.Option<Redacted.Redacted<string>> }
}

export const DEFAULT_FILE = "tongbu.yaml"

const Environment = Config.all({
  file: Config.option(Config.string("TONGBU_CONFIG")),
  erpUrl: Config.option(
    Config.string("TONGBU_ERP_URL").pipe(
      Config.validate({
        message: "expected an http(s) URL such as http://erp.example.com:46088",
        validation: (s) => URL.canParse(s) && /^https?:/.test(s)
      })
    )
  ),
  erpUser: Config.option(Config.string("TONGBU_ERP_USER")),
  erpPassword: Config.option(Config.redacted("TONGBU_ERP_PASSWORD")),
  erpPasswordFile: Config.option(Config.string("TONGBU_ERP_PASSWORD_FILE")),
  hubDb: Config.option(Config.string("TONGBU_HUB_DB")),
  stateDb: Config.option(Config.string("TONGBU_STATE_DB")),
  daemonToken: Config.option(Config.redacted("TONGBU_DAEMON_TOKEN"))
})

const keyOf = (path: ReadonlyArray<PropertyKey>): string => path.map(String).join(".")

/** One line per problem: "key `erp.concurrency`: expected a positive whole number, got "four"". */
export const formatIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => {
      const key = keyOf(issue.path)
      if (issue._tag === "Unexpected") {
        return key === "erp.password"
          ? "key `erp.password`: the password is never read from this file; set TONGBU_ERP_PASSWORD, or point erp.passwordFile (or TONGBU_ERP_PASSWORD_FILE) at a file holding it"
          : `key \`${key}\`: unknown key (${issue.message.replace(/^is unexpected, /, "")})`
      }
      const message = issue.message.replace(
        /^Expected Struct \(Encoded side\), actual (.*)$/,
        "expected a section (keys below it), got $1"
      )
      return key === "" ? `the file must hold a YAML mapping of sections: ${message}` : `key \`${key}\`: ${message}`
    })
    .join("\n")

/** Parses and validates the text of a configuration file; `name` is how errors refer to it. */
export const parseConfigFile = (text: string, name: string): Either.Either<ConfigFile, ConfigError> => {
  const document = Yaml.parseDocument(text, { prettyErrors: true })
  const [yamlError] = document.errors
  if (yamlError !== undefined) {
    return Either.left(new ConfigError({ message: `${name} is not valid YAML: ${yamlError.message}` }))
  }
  return Schema.decodeUnknownEither(ConfigFile, { errors: "all", onExcessProperty: "error" })(
    dropBlanks(document.toJS()) ?? {}
  ).pipe(
    Either.mapLeft(
      (error) => new ConfigError({ message: `${name} is not a valid configuration:\n${formatIssues(error)}` })
    )
  )
}

const readSecret = (fs: FileSystem.FileSystem, file: string, what: string) =>
  fs.readFileString(file).pipe(
    Effect.map((text) => Redacted.make(text.trim())),
    Effect.mapError(() => new ConfigError({ message: `cannot read the ${what} file ${file}` }))
  )

/**
 * Reads the configuration: `explicit` (--config), else TONGBU_CONFIG, else ./tongbu.yaml when it exists, else
 * defaults only. Relative paths in a file are relative to the file; the environment overrides the file.
 */
export const load = (explicit: Option.Option<string>) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const env = yield* Effect.mapError(
      Environment,
      (error) =>
        new ConfigError({
          message: `an environment variable is invalid: ${EffectConfigError.isConfigError(error) ? String(error) : error}`
        })
    )
    const requested = Option.orElse(explicit, () => env.file)
    const exists = (file: string) => fs.exists(file).pipe(Effect.orElseSucceed(() => false))
    const file = Option.isSome(requested)
      ? Option.some(path.resolve(requested.value))
      : (yield* exists(DEFAULT_FILE))
        ? Option.some(path.resolve(DEFAULT_FILE))
        : Option.none<string>()
    if (Option.isSome(file) && !(yield* exists(file.value))) {
      return yield* new ConfigError({
        message: `configuration file ${file.value} not found (run \`tongbu init\` to write one)`
      })
    }
    const parsed = Option.isSome(file)
      ? yield* fs.readFileString(file.value).pipe(
          Effect.mapError(() => new ConfigError({ message: `cannot read the configuration file ${file.value}` })),
          Effect.flatMap((text) => parseConfigFile(text, file.value))
        )
      : yield* parseConfigFile("", "the default configuration")
    const base = Option.match(file, { onNone: () => path.resolve("."), onSome: (f) => path.dirname(f) })
    const fromFile = (p: string) => path.resolve(base, p)
    const passwordFile = Option.orElse(env.erpPasswordFile, () =>
      Option.map(Option.fromNullable(parsed.erp.passwordFile), fromFile)
    )
    const password = Option.isSome(env.erpPassword)
      ? env.erpPassword
      : Option.isSome(passwordFile)
        ? Option.some(yield* readSecret(fs, passwordFile.value, "ERP password"))
        : Option.none()
    const tokenFile = Option.map(Option.fromNullable(parsed.daemon.tokenFile), fromFile)
    const token = Option.isSome(env.daemonToken)
      ? env.daemonToken
      : Option.isSome(tokenFile)
        ? Option.some(yield* readSecret(fs, tokenFile.value, "daemon token"))
        : Option.none()
    const settings: Settings = {
      ...parsed,
      file,
      erp: {
        concurrency: parsed.erp.concurrency,
        requestsPerSecond: parsed.erp.requestsPerSecond,
        timeoutSeconds: parsed.erp.timeoutSeconds,
        url: Option.orElse(env.erpUrl, () => Option.fromNullable(parsed.erp.url)),
        user: Option.orElse(env.erpUser, () => Option.fromNullable(parsed.erp.user)),
        password
      },
      hub: {
        ...parsed.hub,
        database: Option.orElse(env.hubDb, () => Option.map(Option.fromNullable(parsed.hub.database), fromFile))
      },
      state: { ...parsed.state, database: Option.getOrElse(env.stateDb, () => fromFile(parsed.state.database)) },
      daemon: { ...parsed.daemon, token }
    }
    return settings
  })

const missing = (settings: Settings, what: string, key: string, variable: string) =>
  new ConfigError({
    message: `${what} is not configured: set ${variable}${Option.match(settings.file, {
      onNone: () => ` (or \`${key}\` in a configuration file, see \`tongbu init\`)`,
      onSome: (f) => ` or \`${key}\` in ${f}`
    })}`
  })

/** The ERP account, for commands that talk to the ERP. */
export const requireErp = (settings: Settings) =>
  Effect.gen(function* () {
    const url = yield* Option.match(settings.erp.url, {
      onNone: () => Effect.fail(missing(settings, "the ERP base URL", "erp.url", "TONGBU_ERP_URL")),
      onSome: Effect.succeed
    })
    const user = yield* Option.match(settings.erp.user, {
      onNone: () => Effect.fail(missing(settings, "the ERP user", "erp.user", "TONGBU_ERP_USER")),
      onSome: Effect.succeed
    })
    const password = yield* Option.match(settings.erp.password, {
      onNone: () =>
        Effect.fail(
          missing(settings, "the ERP password", "erp.passwordFile", "TONGBU_ERP_PASSWORD (or TONGBU_ERP_PASSWORD_FILE)")
        ),
      onSome: Effect.succeed
    })
    return { url, user, password }
  })

/** The hub's SQLite file, for commands that touch the hub. */
export const requireHub = (settings: Settings) =>
  Option.match(settings.hub.database, {
    onNone: () => Effect.fail(missing(settings, "the hub database", "hub.database", "TONGBU_HUB_DB")),
    onSome: Effect.succeed
  })
