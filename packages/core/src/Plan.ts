import { Schema } from "effect"
import type { HeldValue, SideEvent } from "./Adapter.js"
import type { SideRecord } from "./Domain.js"
import { Fields, FieldValue, IdempotencyKey, LinkState, RecordId, Side } from "./Domain.js"
import type { Direction, SyncPolicy } from "./Policy.js"

/** Create a record on `side` from the record `sourceId` of the other side, then link the two. */
export class Create extends Schema.TaggedClass<Create>()("Create", {
  key: IdempotencyKey,
  side: Side,
  sourceId: RecordId,
  /** Native fields to create with. */
  fields: Fields,
  /** The same values in canonical form, for the new link's baseline. */
  canonical: Fields
}) {}

/** Write changed fields of a linked record on `side`. */
export class Update extends Schema.TaggedClass<Update>()("Update", {
  key: IdempotencyKey,
  side: Side,
  id: RecordId,
  /** The record's counterpart on the other side (for reports and rollback). */
  otherId: RecordId,
  /** Native fields to write. */
  changes: Fields,
  /** The before-image: what the sync read in those native fields. Compare-and-set on write, restored on rollback. */
  before: Fields,
  /** Canonical names of the fields written. */
  canonicalFields: Schema.Array(Schema.String),
  /**
   * The target's canonical values of those fields before the write (by canonical name): once a rollback restores
   * `before`, the link's baseline on this side is these, so the next run sees the side unchanged. Absent in
   * operations journaled before it was recorded.
   */
  canonicalBefore: Schema.optional(Fields)
}) {}

/** Two unlinked records found to be the same entity by natural key: link them (no write to either side). */
export class Link extends Schema.TaggedClass<Link>()("Link", {
  key: IdempotencyKey,
  leftId: RecordId,
  rightId: RecordId
}) {}

/** The values a reason's message is made of, by name, so that a report can word it in another language. */
export const ReasonParams = Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number) })
export type ReasonParams = typeof ReasonParams.Type

/** A reason a record is left alone this run, by the name of the rule that decided it. */
export class Reason extends Schema.Class<Reason>("@tongbu/Reason")({
  rule: Schema.String,
  /** In English; stored, and shown where a report has no wording of its own for the rule. */
  message: Schema.String,
  /** The record on the target side the rule points at (the colliding customer of a unique-key collision). */
  collidingId: Schema.optional(RecordId),
  params: Schema.optional(ReasonParams)
}) {}

export class Skip extends Schema.TaggedClass<Skip>()("Skip", {
  key: IdempotencyKey,
  /** The side of the skipped record. */
  side: Side,
  id: RecordId,
  reasons: Schema.Array(Reason)
}) {}

/** Both sides changed a `manual` field: parked for a person, who sees both values and the baseline. */
export class Conflict extends Schema.TaggedClass<Conflict>()("Conflict", {
  key: IdempotencyKey,
  leftId: RecordId,
  rightId: RecordId,
  field: Schema.String,
  left: FieldValue,
  right: FieldValue,
  baseline: Schema.Struct({ left: FieldValue, right: FieldValue })
}) {}

/** An adapter-specific action on `side` (a follow-up record, an assignment), at most once per key, ever. */
export class Action extends Schema.TaggedClass<Action>()("Action", {
  key: IdempotencyKey,
  side: Side,
  /** The record on `side`, or, when it is being created in the same plan, the source record it is created from. */
  target: Schema.Union(
    Schema.TaggedStruct("Id", { id: RecordId }),
    Schema.TaggedStruct("CreatedFrom", { sourceId: RecordId })
  ),
  kind: Schema.String,
  payload: Fields,
  /** The record's name as a person finds it on `side` (`SyncPolicy.displayName`), for a parked action's hint. */
  label: Schema.optional(Schema.String)
}) {}

/**
 * A record the side created for the sync on its own while listing (`ListEntry.intake`): nothing is left to do, it is
 * journaled with the run that listed it first, so that rolling that run back removes it. Never planned.
 */
export class Intake extends Schema.TaggedClass<Intake>()("Intake", {
  key: IdempotencyKey,
  side: Side,
  id: RecordId
}) {
  static of(side: Side, id: RecordId): Intake {
    return new Intake({ key: IdempotencyKey.make(`intake:${side}:${id}`), side, id })
  }
}

export const Operation = Schema.Union(Create, Update, Link, Skip, Conflict, Action, Intake)
export type Operation = typeof Operation.Type

/** Operations that change a side; skips and conflicts are outcomes only. */
export const isWrite = (op: Operation): op is Create | Update | Action =>
  op._tag === "Create" || op._tag === "Update" || op._tag === "Action"

export class Plan extends Schema.Class<Plan>("@tongbu/Plan")({
  operations: Schema.Array(Operation),
  /**
   * The link states to persist once the plan is applied, assuming every operation succeeds (the dispatcher keeps the
   * old baseline of a field whose write failed, so the change is seen again next run).
   */
  links: Schema.Array(LinkState),
  /** Linked pairs already equal on every mapped field. */
  unchanged: Schema.Int,
  /**
   * Events not carried to `side` because their record's claimed link is adopted this run (`SyncPolicy.backfillAdopted`
   * off): how many, of how many records. Only sides with some.
   */
  withheld: Schema.Array(Schema.Struct({ side: Side, events: Schema.Int, records: Schema.Int }))
}) {}

/** A plan with nothing to write: what remains are deliberate outcomes (skips, parked conflicts). */
export const isEmptyPlan = (plan: Plan): boolean => !plan.operations.some(isWrite)

/** What one side contributed to a run. */
export interface SideSnapshot {
  /** Records read this run: every unlinked record, and linked ones whose version changed (or all, on a full run). */
  readonly records: ReadonlyArray<SideRecord>
  /**
   * Linked ids that a listing of every id of the side left out: those records no longer exist there. Empty when the
   * listing was incremental, as its absences say nothing.
   */
  readonly gone: ReadonlySet<RecordId>
  /** Events of this side since its checkpoint, for the other side. */
  readonly events: ReadonlyArray<SideEvent>
  /**
   * Linked records among `records` that the listing showed at the version their link saw (an incremental run): their
   * baseline stands for them, as for a linked record not read, and they are not compared field by field again.
   */
  readonly unchanged?: ReadonlySet<RecordId>
  /**
   * Values of unique fields held outside the records (`SyncAdapter.heldValues`): no record but the one they belong
   * to may be given them.
   */
  readonly held?: ReadonlyArray<HeldValue>
}

/** The planner's whole input. Linked records absent from `records` are unchanged: their baseline stands for them. */
export interface PlanInput {
  readonly left: SideSnapshot
  readonly right: SideSnapshot
  readonly links: ReadonlyArray<LinkState>
  readonly policy: SyncPolicy
  readonly direction: Direction
  /** Keys of operations already done or parked in the store (actions are at most once, ever; creates once per source). */
  readonly settled: ReadonlySet<string>
}

/** The linked ids of `side` missing from `listed`, a listing of every id the side holds. */
export const goneFrom = (
  side: Side,
  listed: Iterable<RecordId>,
  links: ReadonlyArray<LinkState>
): ReadonlySet<RecordId> => {
  const present = new Set(listed)
  const gone = new Set<RecordId>()
  for (const link of links) {
    const id = side === "left" ? link.leftId : link.rightId
    if (!present.has(id)) gone.add(id)
  }
  return gone
}
