import { Effect } from "effect"
import type { JournalEntry, StoreWriteError, SyncStoreService } from "../SyncStore.js"

/**
 * Group commit for the outbox: a fiber adds its entries, lets the other fibers in flight add theirs, then the first
 * to find its entries unwritten writes everything added so far in one transaction. A fiber resumes only once its
 * entries are committed, so each step is still durable before the next (the mark before the adapter call, the
 * completion before anything depends on it), while the operations in flight share commits.
 *
 * Why a crash (`kill -9`) at any instant neither repeats nor loses an effect:
 * - entries reach the store in the order they were added, batch after batch, each batch one transaction: what a
 *   crash keeps is a prefix of the steps, never a later step without an earlier one;
 * - a step whose loss would let an effect happen twice is `commit`ted before the call that depends on it: a create's
 *   mark before `create` (after a crash the dispatcher asks `findCreated` first), its provisional id before the save
 *   that makes the record real (allocate → record → save, spec §4.1), a non-idempotent action's mark before
 *   `perform` (after a crash it is parked as uncertain, never sent blind);
 * - what is only `append`ed is either repeatable without effect (an update's mark: updates are compare-and-set; an
 *   idempotent action's mark) or an outcome nothing in flight depends on (completions, links, outcomes): lost, the
 *   operation is found `pending`/`attempted` and finished again by the next run (the create found by `findCreated`,
 *   the update a no-op, the outcome recorded then and its run marked untold, so the sides are still told);
 * - what depends on an appended completion waits for it: a worker's next step is a `commit` (which includes
 *   everything appended before it), each phase ends with `flush` (an action on a record created in the previous phase
 *   is sent only once the create's id is durable), and the dispatch returns only after its last `flush`.
 *
 * The SQLite store (`@tongbu/store-sqlite`) runs in WAL mode with `synchronous = NORMAL`: a commit is in the WAL file
 * (the OS holds it) when the transaction returns, so it survives the process being killed; a power loss or an OS crash
 * can lose the commits since the last checkpoint, which `FULL` (an fsync per group commit) would cover and is not used.
 */
export interface Journal {
  /**
   * Commits the entries `build` returns. `build` runs synchronously with their enqueueing, so entries built from
   * shared in-memory state (a pair's link) reach the store in the order they were built.
   */
  readonly commit: (build: () => ReadonlyArray<JournalEntry>) => Effect.Effect<void, StoreWriteError>
  /**
   * Adds entries without waiting for them: they are committed with the next commit any fiber waits for (which is
   * after them, in order), or by `flush`. For a step nothing in flight depends on, such as an operation's completion:
   * the same worker's next step waits for a commit that includes it, so it is durable before anything follows it.
   * Once `batchSize` entries wait, the appending fiber commits them, so a run of appends never grows without bound.
   */
  readonly append: (build: () => ReadonlyArray<JournalEntry>) => Effect.Effect<void, StoreWriteError>
  /** Commits every entry added so far. */
  readonly flush: Effect.Effect<void, StoreWriteError>
}

/** Entries waiting before an `append` commits them: large enough to share a transaction, small enough to keep. */
const batchSize = 1024

export const make = (store: SyncStoreService): Effect.Effect<Journal> =>
  Effect.map(Effect.makeSemaphore(1), (writer) => {
    let pending: Array<JournalEntry> = []
    let added = 0
    let committed = 0
    let failure: StoreWriteError | undefined

    // One writer at a time, so batches reach the store in the order they were formed.
    const flush = (upTo: number): Effect.Effect<void, StoreWriteError> =>
      writer.withPermits(1)(
        Effect.suspend(() => {
          if (committed >= upTo) return Effect.void
          if (failure !== undefined) return Effect.fail(failure)
          const batch = pending
          const through = added
          pending = []
          return store.journal(batch).pipe(
            Effect.tap(() => {
              committed = through
            }),
            Effect.tapError((error) =>
              Effect.sync(() => {
                failure = error
              })
            )
          )
        })
      )

    const settled = (mine: number): Effect.Effect<void, StoreWriteError> =>
      Effect.suspend(() =>
        committed >= mine ? Effect.void : failure !== undefined ? Effect.fail(failure) : flush(mine)
      )

    const add = (build: () => ReadonlyArray<JournalEntry>): number => {
      const entries = build()
      for (const entry of entries) pending.push(entry)
      added += entries.length
      return added
    }

    return {
      commit: (build) =>
        Effect.suspend(() => {
          if (failure !== undefined) return Effect.fail(failure)
          const before = added
          const mine = add(build)
          if (mine === before) return Effect.void
          return Effect.zipRight(Effect.yieldNow(), settled(mine))
        }),
      append: (build) =>
        Effect.suspend(() => {
          if (failure !== undefined) return Effect.fail(failure)
          const mine = add(build)
          return mine - committed >= batchSize ? settled(mine) : Effect.void
        }),
      flush: Effect.suspend(() => settled(added))
    }
  })
