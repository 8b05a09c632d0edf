import { Schema } from "effect"

/** One of the two systems being reconciled. The core is symmetric; a deployment names them (hub = left, ERP = right). */
export const Side = Schema.Literal("left", "right")
export type Side = typeof Side.Type

export const otherSide = (side: Side): Side => (side === "left" ? "right" : "left")

/** A record's id on its own side (an ERP `ord`, a hub row id), always as a string. */
export const RecordId = Schema.String.pipe(Schema.brand("@tongbu/RecordId"))
export type RecordId = typeof RecordId.Type

/** Identifies a sync run in the store. */
export const RunId = Schema.String.pipe(Schema.brand("@tongbu/RunId"))
export type RunId = typeof RunId.Type

/** The deterministic key of one operation: the same intent always gets the same key, so it never takes effect twice. */
export const IdempotencyKey = Schema.String.pipe(Schema.brand("@tongbu/IdempotencyKey"))
export type IdempotencyKey = typeof IdempotencyKey.Type

/** A number JSON can carry as it is (the store keeps values as JSON): finite, and not -0. */
const JsonNumber = Schema.Finite.pipe(
  Schema.filter((n) => !Object.is(n, -0), { message: () => "-0 is not a field value (JSON stores it as 0)" })
)

export const FieldValue = Schema.Union(Schema.String, JsonNumber, Schema.Boolean, Schema.Null)
export type FieldValue = typeof FieldValue.Type

/** Field values by name: a side's native names in a `SideRecord`, canonical names in baselines. */
export const Fields = Schema.Record({ key: Schema.String, value: FieldValue })
export type Fields = typeof Fields.Type

/** A record as one side holds it, with that side's own field names. */
export class SideRecord extends Schema.Class<SideRecord>("@tongbu/SideRecord")({
  id: RecordId,
  fields: Fields,
  /** Changes whenever the record changes (a row hash, an updated-at): an equal version means "unchanged, no read needed". */
  version: Schema.optional(Schema.String),
  /** Epoch milliseconds of the last change, when the side knows it (used by `newest` conflict resolution). */
  updatedAt: Schema.optional(Schema.Number)
}) {}

/**
 * What a listing yields for one record: its id and version, and the whole record when the listing already has it.
 * When `record` is absent the core reads it only if the version differs from the one it last saw.
 */
export class ListEntry extends Schema.Class<ListEntry>("@tongbu/ListEntry")({
  id: RecordId,
  version: Schema.optional(Schema.String),
  record: Schema.optional(SideRecord),
  /**
   * Native fields the listing itself shows, named and valued as `read` gives them (a list row's name and mobile). A
   * record the sync wrote since it last read it (`writtenVersion`) is not read again when every mapped field here
   * holds what the sync wrote: what the listing shows is then what the link's baseline says.
   */
  shown: Schema.optional(Fields),
  /** The checkpoint to resume an incremental listing after this entry. The last one seen is persisted. */
  checkpoint: Schema.optional(Schema.String),
  /**
   * The side created this record for the sync on its own (the hub's intake of promoted WeChat contacts), and no run
   * has reported on it yet: the run journals it as its own (an `Intake`), so rolling that run back removes it.
   */
  intake: Schema.optional(Schema.Boolean)
}) {}

/**
 * A link between the two sides' ids and its baseline: the canonical values each side held when the pair was last in
 * agreement (or last seen), and each side's version then. A side's version is `writtenVersion` when the sync wrote
 * to that side after reading it: the next run reads it again unless its listing shows what was written. It is absent
 * when the baseline may not be what the side holds (a change that failed to cross, a full run), which forces a read.
 */
export class LinkState extends Schema.Class<LinkState>("@tongbu/LinkState")({
  leftId: RecordId,
  rightId: RecordId,
  left: Fields,
  right: Fields,
  leftVersion: Schema.optional(Schema.String),
  rightVersion: Schema.optional(Schema.String)
}) {}

/** The version of a side the sync has written since it last read it; no listing ever shows it. */
export const writtenVersion = "tongbu:written"

export const isEmptyValue = (value: FieldValue | undefined): boolean =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "")
