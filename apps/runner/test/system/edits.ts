/**
 * What people do in the hub↔Zhibang world, each a sentence a person can read in a counterexample: people editing
 * either system, the hub promoting a contact or summarizing a conversation; and the fault profiles the ERP's calls can
 * have. Targets are picked by position (`#2` is the third hub customer by id, whatever ids the history has made by
 * then), so a shrunk history stays meaningful.
 */
import type { FaultProfile } from "@tongbu/mock-erp"
import { faultProfiles as mockProfiles, writeEndpoints } from "@tongbu/mock-erp"
import fc from "fast-check"
import type { Edit, Person } from "../../src/testing.js"
import type { Did, ErpChange, HubChange, MobileValue, NewErpCustomer, WechatValue } from "./people.js"
import * as people from "./people.js"
import type { Snapshot } from "./snapshot.js"
import type { System } from "./system.js"
import { listedErpField } from "./world.js"

type Command = Edit<System>

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

/**
 * A person's edit as the harness records it; an ERP edit of a field the ERP's list does not show is noted in the
 * model (an incremental run cannot see it), from the customer as it was `before` and after.
 */
const noting = (system: System, act: () => Promise<Did> | Did, before?: Snapshot) => async () => {
  const did = await act()
  const erpEdit = did.erpEdit
  return {
    changed: did.changed,
    text: did.text,
    ...(before === undefined || erpEdit === undefined || listedErpField(erpEdit.field)
      ? {}
      : {
          noted: (after: Snapshot) => {
            const ord = String(erpEdit.ord)
            const [was, now] = [before.canonical.erp.get(ord) ?? {}, after.canonical.erp.get(ord) ?? {}]
            system.model.noteUnlistedErpEdit(
              ord,
              Object.keys(now).filter((field) => (was[field] ?? null) !== (now[field] ?? null))
            )
          }
        })
  }
}

export class HubEdit implements Command {
  constructor(
    readonly target: number,
    readonly change: HubChange
  ) {}
  run = async (system: System, person: Person<Snapshot>) => {
    await person(
      this.toString(),
      noting(system, () => people.editHub(system.world, this.target, this.change))
    )
  }
  toString = () => `hub edits customer #${this.target}: ${people.showHubChange(this.change)}`
}

export class ErpEdit implements Command {
  constructor(
    readonly target: number,
    readonly change: ErpChange
  ) {}
  run = async (system: System, person: Person<Snapshot>) => {
    const before = await system.snapshot()
    await person(
      this.toString(),
      noting(system, () => people.editErp(system.world, this.target, this.change), before)
    )
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
  run = async (system: System, person: Person<Snapshot>) => {
    const { world } = system
    const pair = people.linkedPair(world, this.target)
    const values = people.conflictValues[this.field]
    const [hubValue, erpValue] = values[this.n % values.length]!
    await person(
      `${this} (hub side)`,
      noting(system, () =>
        pair === undefined
          ? { changed: false, text: "no linked customer to edit" }
          : people.editHub(world, pair.hub, { field: this.field, value: hubValue })
      )
    )
    if (pair === undefined) return
    const before = await system.snapshot()
    await person(
      `${this} (ERP side)`,
      noting(system, () => people.editErp(world, pair.erp, { field: this.field, value: erpValue }), before)
    )
  }
  toString = () =>
    `a hub user and an ERP user both change the ${this.field} of linked pair #${this.target} (values ${this.n})`
}

export class ErpCreate implements Command {
  constructor(readonly customer: NewErpCustomer) {}
  run = async (system: System, person: Person<Snapshot>) => {
    await person(
      this.toString(),
      noting(system, () => people.createErp(system.world, this.customer))
    )
  }
  toString = () => `ERP user enters a customer: ${people.showNewErpCustomer(this.customer)}`
}

export class Promote implements Command {
  constructor(readonly contact: number) {}
  run = async (system: System, person: Person<Snapshot>) => {
    await person(
      this.toString(),
      noting(system, () => people.promoteContact(system.world, this.contact))
    )
  }
  toString = () => `the hub promotes WeChat contact #${this.contact} to a customer`
}

export class Summary implements Command {
  constructor(
    readonly target: number,
    readonly text: string
  ) {}
  run = async (system: System, person: Person<Snapshot>) => {
    await person(
      this.toString(),
      noting(system, () => people.summarize(system.world, this.target, this.text))
    )
  }
  toString = () => `a new conversation summary for hub customer #${this.target}: ${this.text}`
}

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

const bothEdit = fc
  .tuple(index, pick(["name", "email", "address"] as const), fc.nat({ max: 1 }))
  .map(([target, field, n]) => new BothEdit(target, field, n))

/** What people do, in the proportions of a history (an entry listed twice is drawn twice as often). */
export const edits: ReadonlyArray<fc.Arbitrary<Command>> = [
  fc.tuple(index, hubChange).map(([target, change]) => new HubEdit(target, change)),
  fc.tuple(index, hubChange).map(([target, change]) => new HubEdit(target, change)),
  fc.tuple(index, erpChange).map(([target, change]) => new ErpEdit(target, change)),
  fc.tuple(index, erpChange).map(([target, change]) => new ErpEdit(target, change)),
  bothEdit,
  bothEdit,
  newErpCustomer.map((customer) => new ErpCreate(customer)),
  index.map((contact) => new Promote(contact)),
  fc.tuple(index, pick(people.summaries)).map(([target, text]) => new Summary(target, text))
]
