import type { FieldValue, RecordId, Side, SideRecord } from "../../Domain.js"
import { readField } from "../../Mapping.js"
import { Reason } from "../../Plan.js"
import type { MappingInfo } from "./context.js"

/**
 * A policy function (a field's `normalize` or `read`, a natural key, an admission rule, an `afterCreate`) threw on
 * one record. The planner catches it where it handles that record and skips the record with the reason, so one bad
 * record or rule never stops the plan of the others.
 */
export class PolicyFailure extends Error {
  constructor(
    readonly side: Side,
    readonly id: RecordId,
    readonly reason: Reason
  ) {
    super(reason.message)
  }
}

const failure = (what: string, side: Side, id: RecordId, cause: unknown): PolicyFailure => {
  if (cause instanceof PolicyFailure) return cause
  const thrown = cause instanceof Error ? cause.message : String(cause)
  const message = `${what} failed on ${side} record ${id}: ${thrown}; the record is left alone until the policy or the record is fixed`
  return new PolicyFailure(side, id, new Reason({ rule: "policyError", message }, true))
}

/** Runs `f` for the record `id` of `side`; a throw becomes a `PolicyFailure` naming `what` and the record. */
export const guard = <A>(what: string, side: Side, id: RecordId, f: () => A): A => {
  try {
    return f()
  } catch (cause) {
    throw failure(what, side, id, cause)
  }
}

/** `readField`, with a throw of the field's `normalize` or `read` named (no closure: it runs for every field read). */
export const readGuarded = (info: MappingInfo, side: Side, record: SideRecord): FieldValue => {
  try {
    return readField(info.mapping, side, record)
  } catch (cause) {
    throw failure(`the mapping of field "${info.name}"`, side, record.id, cause)
  }
}

/** Runs `f`; a `PolicyFailure` it throws is returned instead, for the caller to skip that record. */
export const attempt = <A>(f: () => A): A | PolicyFailure => {
  try {
    return f()
  } catch (cause) {
    if (cause instanceof PolicyFailure) return cause
    throw cause
  }
}

/** `attempt(() => f(a, b))` without a closure: for what runs once per linked pair. */
export const attemptWith = <A, B, R>(f: (a: A, b: B) => R, a: A, b: B): R | PolicyFailure => {
  try {
    return f(a, b)
  } catch (cause) {
    if (cause instanceof PolicyFailure) return cause
    throw cause
  }
}
