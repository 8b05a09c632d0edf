import { describe, expect, it } from "@effect/vitest"
import type { FieldMapping, Fields, LinkState, PlanInput, RecordId, SideEvent, SyncPolicy } from "../src/index.js"
import { Planner, SideRecord } from "../src/index.js"

const rid = (id: string) => id as RecordId

/** A hub (left) row may name its ERP (right) counterpart in `erp_id`; the natural key is the code. */
const mappings: Array<FieldMapping> = [{ name: "name", left: "name", right: "name", conflict: "right" }]
const policy: SyncPolicy = {
  mappings,
  naturalKey: {
    left: (r) => (typeof r.fields.code === "string" ? r.fields.code : null),
    right: (r) => (typeof r.fields.khid === "string" ? r.fields.khid : null)
  },
  claimedLink: { left: (r) => (typeof r.fields.erp_id === "string" ? rid(r.fields.erp_id) : null) },
  uniqueKeys: { left: [], right: [] },
  admission: { toRight: [], toLeft: [] }
}

const hub = (id: string, fields: Fields) => new SideRecord({ id: rid(id), fields, version: `h${id}` })
const erp = (id: string, fields: Fields) => new SideRecord({ id: rid(id), fields, version: `e${id}` })
const note = (id: string, key: string): SideEvent => ({ key, id: rid(id), kind: "followUp", payload: { text: key } })

const input = (
  left: ReadonlyArray<SideRecord>,
  right: ReadonlyArray<SideRecord>,
  events: { readonly left?: ReadonlyArray<SideEvent>; readonly right?: ReadonlyArray<SideEvent> },
  options: { readonly policy?: SyncPolicy; readonly links?: ReadonlyArray<LinkState> } = {}
): PlanInput => ({
  left: { records: left, gone: new Set(), events: events.left ?? [] },
  right: { records: right, gone: new Set(), events: events.right ?? [] },
  links: options.links ?? [],
  policy: options.policy ?? policy,
  direction: "both",
  settled: new Set()
})

const actions = (input: PlanInput) =>
  Planner.plan(input).operations.flatMap((op) => (op._tag === "Action" ? [{ side: op.side, key: op.key }] : []))

describe("plan: the history of adopted links", () => {
  it("withholds the events of both records of a link adopted this run, and counts them by target side", () => {
    const p = Planner.plan(
      input([hub("1", { name: "A Co", erp_id: "11" })], [erp("11", { name: "A Co" })], {
        left: [note("1", "m1"), note("1", "m2")],
        right: [note("11", "r1")]
      })
    )
    expect(p.operations.map((op) => op._tag)).toEqual(["Link"])
    expect(p.withheld).toEqual([
      { side: "left", events: 1, records: 1 },
      { side: "right", events: 2, records: 1 }
    ])
  })

  it("carries them over with policy.backfillAdopted", () => {
    const p = input([hub("1", { name: "A Co", erp_id: "11" })], [erp("11", { name: "A Co" })], {
      left: [note("1", "m1"), note("1", "m2")]
    })
    expect(actions({ ...p, policy: { ...policy, backfillAdopted: true } })).toEqual([
      { side: "right", key: "action:right:m1" },
      { side: "right", key: "action:right:m2" }
    ])
    expect(Planner.plan({ ...p, policy: { ...policy, backfillAdopted: true } }).withheld).toEqual([])
  })

  it("still carries the events of a link made earlier, of a natural-key match, and of a record created this run", () => {
    const first = Planner.plan(input([hub("1", { name: "A Co", erp_id: "11" })], [erp("11", { name: "A Co" })], {}))
    const linked = input([], [], { left: [note("1", "later")] }, { links: first.links })
    expect(actions(linked)).toEqual([{ side: "right", key: "action:right:later" }])
    expect(Planner.plan(linked).withheld).toEqual([])
    const matched = input([hub("2", { name: "B Co", code: "K2" })], [erp("22", { name: "B Co", khid: "K2" })], {
      left: [note("2", "b")]
    })
    expect(actions(matched)).toEqual([{ side: "right", key: "action:right:b" }])
    const created = input([hub("3", { name: "C Co" })], [], { left: [note("3", "c")] })
    expect(actions(created)).toEqual([{ side: "right", key: "action:right:c" }])
    expect(Planner.plan(created).withheld).toEqual([])
  })
})
