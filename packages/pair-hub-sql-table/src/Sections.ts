import { SqlTableOptions } from "@tongbu/adapter-sql-table"
import { defaultHubOptions } from "@tongbu/adapter-wechat-hub"
import { ConfigSchema } from "@tongbu/pair"
import { Schema } from "effect"

/** The pair's keys of `tongbu.yaml`: `hub`, `table` (the adapter's own options) and `policy`. */

const { expecting, withDefault, section, Text, Bool } = ConfigSchema

/** Fields the table's `columns` must name a column of; `wechat`, `email`, `address` are synced when named. */
export const required = ["code", "name", "mobile"] as const

export const ConflictRule = expecting(
  Schema.Literal("hubWins", "tableWins", "newestWins", "manual"),
  "one of hubWins, tableWins, newestWins, manual"
)
export type ConflictRule = typeof ConflictRule.Type

const conflicted = ["name", "mobile", "wechat", "email", "address"] as const
export type ConflictField = (typeof conflicted)[number]

const hub = section({
  database: Schema.optional(Text),
  timeZone: withDefault(Text, () => defaultHubOptions.timeZone),
  intake: withDefault(Bool, () => false)
})

/** `SqlTableOptions` as the adapter declares them; `path` may come from TONGBU_SQL_TABLE_PATH instead. */
const table = Schema.optional(Schema.Struct({ ...SqlTableOptions.fields, path: Schema.optional(Text) }))

const policy = section({
  conflicts: section(
    Object.fromEntries(conflicted.map((field) => [field, withDefault(ConflictRule, () => "tableWins")])) as {
      readonly [K in ConflictField]: ReturnType<typeof withDefault<typeof ConflictRule>>
    }
  ),
  /** Fields copied only into an empty field, never over a value. */
  fillIn: withDefault(
    Schema.Array(expecting(Schema.Literal(...conflicted), conflicted.join(", "))),
    () => ["wechat"] as const
  )
})

export const sections = { hub, table, policy }
export type Sections = Schema.Struct.Type<typeof sections>
