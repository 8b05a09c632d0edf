import { describe, expect, it } from "@effect/vitest"
import type { FieldValue, HeldValue, Plan, RecordId, SideRecord, SyncPolicy } from "../src/index.js"
import { LinkState, Planner, SideRecord as Record_ } from "../src/index.js"

// Unique values held outside a side's records (an ERP customer's further contacts' mobiles): no other record gets one.

const rid = (id: string) => id as RecordId
const digits = (value: FieldValue) =>
  typeof value === "string" ? value.replace(/\D/g, "").replace(/^86(?=\d{11}$)/, "") : value

const policy: SyncPolicy = {
  mappings: [
    { name: "name", left: "name", right: "name", conflict: "right" },
    { name: "mobile", left: "phone", right: "mobile", normalize: digits, conflict: "right" },
    { name: "note", left: "note", right: "intro", conflict: "right" }
  ],
  naturalKey: { left: () => null, right: () => null },
  uniqueKeys: { left: [], right: ["mobile"] },
  admission: { toRight: [], toLeft: [] }
}

const side = (id: string, fields: SideRecord["fields"]) => new Record_({ id: rid(id), fields, version: `v${id}` })
const agreed = { name: "Li Lei Trading", mobile: "13800000001", note: null }
const pair = new LinkState({ leftId: rid("1"), rightId: rid("101"), left: agreed, right: agreed, rightVersion: "v101" })

/** Contact 31 of ERP customer 102 holds 13900000002 (typed with +86 and dashes); contact 32 of 101 holds 13700000003. */
const held: ReadonlyArray<HeldValue> = [
  { field: "mobile", value: "+86 139-0000-0002", id: rid("102"), holder: "contact 31 of ERP customer 102" },
  { field: "mobile", value: "13700000003", id: rid("101"), holder: "contact 32 of ERP customer 101" },
  { field: "name", value: "Contact Name", id: rid("102"), holder: "contact 31 of ERP customer 102" }
]

const run = (left: ReadonlyArray<SideRecord>, links: ReadonlyArray<LinkState>, withHeld = held): Plan =>
  Planner.plan({
    left: { records: left, gone: new Set(), events: [] },
    right: { records: [], gone: new Set(), events: [], held: withHeld },
    links,
    policy,
    direction: "both",
    settled: new Set()
  })

describe("plan: unique values held outside the records", () => {
  it("does not give a linked record a mobile another record's contact holds: a skip names the holder", () => {
    const p = run([side("1", { name: "Li Lei Ltd", phone: "139 0000 0002", note: null })], [pair])
    expect(p.operations.map((op) => op._tag)).toEqual(["Update", "Skip"])
    expect(p.operations[0]).toMatchObject({ side: "right", id: "101", changes: { name: "Li Lei Ltd" } })
    expect(p.operations[1]).toMatchObject({
      _tag: "Skip",
      side: "left",
      id: "1",
      reasons: [
        {
          rule: "uniqueKey",
          collidingId: "102",
          message:
            'mobile "13900000002" already belongs to contact 31 of ERP customer 102; not written to right record 101'
        }
      ]
    })
    // the change stays pending: the old baseline is kept and both records are read again next run
    expect(p.links[0]).toMatchObject({ left: { mobile: "13800000001" } })
    expect(p.links[0]?.leftVersion).toBeUndefined()
  })

  it("does not create a record with a mobile a contact holds, and creates the others", () => {
    const p = run(
      [
        side("7", { name: "Han Meimei Co", phone: "13900000002", note: null }),
        side("8", { name: "Lin Tao Co", phone: "13600000004", note: null })
      ],
      []
    )
    expect(
      p.operations.map((op) => [op._tag, op._tag === "Create" ? op.sourceId : (op as { id?: string }).id])
    ).toEqual([
      ["Skip", "7"],
      ["Create", "8"]
    ])
    expect(p.operations[0]).toMatchObject({
      reasons: [
        { rule: "uniqueKey", collidingId: "102", message: expect.stringContaining("contact 31 of ERP customer 102") }
      ]
    })
  })

  it("lets a record take the mobile of its own contact, and ignores held values of fields that are not unique", () => {
    const p = run([side("1", { name: "Contact Name", phone: "13700000003", note: null })], [pair])
    expect(p.operations).toEqual([
      expect.objectContaining({ _tag: "Update", changes: { name: "Contact Name", mobile: "13700000003" } })
    ])
  })

  it("plans as without held values when there are none", () => {
    const left = [side("1", { name: "Li Lei Ltd", phone: "139 0000 0002", note: null })]
    expect(run(left, [pair], [])).toEqual(
      Planner.plan({
        left: { records: left, gone: new Set(), events: [] },
        right: { records: [], gone: new Set(), events: [] },
        links: [pair],
        policy,
        direction: "both",
        settled: new Set()
      })
    )
  })
})
