import { FileSystem } from "@effect/platform"
import type { Pair } from "@tongbu/pair"
import { ConfigError } from "@tongbu/pair"
import { Config, Effect, ConfigError as EffectConfigError, Option, Redacted } from "effect"
import type { Sections } from "./Sections.js"

/** The pair's sections with the environment applied over them and the ERP password read. */
export interface Settings extends Omit<Sections, "erp" | "hub"> {
  readonly erp: Omit<Sections["erp"], "url" | "user" | "passwordFile"> & {
    readonly url: Option.Option<string>
    readonly user: Option.Option<string>
    readonly password: Option.Option<Redacted.Redacted<string>>
  }
  readonly hub: Omit<Sections["hub"], "database"> & { readonly database: Option.Option<string> }
  /** Every `missing` error names the file read, as the runner's own do. */
  readonly missing: Pair.ConfigContext["missing"]
}

const Environment = Config.all({
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
  hubDb: Config.option(Config.string("TONGBU_HUB_DB"))
})

/** The environment variables the pair reads, for the head of `tongbu init`'s template. */
export const variables = [
  "TONGBU_ERP_URL, TONGBU_ERP_USER, TONGBU_ERP_PASSWORD (or TONGBU_ERP_PASSWORD_FILE), TONGBU_HUB_DB"
]

export const forbiddenKeys = {
  "erp.password":
    "the password is never read from this file; set TONGBU_ERP_PASSWORD, or point erp.passwordFile (or TONGBU_ERP_PASSWORD_FILE) at a file holding it"
}

export const resolve = (parsed: Sections, context: Pair.ConfigContext) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const env = yield* Effect.mapError(
      Environment,
      (error) =>
        new ConfigError({
          message: `an environment variable is invalid: ${EffectConfigError.isConfigError(error) ? String(error) : error}`
        })
    )
    const passwordFile = Option.orElse(env.erpPasswordFile, () =>
      Option.map(Option.fromNullable(parsed.erp.passwordFile), context.resolve)
    )
    const password = Option.isSome(env.erpPassword)
      ? env.erpPassword
      : Option.isSome(passwordFile)
        ? Option.some(
            yield* fs.readFileString(passwordFile.value).pipe(
              Effect.map((text) => Redacted.make(text.trim())),
              Effect.mapError(
                () => new ConfigError({ message: `cannot read the ERP password file ${passwordFile.value}` })
              )
            )
          )
        : Option.none()
    const settings: Settings = {
      ...parsed,
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
        database: Option.orElse(env.hubDb, () => Option.map(Option.fromNullable(parsed.hub.database), context.resolve))
      },
      missing: context.missing
    }
    return settings
  })

/** The ERP account, for commands that talk to the ERP. */
export const requireErp = (settings: Settings) =>
  Effect.gen(function* () {
    const url = yield* Option.match(settings.erp.url, {
      onNone: () => Effect.fail(settings.missing("the ERP base URL", "erp.url", "TONGBU_ERP_URL")),
      onSome: Effect.succeed
    })
    const user = yield* Option.match(settings.erp.user, {
      onNone: () => Effect.fail(settings.missing("the ERP user", "erp.user", "TONGBU_ERP_USER")),
      onSome: Effect.succeed
    })
    const password = yield* Option.match(settings.erp.password, {
      onNone: () =>
        Effect.fail(
          settings.missing("the ERP password", "erp.passwordFile", "TONGBU_ERP_PASSWORD (or TONGBU_ERP_PASSWORD_FILE)")
        ),
      onSome: Effect.succeed
    })
    return { url, user, password }
  })

/** The hub's SQLite file, for commands that touch the hub. */
export const requireHub = (settings: Settings) =>
  Option.match(settings.hub.database, {
    onNone: () => Effect.fail(settings.missing("the hub database", "hub.database", "TONGBU_HUB_DB")),
    onSome: Effect.succeed
  })
