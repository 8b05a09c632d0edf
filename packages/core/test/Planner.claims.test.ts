import { describe, expect, it } from "@effect/vitest"
import type { FieldMapping, Fields, Plan, PlanInput, RecordId, SyncPolicy } from "../src/index.js"
import { Planner, SideRecord } from "../src/index.js"

const rid = (id: string) => id as RecordId

/** A hub (left) row may name its ERP (right) counterpart in `erp_id`; the natural key is the code. */
const mappings: Array<FieldMapping> = [
  { name: "name", left: "name", right: "name", conflict: "right" },
  { name: "wechat", left: "wechat_id", right: "weixinAcc", conflict: "right", fillIn: true }
]
const policy: SyncPolicy = {
  mappings,
  naturalKey: {
    left: (r) => (typeof r.fields.code === "string" ? r.fields.code : null),
    right: (r) => (typeof r.fields.khid === "string" ? r.fields.khid : null)
  },
  claimedLink: { left: (r) => (typeof r.fields.erp_id === "string" ? rid(r.fields.erp_id) : null) },
  uniqueKeys: { left: [], right: ["name"] },
  admission: { toRight: [{ name: "never", check: () => "not admitted" }], toLeft: [] }
}

const hub = (id: string, fields: Fields) => new SideRecord({ id: rid(id), fields, version: `h${id}` })
const erp = (id: string, fields: Fields) => new SideRecord({ id: rid(id), fields, version: `e${id}` })

const input = (left: ReadonlyArray<SideRecord>, right: ReadonlyArray<SideRecord>): PlanInput => ({
  left: { records: left, gone: new Set(), events: [] },
  right: { records: right, gone: new Set(), events: [] },
  links: [],
  policy,
  direction: "both",
  settled: new Set()
})

const skips = (p: Plan) =>
  p.operations.flatMap((op) =>
    op._tag === "Skip" ? [{ side: op.side, id: op.id, rules: op.reasons.map((r) => r.rule) }] : []
  )

describe("plan: claimed links", () => {
  it("adopts a claimed link, reconciling both sides by the usual rules, and plans nothing more once applied", () => {
    const left = hub("1", { name: "Hongtu Co Ltd", wechat_id: "ht", erp_id: "11", code: "WX1" })
    const right = erp("11", { name: "Hongtu Co Ltd", weixinAcc: "", khid: "C011" })
    const first = Planner.plan(input([left], [right]))
    expect(first.operations.map((op) => op._tag)).toEqual(["Link", "Update"])
    expect(first.operations[0]).toMatchObject({ leftId: "1", rightId: "11" })
    expect(first.operations[1]).toMatchObject({ side: "right", id: "11", changes: { weixinAcc: "ht" } })
    // The next run, as the store keeps it: the written side read again, equal now.
    const after = erp("11", { name: "Hongtu Co Ltd", weixinAcc: "ht", khid: "C011" })
    const second = Planner.plan({ ...input([left], [after]), links: first.links })
    expect(second.operations).toEqual([])
  })

  it("prefers the claim over the natural key", () => {
    const left = hub("1", { name: "A Co", erp_id: "11", code: "C022" })
    const claimed = erp("11", { name: "A Co", khid: "C011" })
    const byKey = erp("22", { name: "B Co", khid: "C022" })
    const p = Planner.plan(input([left], [claimed, byKey]))
    expect(p.operations.filter((op) => op._tag === "Link")).toEqual([
      expect.objectContaining({ leftId: "1", rightId: "11" })
    ])
    expect(skips(p)).toEqual([{ side: "right", id: "22", rules: ["naturalKey"] }])
  })

  it("skips a claim naming a missing record, never creating it nor judging it by the admission rules", () => {
    const p = Planner.plan(input([hub("1", { name: "Gone Co", erp_id: "99", code: "WX1" })], []))
    expect(p.operations).toEqual([
      expect.objectContaining({
        _tag: "Skip",
        id: "1",
        reasons: [expect.objectContaining({ rule: "claimedLinkMissing", collidingId: "99" })]
      })
    ])
    expect(p.links).toEqual([])
  })

  it("reports both records claiming one record and links neither", () => {
    const p = Planner.plan(
      input(
        [hub("1", { name: "A Co", erp_id: "11" }), hub("2", { name: "A Co", erp_id: "11" })],
        [erp("11", { name: "A Co", khid: "C011" })]
      )
    )
    expect(skips(p)).toEqual([
      { side: "left", id: "1", rules: ["claimedLinkShared"] },
      { side: "left", id: "2", rules: ["claimedLinkShared"] },
      { side: "right", id: "11", rules: ["claimedLinkShared"] }
    ])
    expect(p.operations.some((op) => op._tag === "Create")).toBe(false)
    expect(p.links).toEqual([])
  })
})

describe("plan: records that came from the other side", () => {
  const pulled: SyncPolicy = {
    ...policy,
    admission: { toRight: [{ name: "score", check: () => "score 0 below 60" }], toLeft: [] },
    cameFromOther: { left: (r) => r.fields.origin === "erp" }
  }
  const inputWith = (left: ReadonlyArray<SideRecord>, right: ReadonlyArray<SideRecord>) => ({
    ...input(left, right),
    policy: pulled
  })

  it("is linked by natural key like any record, never judged by the admission rules", () => {
    const left = hub("2", { name: "Qinghe Co", code: "KH0099", origin: "erp" })
    const right = erp("12", { name: "Qinghe Co", khid: "KH0099" })
    const p = Planner.plan(inputWith([left], [right]))
    expect(p.operations.map((op) => op._tag)).toEqual(["Link"])
    expect(skips(p)).toEqual([])
  })

  it("without a match is skipped with a reason worded from its key, never created nor judged, the same every run", () => {
    const left = hub("2", { name: "Qinghe Co", code: "KH0099", origin: "erp" })
    const keyless = hub("3", { name: "Lanshan Co", origin: "erp" })
    const own = hub("4", { name: "Own Co", code: "WX4" })
    const p = Planner.plan(inputWith([left, keyless, own], []))
    expect(p.operations.filter((op) => op._tag === "Create")).toEqual([])
    expect(skips(p)).toEqual([
      { side: "left", id: "2", rules: ["cameFromOther"] },
      { side: "left", id: "3", rules: ["cameFromOther"] },
      { side: "left", id: "4", rules: ["score"] }
    ])
    const reasons = p.operations.flatMap((op) => (op._tag === "Skip" ? op.reasons : []))
    expect(reasons[0]).toMatchObject({
      message: 'came from right but no right record has its natural key "KH0099": it is not created on right',
      params: { side: "right", key: "KH0099" }
    })
    expect(reasons[1]?.message).toBe(
      "came from right but has no natural key to find it there by: it is not created on right"
    )
    expect(Planner.plan(inputWith([left, keyless, own], [])).operations).toEqual(p.operations)
  })
})

describe("plan: actions name their record", () => {
  it("an action after a create carries the source record's display name (SyncPolicy.displayName)", () => {
    const named: SyncPolicy = {
      ...policy,
      claimedLink: {},
      admission: { toRight: [], toLeft: [] },
      displayName: { left: (r) => (typeof r.fields.name === "string" ? r.fields.name : null) },
      afterCreate: { toRight: () => [{ kind: "assign", payload: { member1: 1 } }] }
    }
    const p = Planner.plan({ ...input([hub("1", { name: "Hongtu Co Ltd", code: "WX1" })], []), policy: named })
    expect(p.operations.filter((op) => op._tag === "Action")).toEqual([
      expect.objectContaining({
        kind: "assign",
        label: "Hongtu Co Ltd",
        target: { _tag: "CreatedFrom", sourceId: "1" }
      })
    ])
  })
})
