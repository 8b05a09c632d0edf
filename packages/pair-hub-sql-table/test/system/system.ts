/**
 * The hub↔sql-table world as the system suite drives it: snapshots of both sides (raw rows, and each side's records in
 * canonical form as its adapter lists them), the store, the model (`model.ts`), and the invariants checked after
 * each command.
 */

import { SqlTableAdapter } from "@tongbu/adapter-sql-table"
import { HubAdapter } from "@tongbu/adapter-wechat-hub"
import type { Fields, LinkState, Outcome, Run, RunId, StoredOperation, SyncAdapter, SyncPolicy } from "@tongbu/core"
import { canonicalize, isWrite } from "@tongbu/core"
import type { Budget, PairSystem, RollbackDone, SyncDone, SyncOptions, Violations } from "@tongbu/runner/testing"
import { latestOutcomes, leftAlone } from "@tongbu/runner/testing"
import type { Scope } from "effect"
import { Effect, Option, Stream } from "effect"
import { pair } from "../../src/index.js"
import { Model, pairKey } from "./model.js"
import { faultProfiles, type ProfileName } from "./wire.js"
import type { WorldOptions } from "./world.js"
import { World } from "./world.js"

type Row = Readonly<Record<string, unknown>>

export interface Snapshot {
  readonly hub: ReadonlyMap<string, Row>
  readonly table: ReadonlyMap<string, Row>
  readonly canonical: { readonly left: ReadonlyMap<string, Fields>; readonly right: ReadonlyMap<string, Fields> }
  readonly links: ReadonlyArray<LinkState>
  readonly runs: ReadonlyArray<Run>
  readonly outcomes: ReadonlyArray<Outcome>
  readonly operations: ReadonlyArray<StoredOperation>
}

const show = (value: unknown) => JSON.stringify(value ?? null)

const readRows = (db: World["hub"], sql: string): ReadonlyMap<string, Row> =>
  new Map((db.prepare(sql).all() as Array<Row>).map((row) => [String(row.id), row]))

const listed = (adapter: Effect.Effect<SyncAdapter, unknown, Scope.Scope>) =>
  Effect.scoped(
    Effect.flatMap(adapter, (side) => Stream.runCollect(side.list({ since: Option.none() }))).pipe(
      Effect.map((entries) => Array.from(entries, (entry) => entry.record).filter((record) => record !== undefined))
    )
  )

const changedRows = (
  what: string,
  before: ReadonlyMap<string, Row>,
  after: ReadonlyMap<string, Row>,
  ignore: ReadonlyArray<string>
) =>
  [...after].flatMap(([id, row]) => {
    const was = before.get(id)
    if (was === undefined) return [`${what} ${id} is new`]
    const changed = Object.keys(row).filter(
      (column) => !ignore.includes(column) && show(was[column]) !== show(row[column])
    )
    return changed.length === 0
      ? []
      : [`${what} ${id}: ${changed.map((c) => `${c} ${show(was[c])} → ${show(row[c])}`).join(", ")}`]
  })

export class System implements PairSystem<Snapshot> {
  readonly model = new Model()
  readonly policy: SyncPolicy
  private readonly fields: ReadonlyArray<{ readonly name: string; readonly fillIn: boolean }>

  private constructor(readonly world: World) {
    this.policy = pair.policy(world.settings)
    this.fields = this.policy.mappings
      .filter((mapping) => !mapping.createOnly)
      .map((mapping) => ({ name: mapping.name, fillIn: mapping.fillIn === true }))
  }

  static async make(options: WorldOptions, budget: Budget): Promise<System> {
    return new System(await World.make(options, budget))
  }

  readonly close = () => this.world.close()
  readonly elapse = (minutes: number) => this.world.elapse(minutes)
  readonly rollback = (runId: RunId) => this.world.rollback(runId)
  readonly sync = (options: SyncOptions) =>
    this.world.sync({
      full: options.full,
      ...(options.faults === undefined ? {} : { faults: faultProfiles[options.faults as ProfileName] }),
      ...(options.crash === undefined ? {} : { crash: options.crash })
    })

  readonly snapshot = async (): Promise<Snapshot> => {
    const { world, policy } = this
    const table = Option.getOrThrow(world.settings.table)
    const [hubRecords, tableRecords] = await world.effect(
      Effect.all([
        listed(HubAdapter.make({ path: world.hub.name, intake: false })),
        listed(SqlTableAdapter.make({ ...table, path: world.table.name, name: "snapshot" }))
      ])
    )
    const store = await world.store((store) =>
      Effect.gen(function* () {
        const runs = (yield* store.runs(100_000)).slice().reverse()
        const outcomes = (yield* Effect.forEach(runs, (run) => store.outcomes(run.id))).flat()
        const operations = (yield* Effect.forEach(runs, (run) => store.operations(run.id))).flat()
        return { links: yield* store.links, runs, outcomes, operations }
      })
    )
    return {
      hub: readRows(world.hub, "SELECT * FROM customers_unified ORDER BY id"),
      table: readRows(world.table, "SELECT * FROM customers ORDER BY id"),
      canonical: {
        left: new Map(hubRecords.map((r) => [r.id as string, canonicalize(policy.mappings, "left", r)])),
        right: new Map(tableRecords.map((r) => [r.id as string, canonicalize(policy.mappings, "right", r)]))
      },
      ...store
    }
  }

  readonly runIdsSince = (before: Snapshot, after: Snapshot): ReadonlySet<RunId> => {
    const known = new Set(before.runs.map((run) => run.id))
    return new Set(after.runs.filter((run) => !known.has(run.id)).map((run) => run.id))
  }

  /** Links are one-to-one and name records that exist. */
  private always(after: Snapshot): Violations {
    const violations: Array<string> = []
    const [lefts, rights] = [new Set<string>(), new Set<string>()]
    for (const link of after.links) {
      if (lefts.has(link.leftId)) violations.push(`hub customer ${link.leftId} is linked twice`)
      if (rights.has(link.rightId)) violations.push(`table row ${link.rightId} is linked twice`)
      lefts.add(link.leftId)
      rights.add(link.rightId)
      if (!after.hub.has(link.leftId))
        violations.push(`${pairKey(link)} is linked, but the hub has no customer ${link.leftId}`)
      if (!after.table.has(link.rightId))
        violations.push(`${pairKey(link)} is linked, but the table has no row ${link.rightId}`)
    }
    return [["links one-to-one, of records that exist", violations]]
  }

  readonly afterEdit = (after: Snapshot): Violations => this.always(after)

  private converged(after: Snapshot): Array<string> {
    const violations: Array<string> = []
    const latest = latestOutcomes(after.outcomes)
    for (const link of after.links) {
      const [left, right] = [after.canonical.left.get(link.leftId), after.canonical.right.get(link.rightId)]
      if (left === undefined || right === undefined) continue
      if (leftAlone(latest.get(`left:${link.leftId}`)) || leftAlone(latest.get(`right:${link.rightId}`))) continue
      for (const field of this.fields) {
        const [l, r] = [left[field.name] ?? null, right[field.name] ?? null]
        if (l === r || (field.fillIn && l !== null && r !== null) || this.model.keptApart(link, field.name, l, r))
          continue
        violations.push(
          `${pairKey(link)} disagree on ${field.name} after a fault-free sync: hub ${show(l)}, table ${show(r)}`
        )
      }
    }
    const linked = {
      left: new Set(after.links.map((l) => l.leftId as string)),
      right: new Set(after.links.map((l) => l.rightId as string))
    }
    for (const side of ["left", "right"] as const) {
      for (const id of after.canonical[side].keys()) {
        const outcome = latest.get(`${side}:${id}`)
        // a record whose create a rollback undid stays apart until a person changes it (the rollback recorded it)
        if (!linked[side].has(id) && !leftAlone(outcome) && outcome !== "rolledBack")
          violations.push(
            `${side === "left" ? "hub customer" : "table row"} ${id} is neither linked nor recorded as left alone: silently dropped`
          )
      }
    }
    return violations
  }

  private tableWon(after: Snapshot): Array<string> {
    const violations: Array<string> = []
    for (const [key, fields] of this.model.expectations()) {
      const link = after.links.find((l) => pairKey(l) === key)
      if (link === undefined) continue
      for (const [field, value] of fields) {
        const [l, r] = [
          after.canonical.left.get(link.leftId)?.[field] ?? null,
          after.canonical.right.get(link.rightId)?.[field] ?? null
        ]
        if (l !== value || r !== value)
          violations.push(
            `${key}, ${field}: both sides changed it and the table wins (${show(value)}), yet hub holds ${show(l)} and table ${show(r)}`
          )
      }
    }
    return violations
  }

  readonly afterSync = ({ after, clean }: SyncDone<Snapshot>): Violations => {
    const violations: Violations = [
      ...this.always(after),
      ...(clean === undefined
        ? []
        : ([
            [
              "converged",
              clean.status === "completed"
                ? this.converged(after)
                : [`a fault-free sync failed: ${Option.getOrElse(clean.error, () => "no reason given")}`]
            ],
            ["the table wins a conflict", clean.status === "completed" ? this.tableWon(after) : []],
            [
              "nothing left to do",
              clean.next.operations
                .filter(isWrite)
                .map((op) => `one more sync still plans ${op._tag} on the ${op.side}`)
            ],
            [
              "a second sync writes nothing",
              [
                ...changedRows("hub row", after.hub, clean.again.hub, []),
                ...changedRows("table row", after.table, clean.again.table, [])
              ]
            ]
          ] as const))
    ]
    if (clean?.status === "completed") this.model.clearExpectations()
    return violations
  }

  /** A rollback of a clean sync with no edits since restores the table's rows and the hub's synced fields. */
  readonly afterRollback = ({ last, editedSinceSync, after }: RollbackDone<Snapshot>): Violations => {
    const exact = last.clean && !editedSinceSync
    const restored = exact
      ? [
          ...changedRows("table row", last.before.table, after.table, ["row_version", "sync_key"]),
          ...[...last.before.table.keys()].filter((id) => !after.table.has(id)).map((id) => `table row ${id} is gone`),
          ...[...after.canonical.left].flatMap(([id, fields]) => {
            const was = last.before.canonical.left.get(id)
            if (was === undefined) return [`hub customer ${id}, created by run ${last.runId}, is still listed`]
            return this.fields
              .filter((f) => (was[f.name] ?? null) !== (fields[f.name] ?? null))
              .map((f) => `hub customer ${id}: ${f.name} ${show(was[f.name])} → ${show(fields[f.name])}`)
          })
        ]
      : []
    this.model.clearExpectations()
    for (const stored of after.operations) {
      const op = stored.operation
      if (stored.runId !== last.runId || stored.state !== "rolledBack" || op._tag !== "Update") continue
      const link = after.links.find((l) => (op.side === "left" ? l.leftId === op.id : l.rightId === op.id))
      if (link === undefined) continue
      for (const field of this.fields) {
        const values = [
          after.canonical.left.get(link.leftId)?.[field.name] ?? null,
          after.canonical.right.get(link.rightId)?.[field.name] ?? null
        ] as const
        this.model.keepApart(link, field.name, values)
      }
    }
    return [...this.always(after), ["rollback restores", restored]]
  }
}
