import { defaultHubAdmissionOptions, defaultHubOptions } from "@tongbu/adapter-wechat-hub"
import { defaultMapping, ZhibangMapping } from "@tongbu/adapter-zhibang"
import { Cron, Either, Schema } from "effect"

/**
 * The shape of `tongbu.yaml`. Every key is optional and has the default of sync-rules.md, so an empty file (or none)
 * is a valid configuration; a blank key (`erp:` with its keys commented out) means "defaults" too (see `dropBlanks`).
 */

const describe = (value: unknown): string => (value === undefined ? "nothing" : JSON.stringify(value))

/** A schema whose failures read "expected <what>, got <value>", whatever part of it failed. */
const expecting = <A, I>(schema: Schema.Schema<A, I>, what: string): Schema.Schema<A, I> =>
  schema.annotations({
    message: (issue) => ({ message: `expected ${what}, got ${describe(issue.actual)}`, override: true })
  })

const withDefault = <S extends Schema.Schema.AnyNoContext>(schema: S, value: () => NoInfer<S["Type"]>) =>
  Schema.optionalWith(schema, { default: value, exact: true })

/** A section of keys, all optional: its default is what its keys default to. */
const section = <F extends Schema.Struct.Fields>(fields: F) => {
  const struct = Schema.Struct(fields)
  // Every field here is context-free; the generic `Struct<F>` cannot say so.
  const decode = Schema.decodeUnknownSync(struct as unknown as Schema.Schema<Schema.Struct.Type<F>>)
  return Schema.optionalWith(struct, { default: () => decode({}), exact: true })
}

export const PositiveInt = expecting(Schema.Int.pipe(Schema.positive()), "a positive whole number")
export const PositiveNumber = expecting(Schema.Number.pipe(Schema.positive()), "a positive number")
const NonNegativeInt = expecting(Schema.Int.pipe(Schema.nonNegative()), "a whole number ≥ 0")
const Score = expecting(Schema.Number.pipe(Schema.between(0, 100)), "a score between 0 and 100")
const Ratio = expecting(Schema.Number.pipe(Schema.between(0, 1)), "a fraction between 0 and 1")
const Text = expecting(Schema.Trim.pipe(Schema.nonEmptyString()), "a non-empty text")
const Bool = expecting(Schema.Boolean, "true or false")
const Url = expecting(
  Schema.Trim.pipe(Schema.filter((s) => URL.canParse(s) && /^https?:/.test(s))),
  "an http(s) URL such as http://erp.example.com:46088"
)
export const CronExpression = expecting(
  Schema.Trim.pipe(Schema.filter((s) => Either.isRight(Cron.parse(s)))),
  `a cron expression such as "0 * * * *" (minute hour day month weekday)`
)
const EnumId = expecting(
  Schema.Union(Schema.Int, Schema.NumberFromString.pipe(Schema.int())),
  "an ERP enum id (a number)"
)

/** The per-field conflict rule of sync-rules §5, in the words a deployment uses. */
export const ConflictRule = expecting(
  Schema.Literal("erpWins", "hubWins", "newestWins", "manual"),
  "one of erpWins, hubWins, newestWins, manual"
)
export type ConflictRule = typeof ConflictRule.Type

/** Canonical fields of the hub↔ERP pair whose conflict rule and fill-in flag a deployment may change. */
export const policyFields = [
  "name",
  "mobile",
  "wechat",
  "email",
  "address",
  "erpCategory",
  "erpFollowLevel",
  "erpSource",
  "erpValue"
] as const
export const PolicyField = expecting(Schema.Literal(...policyFields), `one of ${policyFields.join(", ")}`)
export type PolicyField = typeof PolicyField.Type

const erp = section({
  url: Schema.optional(Url),
  user: Schema.optional(Text),
  passwordFile: Schema.optional(Text),
  concurrency: withDefault(PositiveInt, () => 5),
  requestsPerSecond: withDefault(PositiveNumber, () => 10),
  timeoutSeconds: withDefault(PositiveNumber, () => 30)
})

const hub = section({
  database: Schema.optional(Text),
  /** The zone of the hub's naive Python timestamps. */
  timeZone: withDefault(Text, () => defaultHubOptions.timeZone),
  /** Create a pending customer row for each promoted WeChat contact that has none. */
  intake: withDefault(Bool, () => defaultHubOptions.intake),
  /** The language of `erp_sync_error`, read by the hub's sales staff; absent: the reports' (`--lang`, …). */
  language: Schema.optional(expecting(Schema.Literal("en", "zh"), "en or zh"))
})

const state = section({
  database: withDefault(Text, () => ".tongbu/state.db"),
  leaseSeconds: withDefault(PositiveInt, () => 60)
})

const sync = section({
  maxAttempts: withDefault(PositiveInt, () => 5),
  /** A run with more failed records than this exits non-zero, even though it completed. */
  maxFailures: withDefault(NonNegativeInt, () => 10)
})

const admission = defaultHubAdmissionOptions

const policy = section({
  conflicts: section(
    Object.fromEntries(policyFields.map((field) => [field, withDefault(ConflictRule, () => "erpWins")])) as {
      readonly [K in PolicyField]: ReturnType<typeof withDefault<typeof ConflictRule>>
    }
  ),
  fillIn: withDefault(Schema.Array(PolicyField), () => ["wechat", "email", "address"] as const),
  /** Fields the ERP's duplicate check (查重) refuses twice (zhibang-wire: configured per installation). */
  erpUnique: withDefault(Schema.Array(PolicyField), () => ["name", "mobile"] as const),
  /** Which hub customers may be pushed (sync-rules §2); the hub adapter's `hubAdmission` options. */
  admission: section({
    requireMobile: withDefault(Bool, () => admission.requireMobile),
    requireVerifiedPhone: withDefault(Bool, () => admission.requireVerifiedPhone),
    minNameLength: withDefault(PositiveInt, () => admission.minNameLength),
    rejectFormsOfAddress: withDefault(Bool, () => admission.rejectFormsOfAddress),
    formsOfAddress: withDefault(Schema.Array(Text), () => admission.formsOfAddress),
    minScore: withDefault(Score, () => admission.minScore),
    requireCompanyName: withDefault(Bool, () => admission.requireCompanyName),
    rejectMarkedInvalid: withDefault(Bool, () => admission.rejectMarkedInvalid)
  }),
  pull: section({
    /** Pull only ERP customers of these sources (`ly` ids); empty = all (sync-rules §4's choice). */
    sources: withDefault(Schema.Array(EnumId), () => [])
  }),
  /** New conversation content of linked customers becomes ERP follow-up records (洽谈进展). */
  followUps: withDefault(Bool, () => true)
})

/** The ERP values of sync-rules §3 and §6 (ly, sort1, the jz scale, follow-up templates, assignment tiers). */
const mapping = Schema.optionalWith(ZhibangMapping, { default: () => defaultMapping, exact: true })

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

export const ConfigFile = Schema.Struct({ erp, hub, state, sync, policy, mapping, schedules, daemon, alerts, log })
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
