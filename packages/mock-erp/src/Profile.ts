import { Data, Either, ParseResult, Schema } from "effect"
import type { MockErpOptions } from "./MockErp.js"

/** One value of an enumeration as `source.asp` serves it: its id and its label (no personal data). */
const EnumValue = Schema.Struct({ id: Schema.String, name: Schema.String })
const EnumValues = Schema.NonEmptyArray(EnumValue)

/** The enumerations by the id `source.asp?enumid=N` serves them under, and the mock's name of each. */
const enumerationIds = { "11": "trade", "13": "ly", "14": "jz", "98": "followMethod" } as const

/**
 * The shapes of one ERP installation as `tongbu check --record` saw them, for the mock to serve
 * (`--profile FILE`): column ids, the values of the enumerations the configuration resolves, and the envelope
 * variants of its list answers. Never a row, an account, a user or a session. Every key but the columns is optional
 * (what was not seen is served as the mock's default).
 */
export const Profile = Schema.Struct({
  version: Schema.Literal(1),
  /** The customer list's column ids, in order. */
  customerListColumns: Schema.NonEmptyArray(Schema.String),
  /** The contact list's column ids, in order; null: the installation has no contact list (it answers 未知页面). */
  contactListColumns: Schema.NullOr(Schema.NonEmptyArray(Schema.String)),
  /** By enumeration id: 11 trade, 13 customer source (`ly`), 14 value (`jz`), 98 follow-up method. */
  enumerations: Schema.optional(
    Schema.Struct({
      "11": Schema.optional(EnumValues),
      "13": Schema.optional(EnumValues),
      "14": Schema.optional(EnumValues),
      "98": Schema.optional(EnumValues)
    })
  ),
  /** How list rows came: positional arrays, objects wrapping `value`, or objects keyed by column id. */
  rowShape: Schema.optional(Schema.Literal("array", "object-wrapped", "keyed")),
  /** How an empty list answered: empty `page`/`cols`/`rows`, or without them. */
  emptyList: Schema.optional(Schema.Literal("empty", "missing")),
  /** What the client had to coerce: `numeric cells`, list cells sent as JSON numbers. */
  coerced: Schema.optional(Schema.Array(Schema.Literal("numeric cells")))
})
export type Profile = typeof Profile.Type

export class ProfileError extends Data.TaggedError("ProfileError")<{ readonly message: string }> {}

/** Unknown keys are refused too: a misspelt key would otherwise silently serve the defaults. */
const decode = Schema.decodeUnknownEither(Schema.parseJson(Profile), { onExcessProperty: "error", errors: "all" })

/** A profile file's text, decoded; the error names the file and, through the Schema's tree, the bad key. */
export const parseProfile = (file: string, text: string): Either.Either<Profile, ProfileError> =>
  Either.mapLeft(decode(text), (error) => {
    // one "key: what is wrong" per issue, the key as a path, instead of the Schema's whole tree
    const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map(
      (issue) => `${issue.path.length === 0 ? "(the file)" : issue.path.map(String).join(".")}: ${issue.message}`
    )
    return new ProfileError({ message: `${file} is not a mock ERP profile: ${issues.join("; ")}` })
  })

/** The profile as JSON text, as `parseProfile` reads it back. */
export const encodeProfile = (profile: Profile): string =>
  `${JSON.stringify(Schema.encodeSync(Profile)(profile), null, 2)}\n`

/** The mock's options that serve the profile's shapes. */
export const profileOptions = (profile: Profile): MockErpOptions => ({
  listColumns: profile.customerListColumns,
  ...(profile.contactListColumns === null
    ? { contactList: false }
    : { contactListColumns: profile.contactListColumns }),
  ...(profile.enumerations === undefined
    ? {}
    : {
        enumerations: Object.fromEntries(
          Object.entries(profile.enumerations).flatMap(([id, values]) =>
            values === undefined
              ? []
              : [[enumerationIds[id as keyof typeof enumerationIds], values.map((v) => ({ v: v.id, n: v.name }))]]
          )
        )
      }),
  ...(profile.rowShape === undefined ? {} : { rowShape: profile.rowShape }),
  ...(profile.emptyList === undefined ? {} : { emptyList: profile.emptyList }),
  ...(profile.coerced?.includes("numeric cells") ? { numericCells: true } : {})
})
