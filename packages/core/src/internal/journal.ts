import { Effect } from "effect"
import type { JournalEntry, StoreError, SyncStoreService } from "../SyncStore.js"

/**
 * Group commit for the outbox: a fiber adds its entries, lets the other fibers in flight add theirs, then the first
 * to find its entries unwritten writes everything added so far in one transaction. A fiber resumes only once its
 * entries are committed, so each step is still durable before the next (the mark before the adapter call, the
 * completion before anything depends on it), while the operations in flight share commits.
 */
export interface Journal {
  /**
   * Commits the entries `build` returns. `build` runs synchronously with their enqueueing, so entries built from
   * shared in-memory state (a pair's link) reach the store in the order they were built.
   */
  readonly commit: (build: () => ReadonlyArray<JournalEntry>) => Effect.Effect<void, StoreError>
  /**
   * Adds entries without waiting for them: they are committed with the next commit any fiber waits for (which is
   * after them, in order), or by `flush`. For a step nothing in flight depends on, such as an operation's completion:
   * the same worker's next step waits for a commit that includes it, so it is durable before anything follows it.
   */
  readonly append: (build: () => ReadonlyArray<JournalEntry>) => Effect.Effect<void, StoreError>
  /** Commits every entry added so far. */
  readonly flush: Effect.Effect<void, StoreError>
}

export const make = (store: SyncStoreService): Effect.Effect<Journal> =>
  Effect.map(Effect.makeSemaphore(1), (writer) => {
    let pending: Array<JournalEntry> = []
    let added = 0
    let committed = 0
    let failure: StoreError | undefined

    // One writer at a time, so batches reach the store in the order they were formed.
    const flush = (upTo: number): Effect.Effect<void, StoreError> =>
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

    const settled = (mine: number): Effect.Effect<void, StoreError> =>
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
          add(build)
          return Effect.void
        }),
      flush: Effect.suspend(() => settled(added))
    }
  })
