/**
 * The real side of the model-based test: a `World`, the user's rules derived once, the snapshots, and the checks run
 * after each command. A failed check throws with every violation, in words, and this history's steps with the ids
 * they resolved to, so the counterexample fast-check prints (with its seed and path) reads as a story.
 */

import { normalizeMobile } from "@tongbu/adapter-wechat-hub"
import type { Operation, Plan, RunId, SyncPolicy } from "@tongbu/core"
import { Option } from "effect"
import type { Deviations } from "./deviations.js"
import { Meter } from "./drive.js"
import * as inv from "./invariants.js"
import type { LastSync, Model } from "./model.js"
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

export class InvariantViolation extends Error {
  override readonly name = "InvariantViolation"
}

const normalize = (value: string) => Option.getOrElse(normalizeMobile(value), () => value.trim())

const parseDefault = (value: unknown): unknown => {
  if (typeof value !== "string" || value === "CURRENT_TIMESTAMP") return null
  if (/^'.*'$/.test(value)) return value.slice(1, -1)
  const n = Number(value)
  return Number.isNaN(n) ? value : n
}

export class System {
  /** This history's steps, with what each did (ids resolved), for the failure report. */
  readonly steps: Array<string> = []
  readonly policy: SyncPolicy
  readonly rules: ReadonlyArray<FieldRule>
  private readonly owned: ReadonlySet<string>
  private readonly erpOwned: ReadonlySet<string>
  private readonly defaults: ReadonlyMap<string, unknown>
  /** What the history had cost at its last step (for `TONGBU_SYSTEM_TRACE`). */
  private spent = new Meter()
  private stepAt = Date.now()

  private constructor(readonly world: World) {
    this.policy = intendedPolicy(world.settings)
    this.rules = fieldRules(this.policy)
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

  static async make(options: WorldOptions, budgetSeconds: number): Promise<System> {
    return new System(await World.make(options, budgetSeconds))
  }

  close(): Promise<void> {
    return this.world.close()
  }

  snapshot(): Promise<Snapshot> {
    return takeSnapshot(this.world, this.policy.mappings)
  }

  step(command: string, did: string): void {
    this.steps.push(`${this.steps.length + 1}. ${command} — ${did}`)
    if (process.env.TONGBU_SYSTEM_TRACE === "1") {
      const meter = this.world.budget.meter
      const wall = Date.now() - this.stepAt
      process.stdout.write(
        `${this.steps[this.steps.length - 1]}\n    [${wall} ms wall; runs: ${meter.since(this.spent)}]\n`
      )
      this.spent = meter.copy()
      this.stepAt = Date.now()
    }
  }

  private verify(violations: ReadonlyArray<readonly [string, ReadonlyArray<string>]>): void {
    const found = violations.flatMap(([name, list]) => list.map((violation) => `  [${name}] ${violation}`))
    if (found.length === 0) return
    throw new InvariantViolation(
      [
        `after step ${this.steps.length}, ${found.length} invariant violation(s):`,
        ...found,
        "this history, with the ids each step resolved to:",
        ...this.steps.map((step) => `  ${step}`)
      ].join("\n")
    )
  }

  /** The properties of both systems and the store that hold after any command. */
  private always(after: Snapshot): Array<readonly [string, ReadonlyArray<string>]> {
    return [
      ["1 unique khid, created once", inv.uniqueCodes(after)],
      ["5 nothing lost or applied twice", inv.outboxMatchesErp(after)]
    ]
  }

  afterEdit(after: Snapshot): void {
    this.verify(this.always(after))
  }

  /**
   * After a sync command (one run, or a crashed run and its restart): what holds after every run, and, when the last
   * run had no faults, convergence, a plan with nothing left to do, and that one more sync run for real writes nothing.
   */
  afterSync(
    model: Model,
    before: Snapshot,
    after: Snapshot,
    runs: ReadonlySet<string>,
    clean:
      | {
          readonly status: "completed" | "failed"
          readonly error: Option.Option<string>
          readonly next: Plan
          readonly again: Snapshot
        }
      | undefined,
    deviations: Deviations
  ): void {
    this.verify([
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
    ])
  }

  afterRollback(model: Model, last: LastSync, before: Snapshot, after: Snapshot, deviations: Deviations): void {
    const exact = last.clean && !model.editedSinceSync
    this.verify([
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
                deviations.rollbackLeftover
              )
            ]
          ] as const)
        : [])
    ])
  }

  runIdsSince(before: Snapshot, after: Snapshot): ReadonlySet<RunId> {
    const known = new Set(before.store.runs.map((run) => run.id))
    return new Set(after.store.runs.filter((run) => !known.has(run.id)).map((run) => run.id))
  }
}
