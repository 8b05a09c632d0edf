import type { Pair } from "@tongbu/pair"
import { ConfigError } from "@tongbu/pair"
import { Config, Effect, ConfigError as EffectConfigError, Option } from "effect"
import type { Sections } from "./Sections.js"
import { required } from "./Sections.js"

type Table = NonNullable<Sections["table"]>

/** The pair's sections with the environment applied over them and their paths made absolute. */
export interface Settings extends Omit<Sections, "hub" | "table"> {
  readonly hub: Omit<Sections["hub"], "database"> & { readonly database: Option.Option<string> }
  /** The table's options; its `path` from the file or TONGBU_SQL_TABLE_PATH. */
  readonly table: Option.Option<Table>
  readonly missing: Pair.ConfigContext["missing"]
}

const Environment = Config.all({
  hubDb: Config.option(Config.string("TONGBU_HUB_DB")),
  tablePath: Config.option(Config.string("TONGBU_SQL_TABLE_PATH"))
})

export const variables = ["TONGBU_HUB_DB, TONGBU_SQL_TABLE_PATH (the table's SQLite file),"]

export const resolve = (parsed: Sections, context: Pair.ConfigContext) =>
  Effect.gen(function* () {
    const env = yield* Effect.mapError(
      Environment,
      (error) =>
        new ConfigError({
          message: `an environment variable is invalid: ${EffectConfigError.isConfigError(error) ? String(error) : error}`
        })
    )
    const table = Option.fromNullable(parsed.table).pipe(
      Option.map((table) => ({
        ...table,
        path: Option.getOrElse(env.tablePath, () =>
          table.path === undefined ? undefined : context.resolve(table.path)
        )
      }))
    )
    const settings: Settings = {
      ...parsed,
      hub: {
        ...parsed.hub,
        database: Option.orElse(env.hubDb, () => Option.map(Option.fromNullable(parsed.hub.database), context.resolve))
      },
      table,
      missing: context.missing
    }
    return settings
  })

export const requireHub = (settings: Settings) =>
  Option.match(settings.hub.database, {
    onNone: () => Effect.fail(settings.missing("the hub database", "hub.database", "TONGBU_HUB_DB")),
    onSome: Effect.succeed
  })

/** The table's options, its file named. */
export const requireTable = (settings: Settings) =>
  Effect.gen(function* () {
    const table = yield* Option.match(settings.table, {
      onNone: () =>
        Effect.fail(
          new ConfigError({
            message:
              "the customer table is not configured: add a `table` section (path, table, idColumn, columns, versionColumn) to the configuration file, see `tongbu init`"
          })
        ),
      onSome: Effect.succeed
    })
    if (table.path === undefined)
      return yield* settings.missing("the customer table's file", "table.path", "TONGBU_SQL_TABLE_PATH")
    const unnamed = required.filter((field) => table.columns[field] === undefined)
    if (unnamed.length > 0)
      return yield* new ConfigError({
        message: `key \`table.columns\` must name the column of ${required.join(", ")}: ${unnamed.join(", ")} missing`
      })
    return { ...table, path: table.path }
  })
