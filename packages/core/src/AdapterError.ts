import { Schema } from "effect"
import { RecordId } from "./Domain.js"

/**
 * What an adapter raises, split by what the core does about it:
 * retry later (`Transient`), give up on this record with a reason (`Rejected`), skip as a unique-key collision
 * (`Collision`), re-plan next run because the target moved under us (`Stale`), or stop the whole run (`Fatal`).
 */
export class TransientError extends Schema.TaggedError<TransientError>()("TransientError", {
  adapter: Schema.String,
  message: Schema.String
}) {}

export class RejectedError extends Schema.TaggedError<RejectedError>()("RejectedError", {
  adapter: Schema.String,
  message: Schema.String,
  field: Schema.optional(Schema.String)
}) {}

export class CollisionError extends Schema.TaggedError<CollisionError>()("CollisionError", {
  adapter: Schema.String,
  message: Schema.String,
  field: Schema.String,
  collidingId: Schema.optional(RecordId)
}) {}

/** The target no longer holds what the sync read (compare-and-set failed): a person edited it in between. */
export class StaleError extends Schema.TaggedError<StaleError>()("StaleError", {
  adapter: Schema.String,
  message: Schema.String,
  field: Schema.optional(Schema.String)
}) {}

/** Nothing more can be done in this run: bad credentials, a captcha demanded, a missing permission or schema. */
export class FatalError extends Schema.TaggedError<FatalError>()("FatalError", {
  adapter: Schema.String,
  message: Schema.String
}) {}

export const AdapterError = Schema.Union(TransientError, RejectedError, CollisionError, StaleError, FatalError)
export type AdapterError = typeof AdapterError.Type

/** Whether a thrown or rejected value is already one of the port's errors (an adapter rethrows those unchanged). */
export const isAdapterError: (cause: unknown) => cause is AdapterError = Schema.is(AdapterError)

/**
 * An auxiliary listing (`SyncAdapter.heldValues`) the side does not offer as the adapter needs it: refused, an unknown
 * page, or columns the adapter cannot use. Retrying will not fix it, and the run does not need it: the run goes on
 * without it and reports a warning. `listing` names what is missing, e.g. "contacts".
 */
export class AuxiliaryUnavailable extends Schema.TaggedError<AuxiliaryUnavailable>()("AuxiliaryUnavailable", {
  adapter: Schema.String,
  listing: Schema.String,
  message: Schema.String
}) {}

export const isRetryable = (error: AdapterError): boolean => error._tag === "TransientError"
