import { Data, Either, ParseResult, Schema } from "effect"
import type { MockErpOptions } from "./MockErp.js"

/**
 * The shapes of one ERP installation as `tongbu check --record` saw them, for the mock to serve
 * (`--profile FILE`). Column ids only: never a row, an account or a session. The installation's enumerations are
 * not in it because the mock serves its fixed enumerations and has no option to change them.
 */
export const Profile = Schema.Struct({
  version: Schema.Literal(1),
  /** The customer list's column ids, in order. */
  customerListColumns: Schema.NonEmptyArray(Schema.String),
  /** The contact list's column ids, in order. */
  contactListColumns: Schema.NonEmptyArray(Schema.String)
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
  contactListColumns: profile.contactListColumns
})
