import type { Duration } from "effect"
import { Clock, Effect, Either, Option } from "effect"
import type { SyncAdapter } from "./Adapter.js"
import { LeftAdapter, RightAdapter } from "./Adapter.js"
import * as Dispatcher from "./Dispatcher.js"
import type { RunId, Side } from "./Domain.js"
import { RunId as RunIdSchema } from "./Domain.js"
import { acknowledge } from "./internal/acknowledge.js"
import { readClaimed } from "./internal/claimed.js"
import type { RunWarning } from "./internal/held.js"
import { planWithHeld } from "./internal/held.js"
import * as O from "./internal/opOutcome.js"
import { untouchedLinks } from "./internal/pairLinks.js"
import * as Report from "./internal/report.js"
import { resume } from "./internal/resume.js"
import { withSeenVersions } from "./internal/shown.js"
import type { Listed, SideUnavailable } from "./internal/snapshot.js"
import { checkpointName, listSide } from "./internal/snapshot.js"
import { withheldWarnings } from "./internal/withheld.js"
import { maskMobiles } from "./Mask.js"
import { Intake, Plan } from "./Plan.js"
import type { Direction, SyncPolicy } from "./Policy.js"
import type { Counts, Outcome, StartedRun, StartRun, StoreWriteError, SyncStoreService } from "./SyncStore.js"
import { SyncStore } from "./SyncStore.js"

export type { RunWarning } from "./internal/held.js"
export { SideUnavailable } from "./internal/snapshot.js"

/** Why a run could not happen at all (nothing was planned); a run that stopped midway is a `failed` report instead. */
export type SyncError = SideUnavailable | StoreWriteError

export interface RunOptions {
  readonly direction: Direction
  /** Plan only: nothing is written to either side nor to the store; the plan is returned for display. */
  readonly dryRun: boolean
  /** List everything and read every record, instead of resuming from the saved checkpoints. */
  readonly full: boolean
  readonly maxAttempts?: number
  /** The first retry delay of a transient failure (see `Dispatcher.DispatchOptions`). */
  readonly retryBase?: Duration.DurationInput
}

export interface RunReport {
  /** None for a dry run. */
  readonly runId: Option.Option<RunId>
  readonly status: "completed" | "failed"
  readonly dryRun: boolean
  readonly counts: Counts
  /** An outcome for every record the plan touched, with its reasons; unchanged pairs are only counted. */
  readonly items: ReadonlyArray<Outcome>
  readonly plan: Plan
  /** Operations of earlier, interrupted runs that this run finished first. */
  readonly resumed: number
  /** Why a failed run stopped. */
  readonly error: Option.Option<string>
  /** What the run went on without (an auxiliary listing a side does not offer), once each. */
  readonly warnings: ReadonlyArray<RunWarning>
}

const dryRunId = RunIdSchema.make("dry-run")

const emptyPlan = new Plan({ operations: [], links: [], unchanged: 0, withheld: [] })

/** What every report is made of; the counts are taken from the items. */
interface ReportParts {
  readonly runId: Option.Option<RunId>
  readonly items: ReadonlyArray<Outcome>
  readonly plan: Plan
  readonly resumed: number
  readonly error: Option.Option<string>
  readonly warnings: ReadonlyArray<RunWarning>
}

/** The one place a `RunReport` is built: a dry run has no run id, a failed run an error. */
const report = (parts: ReportParts): RunReport => ({
  ...parts,
  status: Option.isSome(parts.error) ? "failed" : "completed",
  dryRun: Option.isNone(parts.runId),
  counts: Report.countOutcomes(parts.items, parts.plan.unchanged)
})

/** A fatal error while finishing earlier runs' operations: a run is recorded as failed, nothing is planned. */
const stoppedResuming = (store: SyncStoreService, start: StartRun, outcomes: ReadonlyArray<Outcome>, fatal: string) =>
  Effect.gen(function* () {
    const { runId } = yield* store.startRun(start, [])
    const error = `stopped while finishing earlier operations: ${fatal}`
    const stopped = report({
      runId: Option.some(runId),
      items: outcomes,
      plan: emptyPlan,
      resumed: outcomes.length,
      error: Option.some(error),
      warnings: []
    })
    yield* store.finishRun(runId, "failed", stopped.counts, error)
    yield* Effect.logError(`run ${runId} failed: ${maskMobiles(error)}`)
    return stopped
  })

/** What a run keeps of a side's listing once it planned. */
type Kept = Pick<Listed, "read" | "checkpoints" | "intake">
const kept = ({ read, checkpoints, intake }: Listed): Kept => ({ read, checkpoints, intake })

/** Lists both sides, reads what unlinked records claim, and plans (asking a side for its held values when needed). */
const listAndPlan = (
  store: SyncStoreService,
  sides: Record<Side, SyncAdapter>,
  policy: SyncPolicy,
  options: RunOptions
) =>
  Effect.gen(function* () {
    const stored = yield* store.links
    const listed = yield* Effect.all(
      {
        left: listSide("left", sides.left, store, stored, policy.mappings, options.full),
        right: listSide("right", sides.right, store, stored, policy.mappings, options.full)
      },
      { concurrency: 2 }
    )
    const links = withSeenVersions(stored, { left: listed.left.seen, right: listed.right.seen })
    const { left, right } = yield* readClaimed(policy, listed, links, sides)
    const settled = yield* store.settledKeys
    const held = yield* planWithHeld({ left, right, links, policy, direction: options.direction, settled }, sides)
    const { plan } = held
    const warnings = [...held.warnings, ...withheldWarnings(plan)]
    for (const warning of warnings) yield* Effect.logWarning(`${warning.code}: ${maskMobiles(warning.message)}`)
    // The records themselves are not kept: the plan has what it writes, and they can be collected while dispatching.
    return { links, stored: new Set(stored), listed: { left: kept(left), right: kept(right) }, settled, plan, warnings }
  })

type Planned = Effect.Effect.Success<ReturnType<typeof listAndPlan>>

/** A dry run's report: what a real run would record, outcomes under a placeholder run id, nothing written. */
const dryRunReport = ({ plan, settled, warnings }: Planned): RunReport => {
  // Only updates are planned again when settled; the store would leave them out.
  const planned = new Set<string>(
    plan.operations.filter((op) => Report.isDispatchable(op) && !settled.has(op.key)).map((op) => op.key)
  )
  const items = [
    ...plan.operations.filter((op) => planned.has(op.key)).map((op) => O.done(dryRunId, op)),
    ...Report.planOutcomes(dryRunId, plan, planned)
  ]
  return report({ runId: Option.none(), items, plan, resumed: 0, error: Option.none(), warnings })
}

/** Records the run with its plan; records a side took in while listing come first, so a rollback removes them last. */
const recordRun = (store: SyncStoreService, start: StartRun, { listed, plan, warnings }: Planned) =>
  store.startRun({ ...start, untold: ["left", "right"], warnings }, [
    ...listed.left.intake.map((id) => Intake.of("left", id)),
    ...listed.right.intake.map((id) => Intake.of("right", id)),
    ...plan.operations.filter(Report.isDispatchable)
  ])

/**
 * Dispatches the run's operations, then records the plan's own outcomes, its conflicts and the link states of pairs
 * no operation touched. Returns this run's items (a stopped dispatch's are read back from the store) and the error.
 */
const dispatchAndRecord = (
  store: SyncStoreService,
  { runId, operations }: StartedRun,
  { plan, stored }: Pick<Planned, "plan" | "stored">,
  options: Dispatcher.DispatchOptions
) =>
  Effect.gen(function* () {
    const dispatched = new Set<string>(operations.map((op) => op.key))
    const outcome = yield* Dispatcher.stopsOnFatal(
      Dispatcher.dispatch(runId, operations, { ...options, links: plan.links, fresh: true })
    )
    // What a stopped dispatch finished is read back before the plan's own outcomes join it in the store.
    const items = Either.isRight(outcome) ? outcome.right.outcomes : yield* store.outcomes(runId)
    const own = Report.planOutcomes(runId, plan, dispatched)
    yield* store.recordOutcomes(own)
    const now = yield* Clock.currentTimeMillis
    for (const op of plan.operations)
      if (op._tag === "Conflict") yield* store.saveConflict(Report.storedConflict(runId, op, now))
    yield* store.saveLinks(untouchedLinks(plan, dispatched, stored))
    return {
      items: [...items, ...own],
      error: Either.isLeft(outcome) ? Option.some(`${outcome.left.adapter}: ${outcome.left.message}`) : Option.none()
    }
  })

/** Moves each side's checkpoints: only after a complete listing and dispatch, so a failed run is listed again. */
const saveCheckpoints = (store: SyncStoreService, listed: Record<Side, Kept>) =>
  Effect.forEach(
    ["left", "right"] as const,
    (side) =>
      Effect.forEach(
        ["list", "events"] as const,
        (what) =>
          Option.match(listed[side].checkpoints[what], {
            onNone: () => Effect.void,
            onSome: (value) => store.saveCheckpoint(checkpointName(side, what), value)
          }),
        { discard: true }
      ),
    { discard: true }
  )

/** Closes the books on a run that got as far as its dispatch: the sides told, the run finished, its counts logged. */
const finish = (
  store: SyncStoreService,
  sides: Record<Side, SyncAdapter>,
  planned: Planned,
  runId: RunId,
  finished: RunReport
) =>
  Effect.gen(function* () {
    const { counts } = finished
    yield* acknowledge(store, sides, planned.listed, runId, finished.items, planned.links)
    if (Option.isSome(finished.error)) {
      yield* store.finishRun(runId, "failed", counts, finished.error.value)
      yield* Effect.logError(`run ${runId} stopped: ${maskMobiles(finished.error.value)}`)
      return finished
    }
    yield* saveCheckpoints(store, planned.listed)
    yield* store.finishRun(runId, "completed", counts)
    yield* Effect.logInfo(
      `run ${runId}: ${counts.created} created, ${counts.updated} updated, ${counts.linked} linked, ${counts.unchanged} unchanged, ${counts.skipped} skipped, ${counts.conflicts} conflicts, ${counts.actions} actions, ${counts.failed} failed`
    )
    return finished
  })

/** A run interrupted while dispatching is recorded as such, with what it finished; the rest stays in the outbox. */
const finishInterrupted = (store: SyncStoreService, runId: RunId, plan: Plan) =>
  Effect.flatMap(store.outcomes(runId), (items) =>
    store.finishRun(runId, "interrupted", Report.countOutcomes(items, plan.unchanged), "interrupted before it finished")
  ).pipe(Effect.ignore)

/**
 * One sync run: finish what interrupted runs left in the outbox, list both sides, plan (asking a side for the unique
 * values held outside its records when the plan would write one there), then (unless a dry run) record the run with
 * its plan in one transaction, dispatch it, and record every outcome, conflict, link state and checkpoint.
 * Checkpoints move only after a complete listing and dispatch, so a failed run is listed again. An interrupted run is
 * recorded as such; its operations are left `pending` or `attempted` for the next run to finish.
 */
export const run = (
  policy: SyncPolicy,
  options: RunOptions
): Effect.Effect<RunReport, SyncError, LeftAdapter | RightAdapter | SyncStore> =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const sides: Record<Side, SyncAdapter> = { left: yield* LeftAdapter, right: yield* RightAdapter }
    const dispatchOptions = { maxAttempts: options.maxAttempts, retryBase: options.retryBase }
    const start = { kind: "sync", direction: options.direction, dryRun: options.dryRun, full: options.full } as const
    const resumed = options.dryRun ? { outcomes: [], fatal: Option.none<string>() } : yield* resume(dispatchOptions)
    if (Option.isSome(resumed.fatal)) return yield* stoppedResuming(store, start, resumed.outcomes, resumed.fatal.value)
    const planned = yield* listAndPlan(store, sides, policy, options)
    if (options.dryRun) return dryRunReport(planned)
    const started = yield* recordRun(store, start, planned)
    const { runId } = started
    return yield* Effect.onInterrupt(
      Effect.flatMap(dispatchAndRecord(store, started, planned, dispatchOptions), ({ items, error }) =>
        finish(
          store,
          sides,
          planned,
          runId,
          report({
            runId: Option.some(runId),
            items: [...resumed.outcomes, ...items],
            plan: planned.plan,
            resumed: resumed.outcomes.length,
            error,
            warnings: planned.warnings
          })
        )
      ).pipe(Effect.annotateLogs("runId", runId)),
      () => finishInterrupted(store, runId, planned.plan)
    )
  })
