import type { Chunk, Exit, Scope } from "effect"
import { Deferred, Effect, Queue } from "effect"
import type { JournalEntry, StoreError, SyncStoreService } from "../SyncStore.js"

/**
 * Group commit for the outbox: entries offered while a transaction is being written wait for the next one, so many
 * operations in flight share one commit. A caller resumes only once its entries are committed, so each step is still
 * durable before the next (the mark before the adapter call, the completion before anything depends on it).
 */
export interface Journal {
  /**
   * Commits the entries `build` returns. `build` runs synchronously together with the enqueueing, so entries built
   * from shared in-memory state (a pair's link) reach the store in the order they were built.
   */
  readonly commit: (build: () => ReadonlyArray<JournalEntry>) => Effect.Effect<void, StoreError>
}

interface Request {
  readonly entries: ReadonlyArray<JournalEntry>
  readonly done: Deferred.Deferred<void, StoreError>
}

const maxBatch = 2048

export const make = (store: SyncStoreService): Effect.Effect<Journal, never, Scope.Scope> =>
  Effect.gen(function* () {
    const queue = yield* Queue.unbounded<Request>()
    const flush = (batch: Chunk.Chunk<Request>) =>
      Effect.flatMap(Effect.exit(store.journal(Array.from(batch, (request) => request.entries).flat())), (exit: Exit.Exit<void, StoreError>) =>
        Effect.forEach(batch, (request) => Deferred.done(request.done, exit), { discard: true })
      ).pipe(Effect.uninterruptible)
    // Registered before the writer starts, so it runs after the writer stops: what was offered is still written.
    yield* Effect.addFinalizer(() => Effect.flatMap(Queue.takeAll(queue), (rest) => (rest.length === 0 ? Effect.void : flush(rest))))
    yield* Effect.forkScoped(Effect.forever(Effect.flatMap(Queue.takeBetween(queue, 1, maxBatch), flush)))
    return {
      commit: (build) =>
        Effect.flatMap(Deferred.make<void, StoreError>(), (done) =>
          Effect.zipRight(
            Effect.sync(() => queue.unsafeOffer({ entries: build(), done })),
            Deferred.await(done)
          )
        )
    }
  })
