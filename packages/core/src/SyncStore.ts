import type { Effect, Option, Stream } from "effect"
import { Context, Schema } from "effect"
import type { LinkShown } from "./Adapter.js"
import { Fields, FieldValue, IdempotencyKey, LinkState, RecordId, RunId, Side } from "./Domain.js"
import type { Action } from "./Plan.js"
import { Operation, Reason } from "./Plan.js"
import { Direction } from "./Policy.js"
import type * as StoreExport from "./StoreExport.js"

/** The store could not be read or written (a locked or corrupt file, a failed migration). */
export class StoreError extends Schema.TaggedError<StoreError>()("StoreError", {
  message: Schema.String
}) {}

/**
 * Another runner took this store's lease over (this one stalled past it, or was partitioned): the write was refused and
 * changed nothing. Not a failure of the store: the caller stops, since another runner now owns the pair.
 */
export class StoreFenced extends Schema.TaggedError<StoreFenced>()("StoreFenced", {
  /** The holder the lease names now. */
  holder: Schema.String,
  message: Schema.String
}) {}

/** What a write to the store fails with: the store failed, or another runner owns the pair now. */
export type StoreWriteError = StoreError | StoreFenced

/** Whether `u` is one of the store's errors (`reserve` carries them as defects, see the dispatcher's steps). */
export const isStoreWriteError = (u: unknown): u is StoreWriteError =>
  u instanceof StoreError || u instanceof StoreFenced

export const RunKind = Schema.Literal("sync", "rollback")
export const RunStatus = Schema.Literal("running", "completed", "failed", "interrupted")

export const Counts = Schema.Struct({
  created: Schema.Int,
  updated: Schema.Int,
  linked: Schema.Int,
  unchanged: Schema.Int,
  skipped: Schema.Int,
  conflicts: Schema.Int,
  actions: Schema.Int,
  failed: Schema.Int,
  /** Operations undone, in a rollback run. */
  rolledBack: Schema.optional(Schema.Int)
})
export type Counts = typeof Counts.Type

/** The counts of a run that has done nothing yet. */
export const zeroCounts: Counts = {
  created: 0,
  updated: 0,
  linked: 0,
  unchanged: 0,
  skipped: 0,
  conflicts: 0,
  actions: 0,
  failed: 0
}

/** Something a run did without, reported once with the run; `code` is stable (metrics, scripts), `message` is for a person. */
export const RunWarning = Schema.Struct({ code: Schema.String, side: Side, message: Schema.String })
export type RunWarning = typeof RunWarning.Type

export class Run extends Schema.Class<Run>("@tongbu/Run")({
  id: RunId,
  kind: RunKind,
  status: RunStatus,
  direction: Schema.Literal(...Direction),
  dryRun: Schema.Boolean,
  full: Schema.Boolean,
  /** For a rollback run, the run it rolls back. */
  target: Schema.optional(RunId),
  startedAt: Schema.Number,
  finishedAt: Schema.optional(Schema.Number),
  counts: Counts,
  error: Schema.optional(Schema.String),
  /** What the run did without (an auxiliary listing refused, say); none for a run recorded before they were kept. */
  warnings: Schema.Array(RunWarning)
}) {}

/**
 * An operation's life in the outbox: `pending` → `attempted` (an attempt started; a create may have recorded its
 * provisional id) → `done` | `rejected` (final, with reason) | `parked` (gave up after N attempts or uncertain; a
 * person looks) → `rolledBack`.
 */
export const OperationState = Schema.Literal("pending", "attempted", "done", "rejected", "parked", "rolledBack")
export type OperationState = typeof OperationState.Type

export class StoredOperation extends Schema.Class<StoredOperation>("@tongbu/StoredOperation")({
  runId: RunId,
  seq: Schema.Int,
  key: IdempotencyKey,
  operation: Operation,
  state: OperationState,
  attempts: Schema.Int,
  provisionalId: Schema.optional(Schema.String),
  /** The id a create produced. */
  resultId: Schema.optional(RecordId),
  /** The native values the operation wrote, for rollback's "does the field still hold what the sync wrote?". */
  written: Schema.optional(Fields),
  /** What an update replaced, as the side stored it (`Updated.overwritten`): what its rollback writes back. */
  overwritten: Schema.optional(Fields),
  /** The link state of the pair before this operation, restored by rollback. */
  linkBefore: Schema.optional(LinkState),
  lastError: Schema.optional(Schema.String),
  updatedAt: Schema.Number
}) {}

/** One record's outcome in one run, with its reason: what `runs show` lists. */
export class Outcome extends Schema.Class<Outcome>("@tongbu/Outcome")({
  runId: RunId,
  side: Side,
  id: RecordId,
  otherId: Schema.optional(RecordId),
  operation: Schema.String,
  outcome: Schema.Literal(
    "created",
    "updated",
    "linked",
    "unchanged",
    "skipped",
    "conflict",
    "failed",
    "performed",
    "rolledBack",
    "kept"
  ),
  reasons: Schema.Array(Reason)
}) {}

export class StoredConflict extends Schema.Class<StoredConflict>("@tongbu/StoredConflict")({
  id: Schema.String,
  runId: RunId,
  leftId: RecordId,
  rightId: RecordId,
  field: Schema.String,
  left: FieldValue,
  right: FieldValue,
  baseline: Schema.Struct({ left: FieldValue, right: FieldValue }),
  resolution: Schema.optional(Schema.Literal("left", "right")),
  createdAt: Schema.Number
}) {}

/** What an operation that took effect produced; saved with the operation marked `done`. */
export interface Completion {
  readonly resultId?: RecordId
  readonly written?: Fields
  readonly overwritten?: Fields
  readonly links: ReadonlyArray<LinkState>
  readonly linkBefore?: LinkState
}

/**
 * One write the dispatcher commits: a step of an operation's life in the outbox (see `OperationState`), a record's
 * outcome, or link states. `journal` applies several at once, so many operations in flight share one transaction.
 */
export type JournalEntry =
  | { readonly _tag: "Attempted"; readonly key: IdempotencyKey }
  | { readonly _tag: "Provisional"; readonly key: IdempotencyKey; readonly provisionalId: string }
  | { readonly _tag: "Completed"; readonly key: IdempotencyKey; readonly result: Completion }
  | {
      readonly _tag: "Failed"
      readonly key: IdempotencyKey
      readonly state: "pending" | "rejected" | "parked"
      readonly error: string
    }
  | { readonly _tag: "Outcome"; readonly outcome: Outcome }
  | { readonly _tag: "Links"; readonly links: ReadonlyArray<LinkState> }

/** A run just recorded, with the operations the outbox holds for it: what the dispatcher executes. */
export interface StartedRun {
  readonly runId: RunId
  readonly operations: ReadonlyArray<StoredOperation>
}

export interface StartRun {
  readonly kind: typeof RunKind.Type
  readonly direction: Direction
  readonly dryRun: boolean
  readonly full: boolean
  readonly target?: RunId
  /** The sides to be told the run's outcomes: the run stays `untold` to each until `markTold`. */
  readonly untold?: ReadonlyArray<Side>
  /** Known once both sides were read, before the run is recorded: kept with it for `runs show`. */
  readonly warnings?: ReadonlyArray<RunWarning>
}

/**
 * An action parked in the outbox (it may have reached its side, or it gave up): never sent again until a person says
 * so with `resolveAction`. `id` is the outbox row's, shorter to type than the key.
 */
export interface ParkedAction {
  readonly id: number
  readonly key: IdempotencyKey
  readonly runId: RunId
  readonly action: Action
  /** The record the action is about, when known (an action on a record created in the same run knows it by link). */
  readonly targetId: Option.Option<RecordId>
  /** Why it was parked: for an uncertain delivery, what to look for on the side. */
  readonly reason: string
  readonly parkedAt: number
}

/** `done`: a person saw it delivered, it stays settled; `retry`: the next run sends it once more. */
export type ActionResolution = "done" | "retry"

export type ResolvedAction =
  | { readonly _tag: "Resolved"; readonly action: ParkedAction }
  | { readonly _tag: "NotParked"; readonly key: IdempotencyKey; readonly state: OperationState }
  | { readonly _tag: "NotAction"; readonly key: IdempotencyKey; readonly operation: Operation["_tag"] }
  | { readonly _tag: "Unknown" }

/** A sync run whose outcomes `side` has not been told yet (its `acknowledge` failed, or the run stopped before it). */
export interface Untold {
  readonly runId: RunId
  readonly side: Side
}

/**
 * The sync's own state, apart from both systems: links and baselines, the outbox and journal, runs and outcomes,
 * conflicts, checkpoints and the lease. Each method is one transaction. A store service is one pair's view: a store
 * layer is built for one pair, and no method takes a pair.
 *
 * Fencing: taking the lease over from another holder (or a free or expired lease) raises its epoch; renewing one's
 * own unexpired lease keeps it. Once an instance has acquired the lease, each of its writes checks, inside the write's
 * own transaction, that the lease still names its holder and epoch; if not, nothing is written and the write fails
 * with `StoreFenced`. `releaseLease` ends the fencing of that instance; an instance that never acquired the lease is
 * not fenced (a one-off command). Reads are never fenced. The store reads the time from Effect's `Clock`.
 */
export interface SyncStoreService {
  readonly links: Effect.Effect<ReadonlyArray<LinkState>, StoreError>
  readonly linkOf: (side: Side, id: RecordId) => Effect.Effect<Option.Option<LinkState>, StoreError>
  readonly saveLinks: (links: ReadonlyArray<LinkState>) => Effect.Effect<void, StoreWriteError>
  readonly removeLink: (leftId: RecordId, rightId: RecordId) => Effect.Effect<void, StoreWriteError>

  /**
   * Records a run and its plan's operations in one transaction; an operation whose key is already settled is left out,
   * and one recorded earlier but not settled (rejected, or left pending) moves to this run. Returns the run's
   * operations as now stored, in plan order: what `operations(runId)` would read back.
   */
  readonly startRun: (run: StartRun, operations: ReadonlyArray<Operation>) => Effect.Effect<StartedRun, StoreWriteError>
  readonly finishRun: (
    id: RunId,
    status: typeof RunStatus.Type,
    counts: Counts,
    error?: string
  ) => Effect.Effect<void, StoreWriteError>
  readonly runs: (limit: number) => Effect.Effect<ReadonlyArray<Run>, StoreError>
  readonly run: (id: RunId) => Effect.Effect<Option.Option<Run>, StoreError>

  readonly operations: (runId: RunId) => Effect.Effect<ReadonlyArray<StoredOperation>, StoreError>
  /** Operations of any run still `pending` or `attempted`, oldest first: what a restart resumes. */
  readonly unfinished: Effect.Effect<ReadonlyArray<StoredOperation>, StoreError>
  /** Keys of operations done, parked or rolled back, in any run: the planner never plans them again. */
  readonly settledKeys: Effect.Effect<ReadonlySet<string>, StoreError>
  readonly markAttempted: (key: IdempotencyKey) => Effect.Effect<void, StoreWriteError>
  readonly recordProvisional: (key: IdempotencyKey, provisionalId: string) => Effect.Effect<void, StoreWriteError>
  /** Marks the operation done and saves the link states it produced, in one transaction. */
  readonly complete: (key: IdempotencyKey, result: Completion) => Effect.Effect<void, StoreWriteError>
  readonly fail: (
    key: IdempotencyKey,
    state: "pending" | "rejected" | "parked",
    error: string
  ) => Effect.Effect<void, StoreWriteError>
  readonly markRolledBack: (key: IdempotencyKey) => Effect.Effect<void, StoreWriteError>
  /** Several entries in one transaction, in order: how the dispatcher commits many operations' steps at once. */
  readonly journal: (entries: ReadonlyArray<JournalEntry>) => Effect.Effect<void, StoreWriteError>

  readonly recordOutcomes: (outcomes: ReadonlyArray<Outcome>) => Effect.Effect<void, StoreWriteError>
  readonly outcomes: (runId: RunId) => Effect.Effect<ReadonlyArray<Outcome>, StoreError>

  /** Parked actions of any run, oldest first. */
  readonly parkedActions: Effect.Effect<ReadonlyArray<ParkedAction>, StoreError>
  /**
   * Settles a parked action (`idOrKey`: its outbox id or its key) as delivered, or puts it back in the outbox as
   * pending with its attempts cleared, so that the next run's resume sends it exactly once.
   */
  readonly resolveAction: (
    idOrKey: string,
    resolution: ActionResolution
  ) => Effect.Effect<ResolvedAction, StoreWriteError>

  readonly openConflicts: Effect.Effect<ReadonlyArray<StoredConflict>, StoreError>
  readonly saveConflict: (conflict: StoredConflict) => Effect.Effect<void, StoreWriteError>
  readonly resolveConflict: (
    id: string,
    take: "left" | "right"
  ) => Effect.Effect<Option.Option<StoredConflict>, StoreWriteError>

  /** What `acknowledge` last told `side` about each of `ids` (a digest), so a run repeats nothing a side already shows. */
  readonly acknowledged: (
    side: Side,
    ids: ReadonlyArray<RecordId>
  ) => Effect.Effect<ReadonlyMap<RecordId, string>, StoreError>
  readonly saveAcknowledged: (
    side: Side,
    digests: ReadonlyMap<RecordId, string>
  ) => Effect.Effect<void, StoreWriteError>
  /** Every run some side has not been told yet, newest run first; only pending runs are kept, so this stays small. */
  readonly untold: Effect.Effect<ReadonlyArray<Untold>, StoreError>
  readonly markUntold: (side: Side, runIds: ReadonlyArray<RunId>) => Effect.Effect<void, StoreWriteError>
  readonly markTold: (side: Side, runIds: ReadonlyArray<RunId>) => Effect.Effect<void, StoreWriteError>
  /** What `side` wrote into these records to show their links (`SyncAdapter.acknowledge`), while the links stand. */
  readonly shownLinks: (
    side: Side,
    ids: ReadonlyArray<RecordId>
  ) => Effect.Effect<ReadonlyMap<RecordId, LinkShown>, StoreError>
  /**
   * Keeps what `side` wrote to show links. For a record that already shows the same link, the first before-image of
   * each field is kept (it is what a rollback restores) and the latest written value wins; another link replaces it.
   */
  readonly saveShown: (side: Side, shown: ReadonlyArray<LinkShown>) => Effect.Effect<void, StoreWriteError>
  /** Forgets what `side` wrote to show the links of these records, once a rollback took it back. */
  readonly forgetShown: (side: Side, ids: ReadonlyArray<RecordId>) => Effect.Effect<void, StoreWriteError>

  readonly checkpoint: (name: string) => Effect.Effect<Option.Option<string>, StoreError>
  readonly saveCheckpoint: (name: string, value: string) => Effect.Effect<void, StoreWriteError>

  /**
   * Takes the store's lease for `holder` if free or expired (raising its epoch), or renews `holder`'s own (keeping it);
   * false when another holder has it. From then on this instance's writes are fenced (see above).
   */
  readonly acquireLease: (holder: string, ttlMs: number) => Effect.Effect<boolean, StoreError>
  /** Frees `holder`'s lease (nothing when another holder has it now) and ends this instance's fencing. */
  readonly releaseLease: (holder: string) => Effect.Effect<void, StoreError>

  /**
   * The pair's whole state, table after table (`StoreExport.tables`), in chunks of at most `StoreExport.batchSize`
   * rows. Each chunk is read in its own transaction: hold the lease while exporting, so that no run writes in between.
   */
  readonly exportState: Stream.Stream<StoreExport.Chunk, StoreError>
  /**
   * Copies an export into this store in one transaction (a failure leaves nothing of it), keeping the ids of runs,
   * operations and outcomes, the operations' sequence numbers and the lease's epoch. Refused with `StoreNotEmpty`
   * when the store holds any row of its pair. Nothing else may use this instance while it runs.
   */
  readonly importState: <E>(
    state: Stream.Stream<StoreExport.Chunk, E>
  ) => Effect.Effect<StoreExport.Counts, E | StoreError | StoreExport.StoreNotEmpty>
}

export class SyncStore extends Context.Tag("@tongbu/core/SyncStore")<SyncStore, SyncStoreService>() {}
