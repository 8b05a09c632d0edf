/**
 * The commands of a generated history, each a sentence a person can read in a counterexample: people editing either
 * system, the hub promoting a contact or summarizing a conversation, sync runs (clean, under a fault profile, or
 * crashing at an ERP call and restarting), and rolling back the last run. Targets are picked by position (`#2` is the
 * third hub customer by id, whatever ids the history has made by then), so a shrunk history stays meaningful.
 */
import type { RunId } from "@tongbu/core"
import type { FaultProfile } from "@tongbu/mock-erp"
import { faultProfiles as mockProfiles, writeEndpoints } from "@tongbu/mock-erp"
import fc from "fast-check"
import type { Deviations } from "./deviations.js"
import type { Model } from "./model.js"
import { pairKey } from "./model.js"
import type { Did, ErpChange, HubChange, MobileValue, NewErpCustomer, WechatValue } from "./people.js"
import * as people from "./people.js"
import type { Snapshot } from "./snapshot.js"
import type { System } from "./system.js"
import type { World } from "./world.js"
import { listedErpField } from "./world.js"

type Command = fc.AsyncCommand<Model, System>

/** The fault profiles a sync may run under: each one of the failures the issue names, and all of them at once. */
export const faultProfiles = {
  transient: { name: "transient", all: { transientRate: 0.2, transientKinds: ["backendDown", "crash"] } },
  html: { name: "html", all: { transientRate: 0.2, transientKinds: ["proxy502", "proxy504"] } },
  session: { name: "session", all: { sessionExpiryRate: 0.15 } },
  "ack-lost": {
    name: "ack-lost",
    endpoints: Object.fromEntries(
      writeEndpoints.map((endpoint) => [endpoint, { ackLostRate: 0.3, ackLostModes: ["reset", "proxy502"] }])
    )
  },
  slow: { name: "slow", all: { latencyMs: [0, 300], slowRate: 0.1, slowMs: 60_000 } },
  chaos: mockProfiles.chaos
} satisfies Record<string, FaultProfile>
export type ProfileName = keyof typeof faultProfiles

/** What a command did and the state it left, for the checks. */
const person = async (
  system: System,
  model: Model,
  command: string,
  act: () => Promise<Did> | Did,
  before?: Snapshot
) => {
  const did = await act()
  if (did.changed) model.editedSinceSync = true
  system.step(command, did.text)
  const after = await system.snapshot()
  if (before !== undefined && did.erpEdit !== undefined && !listedErpField(did.erpEdit.field)) {
    const ord = String(did.erpEdit.ord)
    const [was, now] = [before.canonical.erp.get(ord) ?? {}, after.canonical.erp.get(ord) ?? {}]
    model.noteUnlistedErpEdit(
      ord,
      Object.keys(now).filter((field) => (was[field] ?? null) !== (now[field] ?? null))
    )
  }
  system.afterEdit(after)
}

export class HubEdit implements Command {
  constructor(
    readonly target: number,
    readonly change: HubChange
  ) {}
  check = () => true
  run = async (model: Model, system: System) => {
    await system.world.elapse(7)
    await person(system, model, this.toString(), () => people.editHub(system.world, this.target, this.change))
  }
  toString = () => `hub edits customer #${this.target}: ${people.showHubChange(this.change)}`
}

export class ErpEdit implements Command {
  constructor(
    readonly target: number,
    readonly change: ErpChange
  ) {}
  check = () => true
  run = async (model: Model, system: System) => {
    await system.world.elapse(7)
    const before = await system.snapshot()
    await person(system, model, this.toString(), () => people.editErp(system.world, this.target, this.change), before)
  }
  toString = () => `ERP user edits customer #${this.target}: ${people.showErpChange(this.change)}`
}

/**
 * A person in each system changes the same field of one linked customer to different values before the next run:
 * the conflict the user's policy decides ("ERP wins" for the fields the ERP owns, "hub wins" for the hub's). `target`
 * counts linked pairs only, so the edit lands on a pair in any history that has run once.
 */
export class BothEdit implements Command {
  constructor(
    readonly target: number,
    readonly field: keyof typeof people.conflictValues,
    readonly n: number
  ) {}
  check = () => true
  run = async (model: Model, system: System) => {
    const { world } = system
    await world.elapse(7)
    const pair = people.linkedPair(world, this.target)
    const values = people.conflictValues[this.field]
    const [hubValue, erpValue] = values[this.n % values.length]!
    await person(system, model, `${this} (hub side)`, () =>
      pair === undefined
        ? { changed: false, text: "no linked customer to edit" }
        : people.editHub(world, pair.hub, { field: this.field, value: hubValue })
    )
    if (pair === undefined) return
    const before = await system.snapshot()
    await person(
      system,
      model,
      `${this} (ERP side)`,
      () => people.editErp(world, pair.erp, { field: this.field, value: erpValue }),
      before
    )
  }
  toString = () =>
    `a hub user and an ERP user both change the ${this.field} of linked pair #${this.target} (values ${this.n})`
}

export class ErpCreate implements Command {
  constructor(readonly customer: NewErpCustomer) {}
  check = () => true
  run = async (model: Model, system: System) => {
    await system.world.elapse(7)
    await person(system, model, this.toString(), () => people.createErp(system.world, this.customer))
  }
  toString = () => `ERP user enters a customer: ${people.showNewErpCustomer(this.customer)}`
}

export class Promote implements Command {
  constructor(readonly contact: number) {}
  check = () => true
  run = async (model: Model, system: System) => {
    await system.world.elapse(7)
    await person(system, model, this.toString(), () => people.promoteContact(system.world, this.contact))
  }
  toString = () => `the hub promotes WeChat contact #${this.contact} to a customer`
}

export class Summary implements Command {
  constructor(
    readonly target: number,
    readonly text: string
  ) {}
  check = () => true
  run = async (model: Model, system: System) => {
    await system.world.elapse(7)
    await person(system, model, this.toString(), () => people.summarize(system.world, this.target, this.text))
  }
  toString = () => `a new conversation summary for hub customer #${this.target}: ${this.text}`
}

export type SyncKind =
  | { readonly _tag: "Clean"; readonly full: boolean }
  | { readonly _tag: "Faults"; readonly profile: ProfileName; readonly full: boolean }
  | { readonly _tag: "Crash"; readonly at: number; readonly landed: boolean }

export class Sync implements Command {
  constructor(
    readonly kind: SyncKind,
    readonly deviations: Deviations
  ) {}
  check = () => true
  run = async (model: Model, system: System) => {
    const { world } = system
    await world.elapse(11)
    const before = await system.snapshot()
    const kind = this.kind
    let text: string
    let last: Awaited<ReturnType<World["sync"]>>
    switch (kind._tag) {
      case "Clean":
        last = await world.sync({ full: kind.full })
        text = ""
        break
      case "Faults":
        last = await world.sync({ full: kind.full, faults: faultProfiles[kind.profile] })
        text = `under ${kind.profile}: `
        break
      case "Crash": {
        const first = await world.sync({ full: false, crash: { at: kind.at, landed: kind.landed } })
        text =
          first._tag === "Crashed"
            ? `crashed after ${first.calls} ERP calls; restarted: `
            : "finished before the crash point; again: "
        await world.elapse(1)
        last = await world.sync({ full: false })
        break
      }
    }
    if (last._tag !== "Finished") throw new Error("a run without a crash plan crashed")
    const report = last.report
    text += `run ${report.runId.pipe((id) => (id._tag === "Some" ? id.value : "?"))} ${report.status}, ${summarize(report.counts)}${report.resumed > 0 ? `, ${report.resumed} resumed` : ""}`
    system.step(this.toString(), text)
    const after = await system.snapshot()
    const faultFree = kind._tag !== "Faults"
    // after a fault-free sync, one more for real: what it plans must be nothing, and it must write nothing
    const next = faultFree ? await world.sync({ full: false }) : undefined
    const again = next === undefined ? undefined : await system.snapshot()
    system.afterSync(
      model,
      before,
      after,
      system.runIdsSince(before, after),
      next === undefined || next._tag !== "Finished" || again === undefined
        ? undefined
        : { status: report.status, error: report.error, next: next.report.plan, again },
      this.deviations
    )
    model.agreeWhereEqual(after)
    model.editedSinceSync = false
    if (kind._tag === "Clean" && kind.full && report.status === "completed") model.unlistedErpEdits.clear()
    if (report.runId._tag === "Some") {
      model.lastSync = {
        runId: report.runId.value,
        before,
        clean: kind._tag === "Clean" && report.status === "completed" && report.resumed === 0,
        rolledBack: false
      }
    }
  }
  toString = () => {
    const kind = this.kind
    switch (kind._tag) {
      case "Clean":
        return `sync runs (${kind.full ? "full" : "incremental"})`
      case "Faults":
        return `sync runs (${kind.full ? "full" : "incremental"}) with faults: ${kind.profile}`
      case "Crash":
        return `the runner crashes at ERP call ${kind.at} (${kind.landed ? "after the ERP committed it" : "before it reached the ERP"}) and restarts`
    }
  }
}

const summarize = (counts: Record<string, number | undefined>) =>
  Object.entries(counts)
    .filter(([, n]) => n !== undefined && n > 0)
    .map(([name, n]) => `${n} ${name}`)
    .join(", ") || "nothing to do"

export class Rollback implements Command {
  constructor(readonly deviations: Deviations) {}
  check = (model: Readonly<Model>) => model.lastSync !== undefined
  run = async (model: Model, system: System) => {
    const last = model.lastSync!
    await system.world.elapse(5)
    const before = await system.snapshot()
    const report = await system.world.rollback(last.runId)
    system.step(this.toString(), `rollback of run ${last.runId} ${report.status}: ${summarize(report.counts)}`)
    const after = await system.snapshot()
    system.afterRollback(model, last, before, after, this.deviations)
    model.takeAsTheyAre(after, restoredPairs(after, last.runId))
    last.rolledBack = true
  }
  toString = () => "roll back the last run"
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

// ── the arbitraries ──────────────────────────────────────────────────────────────────────────────────────────────

const index = fc.nat({ max: 11 })
const pick = <A>(values: ReadonlyArray<A>) => fc.constantFrom(...values)

const mobile: fc.Arbitrary<MobileValue> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      _tag: fc.constant("Pool" as const),
      n: fc.nat({ max: 3 }),
      format: pick(["plain", "spaced", "plus86"] as const)
    })
  },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("HubCopy" as const), index }) },
  { weight: 2, arbitrary: fc.record({ _tag: fc.constant("ErpCopy" as const), index }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "Landline" as const }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "None" as const }) }
)

const wechat: fc.Arbitrary<WechatValue> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant("Pool" as const), n: fc.nat({ max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ _tag: fc.constant("HubCopy" as const), index }) },
  { weight: 1, arbitrary: fc.constant({ _tag: "None" as const }) }
)

const name = pick([...people.companyNames, ...people.personNames])
const optional = (values: ReadonlyArray<string>) => fc.option(pick(values), { nil: null, freq: 3 })

const hubChange: fc.Arbitrary<HubChange> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ field: fc.constant("name" as const), value: name }) },
  { weight: 4, arbitrary: fc.record({ field: fc.constant("phone" as const), value: mobile }) },
  { weight: 2, arbitrary: fc.record({ field: fc.constant("wechat_id" as const), value: wechat }) },
  { weight: 2, arbitrary: fc.record({ field: pick(["email"] as const), value: optional(people.emails) }) },
  { weight: 2, arbitrary: fc.record({ field: pick(["address"] as const), value: optional(people.addresses) }) },
  {
    weight: 1,
    arbitrary: fc.record({ field: pick(["phone_verified", "marked_as_invalid"] as const), value: fc.boolean() })
  },
  { weight: 1, arbitrary: fc.record({ field: fc.constant("intent_score" as const), value: pick([0, 45, 70, 92]) }) }
)

const erpChange: fc.Arbitrary<ErpChange> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ field: fc.constant("name" as const), value: name }) },
  { weight: 3, arbitrary: fc.record({ field: fc.constant("mobile" as const), value: mobile }) },
  { weight: 2, arbitrary: fc.record({ field: fc.constant("weixinAcc" as const), value: wechat }) },
  { weight: 1, arbitrary: fc.record({ field: pick(["email"] as const), value: optional(people.emails) }) },
  { weight: 1, arbitrary: fc.record({ field: pick(["address"] as const), value: optional(people.addresses) }) },
  { weight: 1, arbitrary: fc.record({ field: fc.constant("jz" as const), value: pick(people.jzValues) }) },
  { weight: 1, arbitrary: fc.record({ field: fc.constant("ly" as const), value: pick(people.lyValues) }) },
  { weight: 1, arbitrary: fc.record({ field: fc.constant("sort1" as const), value: pick(people.sort1Values) }) }
)

const newErpCustomer: fc.Arbitrary<NewErpCustomer> = fc.record({
  person: fc.boolean(),
  name,
  mobile,
  weixinAcc: wechat,
  khid: fc.oneof(
    fc.constant({ _tag: "None" as const }),
    fc.record({ _tag: fc.constant("HubCode" as const), index }),
    fc.record({ _tag: fc.constant("Own" as const), n: fc.nat({ max: 3 }) })
  )
})

const syncKind: fc.Arbitrary<SyncKind> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ _tag: fc.constant("Clean" as const), full: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      _tag: fc.constant("Faults" as const),
      profile: pick(Object.keys(faultProfiles) as Array<ProfileName>),
      full: fc.boolean()
    })
  },
  {
    weight: 2,
    arbitrary: fc.record({
      _tag: fc.constant("Crash" as const),
      at: fc.integer({ min: 1, max: 40 }),
      landed: fc.boolean()
    })
  }
)

const bothEdit = fc
  .tuple(index, pick(["name", "email", "address"] as const), fc.nat({ max: 1 }))
  .map(([target, field, n]) => new BothEdit(target, field, n))

/**
 * A history of at most `max` commands, about a third of them runs. `replayPath` (the one a counterexample prints) lets
 * fast-check replay a shrunk history from its seed and path.
 */
export const histories = (max: number, deviations: Deviations, replayPath?: string): fc.Arbitrary<Iterable<Command>> =>
  fc.commands(
    [
      fc.tuple(index, hubChange).map(([target, change]) => new HubEdit(target, change)),
      fc.tuple(index, hubChange).map(([target, change]) => new HubEdit(target, change)),
      fc.tuple(index, erpChange).map(([target, change]) => new ErpEdit(target, change)),
      fc.tuple(index, erpChange).map(([target, change]) => new ErpEdit(target, change)),
      bothEdit,
      bothEdit,
      newErpCustomer.map((customer) => new ErpCreate(customer)),
      index.map((contact) => new Promote(contact)),
      fc.tuple(index, pick(people.summaries)).map(([target, text]) => new Summary(target, text)),
      syncKind.map((kind) => new Sync(kind, deviations)),
      syncKind.map((kind) => new Sync(kind, deviations)),
      syncKind.map((kind) => new Sync(kind, deviations)),
      fc.constant(new Rollback(deviations))
    ],
    { maxCommands: max, ...(replayPath === undefined ? {} : { replayPath }) }
  )
