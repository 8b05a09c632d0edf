import type { Effect, Option, Stream } from "effect"
import { Context, Schema } from "effect"
import type { AdapterError, AuxiliaryUnavailable } from "./AdapterError.js"
import type { Fields, FieldValue, IdempotencyKey, ListEntry, RecordId, SideRecord } from "./Domain.js"
import type { Reason } from "./Plan.js"

/** What a side can and cannot do; the dispatcher and the planner adapt to it. */
export const Capabilities = Schema.Struct({
  /** Creates must run one at a time (e.g. the ERP's allocate→save must not interleave for one account). */
  serializeCreates: Schema.Boolean,
  /** Operations in flight at once against this side. */
  concurrency: Schema.Int.pipe(Schema.positive()),
  /** Whether `compensateCreate` really deletes (else it applies a declared substitute, reported for a person). */
  canDelete: Schema.Boolean,
  /** Whether `perform` may be repeated after an ambiguous failure (else an uncertain action is parked, never doubled). */
  idempotentActions: Schema.Boolean
})
export type Capabilities = typeof Capabilities.Type

export interface ListRequest {
  /** Resume after this checkpoint (incremental); none = list everything. */
  readonly since: Option.Option<string>
}

export interface CreateRequest {
  readonly key: IdempotencyKey
  /**
   * The record of the other side this one is created from (and linked to once it exists). A side that keeps the other
   * side's id on its records (the hub's ERP id) stores it with the new record, and `findCreated` finds it by it.
   */
  readonly sourceId: RecordId
  /** Native field values to create the record with. */
  readonly fields: Fields
  /**
   * Record a provisional id (e.g. an id allocated before the save) durably in the outbox before the write that makes
   * it real, so that after a crash `findCreated` can decide whether the earlier attempt landed.
   */
  readonly reserve: (provisionalId: string) => Effect.Effect<void>
}

export interface FindCreatedRequest {
  readonly key: IdempotencyKey
  /** The `sourceId` of the create. */
  readonly sourceId: RecordId
  readonly fields: Fields
  /** The provisional id recorded by an earlier attempt, if it got that far. */
  readonly provisionalId: Option.Option<string>
}

export interface UpdateRequest {
  readonly key: IdempotencyKey
  readonly id: RecordId
  /** Native field values to write. */
  readonly changes: Fields
  /** What the sync read for those fields: if the target now holds something else, fail with `StaleError`. */
  readonly expected: Fields
  /**
   * Write `changes` exactly as given, without the normalizing the side applies to what it writes: they are values an
   * earlier update replaced (`Updated.overwritten`), which a rollback puts back as the side stored them. `expected`
   * is compared as usual, and the target already holds `changes` only when it stores exactly them.
   */
  readonly asStored?: boolean
}

/**
 * What a create made: the new record's id, and its version right after the write, as `read` and the listing will show
 * it (`SideRecord.version`), for a side that gives versions. The core keeps it with what the create wrote, for
 * `compensateCreate`.
 */
export interface Created {
  readonly id: RecordId
  readonly version?: string
}

/** What an update did to the record. */
export interface Updated {
  /**
   * For each field the update wrote, the value it replaced, exactly as the side stored it: before the normalizing a
   * side's reads apply (the hub's phone "138 0000 8000", which it reads as "13800008000"). A field that already held
   * its change is absent, as nothing was replaced. A rollback writes these back with `asStored`.
   */
  readonly overwritten: Fields
  /**
   * The record's version right after the write, as for `Created.version`, for a side that gives versions. None when
   * the record already held the changes: nothing was written, and its version may be someone else's change.
   */
  readonly version?: string
}

export interface ActionRequest {
  readonly key: IdempotencyKey
  /** The record on this side the action is about (resolved through the link when planned against the other side). */
  readonly id: RecordId
  /** The adapter's own action name, e.g. "followUp", "assign". */
  readonly kind: string
  readonly payload: Fields
}

export interface CompensateRequest {
  /** The create's key (for a record the side took in on its own, the intake's). */
  readonly key: IdempotencyKey
  readonly id: RecordId
  /**
   * What the sync last wrote to the record: each native field the create and the later updates still standing wrote,
   * with the value last written (empty for a record the side took in on its own). A record that holds something else
   * in one of them was changed by someone since, so "changed since" is decidable without the side keeping history; a
   * field the sync never wrote is not here.
   */
  readonly written: Fields
  /**
   * The version the side gave for the record right after the last of those writes (`Created.version`,
   * `Updated.version`). A record still at it has not changed since that write, not even in fields the sync never
   * writes. It does not decide "changed since the create" alone: a person's edit before the sync's last write is in
   * the version that write gave (`written` finds it), and another version does not prove a person's change (the
   * sync's acknowledgements and a rollback's restores change it too). None for a side without versions, for a create
   * found after a crash (`findCreated`), and once a later write gave none.
   */
  readonly version: Option.Option<string>
}

export type Compensation =
  | { readonly _tag: "Deleted" }
  /** The target cannot delete: the record was marked withdrawn instead; a person must finish the job. */
  | { readonly _tag: "Withdrawn"; readonly note: string }
  /** Someone changed the record since the sync created it: it is left as it is, and the note says why. */
  | { readonly _tag: "Kept"; readonly note: string }

/** The outcome of a run for one record of this side, for sides that show sync state to their users. */
export interface RecordOutcome {
  readonly id: RecordId
  readonly status: "synced" | "skipped" | "failed" | "conflict"
  readonly action: "create" | "update" | "link" | "none"
  readonly reason: Option.Option<string>
  /** The reasons `reason` puts in English words, by rule and params: for a side whose people read another language. */
  readonly reasons?: ReadonlyArray<Reason>
  readonly linkedId: Option.Option<RecordId>
}

/**
 * What `acknowledge` wrote into one record's own fields to show its link (the hub's `erp_customer_id`): the values
 * before and the values written, native names. The store keeps it while the link stands; a rollback that removes the
 * link restores `before` where the record still holds `written`, like any update's before-image.
 */
export interface LinkShown {
  readonly id: RecordId
  /** The record of the other side the link joins it to. */
  readonly linkedId: RecordId
  readonly before: Fields
  readonly written: Fields
}

/**
 * Something this side emits for the other side about one of its records (a new conversation summary that becomes an
 * ERP follow-up). `key` is stable: each event becomes at most one action on the other side, ever.
 */
export interface SideEvent {
  readonly key: string
  readonly id: RecordId
  readonly kind: string
  readonly payload: Fields
  readonly checkpoint?: string
}

export interface HeldValuesRequest {
  /** The native unique fields a run is about to write values into. */
  readonly fields: ReadonlyArray<string>
}

/**
 * A value of a unique field held by something of the side that is not one of its records, yet counts against the
 * side's uniqueness: a mobile of an ERP customer's further contact, which the ERP's duplicate check compares with.
 */
export interface HeldValue {
  /** The native unique field of the side's records this value must not be given to (e.g. "mobile"). */
  readonly field: string
  readonly value: FieldValue
  /** The record it belongs to: a skip names it as the colliding record, and it may hold the value itself. */
  readonly id: RecordId
  /** Who holds it, in words a person understands (e.g. "contact 31 of ERP customer 7"). */
  readonly holder: string
}

/** The port every side implements: small enough to write in an afternoon; `@tongbu/core/testing` checks it. */
export interface SyncAdapter {
  readonly name: string
  readonly capabilities: Capabilities
  readonly list: (request: ListRequest) => Stream.Stream<ListEntry, AdapterError>
  /** `Option.none()` for a missing record, also for an id the side could never have: not an error. */
  readonly read: (id: RecordId) => Effect.Effect<Option.Option<SideRecord>, AdapterError>
  /** A unique value another record holds is a `CollisionError` naming that record (`collidingId`). */
  readonly create: (request: CreateRequest) => Effect.Effect<Created, AdapterError>
  /** Did an earlier attempt of this create land? Called before repeating a create after a crash or an ambiguous error. */
  readonly findCreated: (request: FindCreatedRequest) => Effect.Effect<Option.Option<RecordId>, AdapterError>
  /**
   * Idempotent: succeeds when the target already holds `changes`. Reports what it overwrote, as stored. A missing
   * record (also an id the side could never have) is a `RejectedError`; a field changed since it was read a
   * `StaleError`; a unique value another record holds a `CollisionError` naming it.
   */
  readonly update: (request: UpdateRequest) => Effect.Effect<Updated, AdapterError>
  /**
   * Safe to repeat; never deletes a record someone changed since the sync wrote it (`Kept`, or `Withdrawn`), and
   * deletes one that holds just what the sync last wrote (`written`) when it can. A missing record is `Deleted`.
   */
  readonly compensateCreate: (request: CompensateRequest) => Effect.Effect<Compensation, AdapterError>
  /** A missing record, or an action kind the side does not know, is a `RejectedError`. */
  readonly perform: (request: ActionRequest) => Effect.Effect<void, AdapterError>
  /** Events for the other side since the checkpoint; `Stream.empty` for a side that emits none. */
  readonly events: (request: ListRequest) => Stream.Stream<SideEvent, AdapterError>
  /**
   * Values of `fields` held outside the side's records; absent for a side where only records hold unique values. The
   * core asks only when a run plans to write one of those fields on this side, so a run that writes none costs nothing.
   * `AuxiliaryUnavailable` when the side does not offer the listing: the run goes on without it, with a warning.
   */
  readonly heldValues?: (request: HeldValuesRequest) => Stream.Stream<HeldValue, AdapterError | AuxiliaryUnavailable>
  /**
   * Show the run's outcome per record on this side (e.g. the hub's `erp_sync_status`); a no-op for most sides. Returns
   * what it wrote into records' own fields to show a link (none when it only shows sync state), so that it can be
   * taken back with `update` when the link is rolled back.
   */
  readonly acknowledge: (
    outcomes: ReadonlyArray<RecordOutcome>
  ) => Effect.Effect<ReadonlyArray<LinkShown>, AdapterError>
}

export class LeftAdapter extends Context.Tag("@tongbu/core/LeftAdapter")<LeftAdapter, SyncAdapter>() {}
export class RightAdapter extends Context.Tag("@tongbu/core/RightAdapter")<RightAdapter, SyncAdapter>() {}
