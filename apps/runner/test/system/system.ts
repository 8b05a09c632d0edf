/**
 * The hub↔Zhibang world as the system suite drives it: a `World`, the user's rules derived once, the model of what
 * each pair last agreed on, the snapshots, and the invariants checked after each command (the harness throws with
 * every violation and the history's steps).
 */

import { normalizeMobile } from "@tongbu/adapter-wechat-hub"
import type { Operation, RunId, SyncPolicy } from "@tongbu/core"
import { Option } from "effect"
import type {
  Budget,
  PairSystem,
  RollbackDone,
  SyncDone,
  SyncOptions,
  SyncOutcome,
  Violations
} from "../../src/testing.js"
import type { Deviations } from "./deviations.js"
import { faultProfiles, type ProfileName } from "./edits.js"
import * as inv from "./invariants.js"
import { Model, pairKey } from "./model.js"
import type { FieldRule } from "./rules.js"
import {
  erpWritable,
  fieldRules,
  insertedHubColumns,
  intendedPolicy,
  ownedHubColumns,
  syncStateColumns
} from "./rules.js"
import type { Snapshot } from "./snapshot.js"
import { takeSnapshot } from "./snapshot.js"
import type { WorldOptions } from "./world.js"
import { World } from "./world.js"

/**
 * An update of the hub that only carries ERP edits the last (incremental) run could not see: a write of the run made
 * it read the ERP customer again, and the next run carries them (see `Model.unlistedErpEdits`).
 */
const carriesUnseenErpEdit = (model: Model, op: Operation): boolean =>
  op._tag === "Update" &&
  op.side === "left" &&
  op.canonicalFields.every((field) => model.unseenErpEdit(op.otherId, field))

const normalize = (value: string) => Option.getOrElse(normalizeMobile(value), () => value.trim())

const parseDefault = (value: unknown): unknown => {
  if (typeof value !== "string" || value === "CURRENT_TIMESTAMP") return null
  if (/^'.*'$/.test(value)) return value.slice(1, -1)
  const n = Number(value)
  return Number.isNaN(n) ? value : n
}

export class System implements PairSystem<Snapshot> {
  readonly policy: SyncPolicy
  readonly rules: ReadonlyArray<FieldRule>
  readonly model: Model
  private readonly owned: ReadonlySet<string>
  private readonly erpOwned: ReadonlySet<string>
  private readonly defaults: ReadonlyMap<string, unknown>

  private constructor(
    readonly world: World,
    private readonly deviations: Deviations
  ) {
    this.policy = intendedPolicy(world.settings)
    this.rules = fieldRules(this.policy)
    this.model = new Model(this.rules)
    this.owned = ownedHubColumns(this.policy)
    this.erpOwned = erpWritable(this.policy)
    const columns = world.hub
      .prepare("SELECT name, dflt_value FROM pragma_table_info('customers_unified')")
      .all() as Array<{
      name: string
      dflt_value: unknown
    }>
    this.defaults = new Map(columns.map((column) => [column.name, parseDefault(column.dflt_value)]))
  }

  static async make(options: WorldOptions, budget: Budget, deviations: Deviations): Promise<System> {
    return new System(await World.make(options, budget), deviations)
  }

  readonly close = (): Promise<void> => this.world.close()

  readonly elapse = (minutes: number): Promise<void> => this.world.elapse(minutes)

  readonly snapshot = (): Promise<Snapshot> => takeSnapshot(this.world, this.policy.mappings)

  readonly sync = (options: SyncOptions): Promise<SyncOutcome> =>
    this.world.sync({
      full: options.full,
      ...(options.faults === undefined ? {} : { faults: faultProfiles[options.faults as ProfileName] }),
      ...(options.crash === undefined ? {} : { crash: options.crash })
    })

  readonly rollback = (runId: RunId) => this.world.rollback(runId)

  /** The properties of both systems and the store that hold after any command. */
  private always(after: Snapshot): Violations {
    return [
      ["1 unique khid, created once", inv.uniqueCodes(after)],
      ["5 nothing lost or applied twice", inv.outboxMatchesErp(after)]
    ]
  }

  readonly afterEdit = (after: Snapshot): Violations => this.always(after)

  /**
   * After a sync command (one run, or a crashed run and its restart): what holds after every run, and, when the last
   * run had no faults, convergence, a plan with nothing left to do, and that one more sync run for real writes nothing.
   * Then the model takes the pairs' new common values.
   */
  readonly afterSync = ({ kind, before, after, report, runs, clean }: SyncDone<Snapshot>): Violations => {
    const { model, deviations } = this
    const violations: Violations = [
      ...this.always(after),
      ["1 unique khid, created once", inv.noDoubleHubCreates(before, after)],
      ["2 no mobile collision by the sync", inv.noNewMobileCollisions(before, after, normalize)],
      ["2 skips with reasons", inv.skipsHaveReasons(after, runs)],
      ["3 field rules", inv.fieldRulesHold(model, before, after)],
      ["3 ERP fields the sync owns", inv.erpFieldsOwned(before, after, this.erpOwned)],
      [
        "7 hub columns the sync owns",
        inv.hubColumnsOwned(before, after, this.owned, insertedHubColumns, this.defaults, false)
      ],
      ...(clean === undefined
        ? []
        : ([
            [
              "4 converged",
              clean.status === "completed"
                ? inv.converged(model, after, deviations.disagreement)
                : [`a fault-free sync failed: ${Option.getOrElse(clean.error, () => "no reason given")}`]
            ],
            [
              "4 nothing left to do",
              inv.nothingLeftToDo(
                clean.next,
                (op) => deviations.nextPlan(op, before) || carriesUnseenErpEdit(model, op)
              )
            ],
            ["4 a second sync writes nothing", inv.wroteNothing(after, clean.again)]
          ] as const))
    ]
    model.agreeWhereEqual(after)
    if (kind._tag === "Clean" && kind.full && report.status === "completed") model.unlistedErpEdits.clear()
    return violations
  }

  /** After a rollback: what always holds, and, right after a clean sync, that it restored what that sync changed. */
  readonly afterRollback = ({ last, editedSinceSync, before, after }: RollbackDone<Snapshot>): Violations => {
    const exact = last.clean && !editedSinceSync
    const violations: Violations = [
      ...this.always(after),
      ["2 no mobile collision by the sync", inv.noNewMobileCollisions(before, after, normalize)],
      ["3 ERP fields the sync owns", inv.erpFieldsOwned(before, after, new Set([...this.erpOwned, "intro"]))],
      [
        "7 hub columns the sync owns",
        inv.hubColumnsOwned(before, after, this.owned, insertedHubColumns, this.defaults, true)
      ],
      ...(exact
        ? ([
            [
              "6 rollback restores",
              inv.rollbackRestored(
                last,
                after,
                inv.restoredHubColumns(this.owned, syncStateColumns),
                this.world.withdrawNote,
                this.deviations.rollbackLeftover
              )
            ]
          ] as const)
        : [])
    ]
    this.model.takeAsTheyAre(after, restoredPairs(after, last.runId))
    return violations
  }

  readonly runIdsSince = (before: Snapshot, after: Snapshot): ReadonlySet<RunId> => {
    const known = new Set(before.store.runs.map((run) => run.id))
    return new Set(after.store.runs.filter((run) => !known.has(run.id)).map((run) => run.id))
  }
}

/** The pairs whose fields the rollback of `runId` restored: the sides of its updates now rolled back. */
const restoredPairs = (after: Snapshot, runId: RunId): ReadonlySet<string> =>
  new Set(
    after.store.operations.flatMap((stored) => {
      const op = stored.operation
      if (stored.runId !== runId || stored.state !== "rolledBack" || op._tag !== "Update") return []
      return [
        pairKey(op.side === "left" ? { leftId: op.id, rightId: op.otherId } : { leftId: op.otherId, rightId: op.id })
      ]
    })
  )
