import { FileSystem } from "@effect/platform"
import { ConfigError } from "@tongbu/pair"
import type { PostgresStore } from "@tongbu/store-postgres"
import { Effect, Option, Redacted } from "effect"
import type { ConfigFile } from "./ConfigFile.js"

/**
 * Which state store a pair's settings name: a SQLite file (`state.database`, the default) or a PostgreSQL database
 * (`state.url`, its password from TONGBU_STATE_PASSWORD or `state.passwordFile`, never from the URL).
 */
export type StateStore =
  | { readonly _tag: "Sqlite"; readonly database: string }
  | {
      readonly _tag: "Postgres"
      /** `postgres://user@host:port/database`, without a password. */
      readonly url: string
      readonly password: Option.Option<Redacted.Redacted<string>>
      readonly poolSize: number
    }

/** The PostgreSQL store's database, as `PostgresStore` opens it. */
export const databaseOf = (
  store: Extract<StateStore, { readonly _tag: "Postgres" }>
): PostgresStore.DatabaseConfig => ({
  url: store.url,
  poolSize: store.poolSize,
  ...Option.match(store.password, { onNone: () => ({}), onSome: (password) => ({ password }) })
})

/** The store as messages name it: the file, or the URL (which holds no password). */
export const nameOf = (store: StateStore): string => (store._tag === "Sqlite" ? store.database : store.url)

/** What the environment may say of the store; a listed pair reads these under its own prefix (`TONGBU_<ID>_…`). */
export interface StateEnvironment {
  readonly database: Option.Option<string>
  readonly url: Option.Option<string>
  readonly password: Option.Option<Redacted.Redacted<string>>
}

export interface StateContext {
  /** The file the keys come from, for messages. */
  readonly name: string
  /** Where the keys are in it: `state.` or `pairs[1].state.`. */
  readonly key: string
  /** The name a variable has for this pair: `TONGBU_STATE_URL`, or `TONGBU_ACME_STATE_URL` for a listed pair. */
  readonly variable: (name: string) => string
  readonly resolve: (path: string) => string
  /** The pair's own SQLite file when it names no store. */
  readonly defaultDatabase: string
}

const invalid = (message: string) => new ConfigError({ message })

/** Checks a `state.url`: a postgres:// URL naming a database, without a password (never echoed). */
const checkUrl = (raw: string, where: string, password: string): Either<string> => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { error: `${where} is not a URL: expected postgres://user@host:port/database` }
  }
  if (url.password !== "")
    return {
      error: `${where} carries a password: remove it from the URL and set ${password} or state.passwordFile instead (the password is never read from the URL, which is shown in messages)`
    }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    return { error: `${where} is not a postgres:// URL (${url.protocol}): expected postgres://user@host:port/database` }
  if (url.pathname.replace(/^\//, "") === "")
    return { error: `${where} names no database: expected postgres://user@host:port/database` }
  return { value: url.href }
}

type Either<A> = { readonly value: A } | { readonly error: string }

/**
 * The store of one pair's `state` keys with the environment over them: TONGBU_STATE_URL over `state.url`,
 * TONGBU_STATE_DB over `state.database`. Naming both a URL and a file is an error naming both, whichever sets them.
 */
export const resolve = (keys: ConfigFile["state"], env: StateEnvironment, context: StateContext) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const urlVariable = context.variable("TONGBU_STATE_URL")
    const passwordVariable = context.variable("TONGBU_STATE_PASSWORD")
    const url = Option.isSome(env.url)
      ? Option.some({ raw: env.url.value, where: urlVariable })
      : Option.map(Option.fromNullable(keys.url), (raw) => ({
          raw,
          where: `key \`${context.key}url\` in ${context.name}`
        }))
    const database = Option.isSome(env.database)
      ? Option.some({ path: env.database.value, where: context.variable("TONGBU_STATE_DB") })
      : Option.map(Option.fromNullable(keys.database), (path) => ({
          path: context.resolve(path),
          where: `\`${context.key}database\``
        }))
    if (Option.isNone(url)) {
      if (keys.passwordFile !== undefined)
        return yield* invalid(
          `key \`${context.key}passwordFile\` in ${context.name}: only a PostgreSQL store (\`${context.key}url\`) has a password`
        )
      return {
        _tag: "Sqlite",
        database: Option.match(database, { onNone: () => context.defaultDatabase, onSome: (d) => d.path })
      } as StateStore
    }
    if (Option.isSome(database))
      return yield* invalid(
        `${url.value.where} and ${database.value.where} both name the state store: keep \`${context.key}url\` for PostgreSQL or \`${context.key}database\` for a SQLite file, not both`
      )
    const checked = checkUrl(url.value.raw, url.value.where, passwordVariable)
    if ("error" in checked) return yield* invalid(checked.error)
    const passwordFile = Option.map(Option.fromNullable(keys.passwordFile), context.resolve)
    const password = Option.isSome(env.password)
      ? env.password
      : Option.isSome(passwordFile)
        ? Option.some(
            yield* fs.readFileString(passwordFile.value).pipe(
              Effect.map((text) => Redacted.make(text.trim())),
              Effect.mapError(() => invalid(`cannot read the state store's password file ${passwordFile.value}`))
            )
          )
        : Option.none()
    return { _tag: "Postgres", url: checked.value, password, poolSize: keys.poolSize } as StateStore
  })
