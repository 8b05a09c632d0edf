import { ConfigSchema } from "@tongbu/pair"
import { Cron, Either, Schema } from "effect"

/**
 * The runner's own keys of `tongbu.yaml` (the pair's are beside them, see `Config.fileSchema`). Every key is optional
 * and has the default of sync-rules.md, so an empty file (or none) is a valid configuration; a blank key (`state:` with
 * its keys commented out) means "defaults" too (see `dropBlanks`).
 */

const { expecting, withDefault, section, PositiveInt, PositiveNumber, NonNegativeInt, Text } = ConfigSchema

const Ratio = expecting(Schema.Number.pipe(Schema.between(0, 1)), "a fraction between 0 and 1")
export const CronExpression = expecting(
  Schema.Trim.pipe(Schema.filter((s) => Either.isRight(Cron.parse(s)))),
  `a cron expression such as "0 * * * *" (minute hour day month weekday)`
)

// The store is a SQLite file (`database`, default `.tongbu/state.db`) or a PostgreSQL database (`url`): see State.ts.
const state = section({
  database: Schema.optional(Text),
  url: Schema.optional(Text),
  passwordFile: Schema.optional(Text),
  poolSize: withDefault(PositiveInt, () => 4),
  leaseSeconds: withDefault(PositiveInt, () => 60)
})

const sync = section({
  maxAttempts: withDefault(PositiveInt, () => 5),
  /** A run with more failed records than this exits non-zero, even though it completed. */
  maxFailures: withDefault(NonNegativeInt, () => 10)
})

const schedules = section({
  push: withDefault(CronExpression, () => "0 * * * *"),
  pull: withDefault(CronExpression, () => "0 2 * * *"),
  full: withDefault(CronExpression, () => "0 3 * * 0"),
  timezone: Schema.optional(Text)
})

const daemon = section({
  host: withDefault(Text, () => "127.0.0.1"),
  port: withDefault(expecting(Schema.Int.pipe(Schema.between(0, 65535)), "a TCP port (0–65535)"), () => 9464),
  tokenFile: Schema.optional(Text)
})

const alerts = section({
  minSuccessRate: withDefault(Ratio, () => 0.8),
  maxFailuresPerHour: withDefault(NonNegativeInt, () => 10),
  maxHoursWithoutSuccess: withDefault(PositiveNumber, () => 2)
})

const log = section({
  level: withDefault(
    expecting(Schema.Literal("debug", "info", "warning", "error"), "one of debug, info, warning, error"),
    () => "info" as const
  ),
  format: withDefault(
    expecting(Schema.Literal("auto", "pretty", "json"), "one of auto, pretty, json"),
    () => "auto" as const
  )
})

/** `pair:` names the pair module the file configures: a package name or a path relative to the file. */
const pair = Schema.optional(expecting(Schema.Trim.pipe(Schema.nonEmptyString()), "a package name or a module's path"))

export const fields = { pair, state, sync, schedules, daemon, alerts, log }
export const ConfigFile = Schema.Struct(fields)
export type ConfigFile = typeof ConfigFile.Type

/** YAML reads a key with nothing after it as null: such a key means "the default", like an absent one. */
export const dropBlanks = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(dropBlanks)
  if (value === null || typeof value !== "object") return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, dropBlanks(v)])
  )
}
