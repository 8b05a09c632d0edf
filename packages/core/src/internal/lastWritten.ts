import { Effect, Option } from "effect"
import type { Fields, RecordId, RunId, Side } from "../Domain.js"
import type { StoredOperation, StoreError, SyncStoreService } from "../SyncStore.js"
import * as WrittenVersion from "./writtenVersion.js"

/** What the sync last wrote to one record, and the version the side gave after the last of those writes. */
export interface Written {
  readonly fields: Fields
  readonly version: Option.Option<string>
}

/**
 * What the sync last wrote to records, from the journal: for a record a run created (or a side took in), what the
 * create wrote, then what each later sync run's update still standing wrote over it. An update already rolled back is
 * left out: its rollback put back what it had replaced. The version is the last write's: a write that gave none
 * leaves none, as the earlier one is no longer the record's.
 */
export interface LastWritten {
  readonly of: (side: Side, id: RecordId, created: StoredOperation | undefined) => Effect.Effect<Written, StoreError>
}

const recordKey = (side: Side, id: RecordId) => `${side}:${id}`

const nothing: Written = { fields: {}, version: Option.none() }

/** Reads the runs from `target` on once, when the first record asks. */
export const makeLastWritten = (store: SyncStoreService, target: RunId): Effect.Effect<LastWritten> =>
  Effect.map(
    Effect.cached(
      Effect.gen(function* () {
        const runs = (yield* store.runs(Number.MAX_SAFE_INTEGER)).filter((run) => run.kind === "sync").reverse()
        const from = runs.findIndex((run) => run.id === target)
        const updates = new Map<string, Written>()
        for (const run of from < 0 ? [] : runs.slice(from + 1)) {
          const operations = [...(yield* store.operations(run.id))].sort((a, b) => a.seq - b.seq)
          for (const stored of operations) {
            const op = stored.operation
            if (op._tag !== "Update" || stored.state !== "done") continue
            const key = recordKey(op.side, op.id)
            const update = WrittenVersion.split(stored.written ?? op.changes)
            updates.set(key, { fields: { ...updates.get(key)?.fields, ...update.fields }, version: update.version })
          }
        }
        return updates
      })
    ),
    (updates) => ({
      of: (side, id, created) =>
        Effect.map(updates, (all): Written => {
          const createdWith = Option.fromNullable(created).pipe(
            Option.flatMap((stored) =>
              stored.operation._tag === "Create"
                ? Option.some(WrittenVersion.split(stored.written ?? stored.operation.fields))
                : Option.none()
            ),
            Option.getOrElse(() => nothing)
          )
          const later = all.get(recordKey(side, id))
          return later === undefined
            ? createdWith
            : { fields: { ...createdWith.fields, ...later.fields }, version: later.version }
        })
    })
  )
