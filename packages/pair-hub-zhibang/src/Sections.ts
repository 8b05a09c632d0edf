import { defaultHubAdmissionOptions, defaultHubOptions } from "@tongbu/adapter-wechat-hub"
import { defaultMapping, ZhibangMapping } from "@tongbu/adapter-zhibang"
import { ConfigSchema } from "@tongbu/pair"
import { Schema } from "effect"

/**
 * The hub↔ERP pair's keys of `tongbu.yaml`: `erp`, `hub`, `policy`, `mapping`. Every key is optional and has the
 * default of sync-rules.md.
 */

const { expecting, withDefault, section, PositiveInt, PositiveNumber, Text, Bool } = ConfigSchema

const Score = expecting(Schema.Number.pipe(Schema.between(0, 100)), "a score between 0 and 100")
const Url = expecting(
  Schema.Trim.pipe(Schema.filter((s) => URL.canParse(s) && /^https?:/.test(s))),
  "an http(s) URL such as http://erp.example.com:46088"
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
  followUps: withDefault(Bool, () => true),
  /**
   * Also push the conversation history of hub rows whose existing ERP link a run adopts (off: whoever linked them may
   * have pushed it; only content after the adoption goes).
   */
  backfillAdopted: withDefault(Bool, () => false)
})

/** The ERP values of sync-rules §3 and §6 (ly, sort1, the jz scale, follow-up templates, assignment tiers). */
const mapping = Schema.optionalWith(ZhibangMapping, { default: () => defaultMapping, exact: true })

export const sections = { erp, hub, policy, mapping }
export type Sections = Schema.Struct.Type<typeof sections>
