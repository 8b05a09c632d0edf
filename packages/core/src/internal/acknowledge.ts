import { Effect } from "effect"
import type { SyncAdapter } from "../Adapter.js"
import type { LinkState, RecordId, RunId, Side } from "../Domain.js"
import { maskMobiles } from "../Mask.js"
import type { Outcome, SyncStoreService } from "../SyncStore.js"
import * as Report from "./report.js"

/**
 * Tells each side what changed about its records: this run's outcomes, then those of earlier runs the side was not
 * told (its `acknowledge` failed, or the run stopped before it), the newest word on each record winning. The side's
 * runs are marked told once it accepted; a side that cannot be told now keeps them and this run untold, so the next
 * run that reaches it tells them. An earlier outcome that would show a link no longer standing is left out: a
 * rollback removed the link and told the side why.
 */
export const acknowledge = (
  store: SyncStoreService,
  sides: Record<Side, SyncAdapter>,
  listed: Record<Side, { readonly read: ReadonlySet<RecordId> }>,
  runId: RunId,
  items: ReadonlyArray<Outcome>,
  links: ReadonlyArray<LinkState>
) =>
  Effect.gen(function* () {
    const untold = yield* store.untold
    yield* Effect.forEach(
      ["left", "right"] as const,
      (side) =>
        Effect.gen(function* () {
          const pending = untold.filter((u) => u.side === side && u.runId !== runId).map((u) => u.runId)
          const earlier = yield* Effect.forEach(pending, (id) => store.outcomes(id))
          const merged = Report.withEarlier(items, Report.linksStanding(earlier, links))
          const ids = new Set<RecordId>()
          for (const item of merged) {
            if (item.side === side) ids.add(item.id)
            else if (item.otherId !== undefined) ids.add(item.otherId)
          }
          const told = Report.acknowledgements(
            side,
            merged,
            listed[side].read,
            yield* store.acknowledged(side, [...ids])
          )
          const done = store.markTold(side, [runId, ...pending])
          if (told.outcomes.length === 0) return yield* done
          yield* sides[side].acknowledge(told.outcomes).pipe(
            Effect.flatMap((shown) => store.saveShown(side, shown)),
            Effect.zipRight(store.saveAcknowledged(side, told.digests)),
            Effect.zipRight(done),
            Effect.catchTag("TransientError", "RejectedError", "CollisionError", "StaleError", "FatalError", (error) =>
              Effect.logWarning(
                `could not show outcomes on ${side} (${error.adapter}); a later run tells them: ${maskMobiles(error.message)}`
              )
            )
          )
        }),
      { discard: true }
    )
  })
