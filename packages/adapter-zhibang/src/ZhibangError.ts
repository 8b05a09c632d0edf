import { Schema } from "effect"

/**
 * What the ERP client raises, split by what its caller does about it. Messages are for a person; they never carry a
 * secret, and mobiles in them are masked.
 */

/**
 * Worth trying again later: the network, a timeout, a proxy's HTML page, the backend's plain-text notice, the crash
 * envelope, an answer nobody can read. After a write it is ambiguous: the write may have landed (`uncertain`).
 */
export class ZhibangTransientError extends Schema.TaggedError<ZhibangTransientError>()("ZhibangTransientError", {
  operation: Schema.String,
  message: Schema.String,
  /** A write was sent and its outcome is unknown. */
  uncertain: Schema.Boolean
}) {}

export const RejectionReason = Schema.Literal("duplicate", "required", "tooLong", "invalid", "protected", "deleted")
export type RejectionReason = typeof RejectionReason.Type

/** The ERP refused a save for a business rule: retrying the same save gets the same answer. */
export class ZhibangRejectedError extends Schema.TaggedError<ZhibangRejectedError>()("ZhibangRejectedError", {
  operation: Schema.String,
  reason: RejectionReason,
  /** The ERP's own text (mobiles masked), or ours when the check ran before sending. */
  message: Schema.String,
  /** The field id the refusal names, when it names one (`mobile`, `name`, ...). */
  field: Schema.optional(Schema.String)
}) {}

/** Nothing will work until a person acts: bad credentials, a captcha demanded, a frozen user, a missing permission. */
export class ZhibangFatalError extends Schema.TaggedError<ZhibangFatalError>()("ZhibangFatalError", {
  operation: Schema.String,
  message: Schema.String
}) {}

export type ZhibangError = ZhibangTransientError | ZhibangRejectedError | ZhibangFatalError

/** The ERP's answer for a page this installation does not have (its own text, `未知页面`), on a read. */
export const isPageUnknown = (error: { readonly _tag: string }): boolean =>
  error instanceof ZhibangTransientError && !error.uncertain && /未知页面/.test(error.message)
