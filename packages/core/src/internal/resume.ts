import { Effect, Either, Option } from "effect"
import type { LeftAdapter, RightAdapter } from "../Adapter.js"
import * as Dispatcher from "../Dispatcher.js"
import type { RunId } from "../Domain.js"
import type { Outcome, StoredOperation, StoreWriteError } from "../SyncStore.js"
import { SyncStore } from "../SyncStore.js"
import { countOutcomes } from "./report.js"

export interface Resumed {
  readonly outcomes: ReadonlyArray<Outcome>
  /** A fatal error met while finishing them: the new run stops before planning. */
  readonly fatal: Option.Option<string>
}

const interrupted = "stopped before it finished; its remaining operations were finished by a later run"

/**
 * Finishes what earlier runs left in the outbox (a crash, an interruption, a fatal error), oldest run first, then
 * closes the books on those runs. Their outcomes are recorded under the runs that planned them, which are marked
 * untold to both sides first: a run that already told the sides what it did still has these to tell, and whoever
 * finishes them may die before telling. An operation still `pending` afterwards went stale again: the fresh plan that
 * follows supersedes it, so it is closed as rejected rather than retried forever.
 */
export const resume = (
  options: Dispatcher.DispatchOptions
): Effect.Effect<Resumed, StoreWriteError, LeftAdapter | RightAdapter | SyncStore> =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const unfinished = yield* store.unfinished
    const byRun = new Map<RunId, Array<StoredOperation>>()
    for (const op of unfinished) byRun.set(op.runId, [...(byRun.get(op.runId) ?? []), op])
    // A rollback's leftovers are its markers, which tell no side anything.
    const syncRuns = yield* Effect.filter([...byRun.keys()], (runId) =>
      Effect.map(
        store.run(runId),
        Option.exists((run) => run.kind === "sync")
      )
    )
    if (syncRuns.length > 0) {
      yield* store.markUntold("left", syncRuns)
      yield* store.markUntold("right", syncRuns)
    }
    const outcomes: Array<Outcome> = []
    for (const [runId, ops] of byRun) {
      yield* Effect.logInfo(`finishing ${ops.length} operations left unfinished by run ${runId}`)
      const result = yield* Dispatcher.stopsOnFatal(Dispatcher.dispatch(runId, ops, options))
      // What it finished before stopping is in that run's outcomes.
      if (Either.isLeft(result))
        return { outcomes, fatal: Option.some(`${result.left.adapter}: ${result.left.message}`) }
      outcomes.push(...result.right.outcomes)
    }
    for (const op of yield* store.unfinished) {
      if (op.state === "pending")
        yield* store.fail(op.key, "rejected", `${op.lastError ?? "not applied"}; superseded by a fresh plan`)
    }
    // Runs follow one another under the lease: one a crash left "running" is among the latest.
    const open = (yield* store.runs(3)).filter((run) => run.status === "running")
    for (const run of open) {
      const counts = countOutcomes(yield* store.outcomes(run.id), run.counts.unchanged)
      yield* store.finishRun(run.id, "interrupted", counts, interrupted)
    }
    return { outcomes, fatal: Option.none() }
  })
