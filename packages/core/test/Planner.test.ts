import { describe, expect, it } from "@effect/vitest"
import type {
  ConflictResolution,
  Direction,
  FieldMapping,
  Fields,
  FieldValue,
  Plan,
  PlanInput,
  RecordId,
  Side,
  SideEvent,
  SyncPolicy
} from "../src/index.js"
import { goneFrom, isEmptyPlan, LinkState, Planner, SideRecord } from "../src/index.js"

const rid = (id: string) => id as RecordId
const digits = (value: FieldValue) =>
  typeof value === "string" ? value.replace(/\D/g, "").replace(/^86(?=\d{11}$)/, "") : value

/** A hub (left) ↔ ERP (right) customer policy, with each rule on one field so each test can aim at one. */
const policy = (conflicts: Partial<Record<string, ConflictResolution>> = {}): SyncPolicy => {
  const mappings: Array<FieldMapping> = [
    { name: "name", left: "name", right: "name", conflict: conflicts.name ?? "right" },
    { name: "mobile", left: "phone", right: "mobile", normalize: digits, conflict: conflicts.mobile ?? "right" },
    { name: "wechat", left: "wechat_id", right: "weixinAcc", conflict: "right", fillIn: true },
    { name: "note", left: "note", right: "intro", conflict: conflicts.note ?? "manual" },
    { name: "level", left: "level", right: "jz", conflict: conflicts.level ?? "newest" },
    { name: "khid", left: { read: (r) => `WX${r.id}` }, right: "khid", conflict: "right" },
    { name: "origin", left: "origin", right: "ly", conflict: "left", createOnly: true }
  ]
  return {
    mappings,
    naturalKey: { left: (r) => `WX${r.id}`, right: (r) => (typeof r.fields.khid === "string" ? r.fields.khid : null) },
    uniqueKeys: { left: [], right: ["mobile"] },
    admission: {
      toRight: [
        {
          name: "validMobile",
          check: (_, c) => (typeof c.mobile === "string" && /^1\d{10}$/.test(c.mobile) ? null : "no valid mobile")
        },
        {
          name: "completeName",
          check: (_, c) => (typeof c.name === "string" && c.name.trim().length > 2 ? null : "name too short")
        }
      ],
      toLeft: []
    },
    afterCreate: { toRight: (_, c) => [{ kind: "assign", payload: { pool: c.level === "A" ? "top" : "general" } }] }
  }
}

const hub = (id: string, fields: Fields, updatedAt?: number) =>
  new SideRecord({
    id: rid(id),
    fields,
    version: `h${id}:${JSON.stringify(fields).length}`,
    ...(updatedAt === undefined ? {} : { updatedAt })
  })
const erp = (id: string, fields: Fields, updatedAt?: number) =>
  new SideRecord({
    id: rid(id),
    fields,
    version: `e${id}:${JSON.stringify(fields).length}`,
    ...(updatedAt === undefined ? {} : { updatedAt })
  })

const hubFields = {
  name: "Li Lei Trading",
  phone: "138 0000 0001",
  wechat_id: "lilei",
  note: "vip",
  level: "B",
  origin: "wechat"
}
const erpFields = {
  name: "Li Lei Trading",
  mobile: "13800000001",
  weixinAcc: "lilei",
  intro: "vip",
  jz: "B",
  ly: "wechat",
  khid: "WX1"
}
const agreed: Fields = {
  name: "Li Lei Trading",
  mobile: "13800000001",
  wechat: "lilei",
  note: "vip",
  level: "B",
  khid: "WX1",
  origin: "wechat"
}

const link = (leftId = "1", rightId = "101", left: Fields = agreed, right: Fields = agreed) =>
  new LinkState({
    leftId: rid(leftId),
    rightId: rid(rightId),
    left,
    right,
    leftVersion: "old-h",
    rightVersion: "old-e"
  })

interface Scenario {
  readonly left?: ReadonlyArray<SideRecord>
  readonly right?: ReadonlyArray<SideRecord>
  readonly links?: ReadonlyArray<LinkState>
  readonly policy?: SyncPolicy
  readonly direction?: Direction
  readonly settled?: ReadonlyArray<string>
  readonly complete?: boolean
  readonly leftEvents?: ReadonlyArray<SideEvent>
}

const input = (s: Scenario): PlanInput => {
  const links = s.links ?? [link()]
  const gone = (side: Side, records: ReadonlyArray<SideRecord>) =>
    s.complete
      ? goneFrom(
          side,
          records.map((r) => r.id),
          links
        )
      : new Set<RecordId>()
  return {
    left: { records: s.left ?? [], gone: gone("left", s.left ?? []), events: s.leftEvents ?? [] },
    right: { records: s.right ?? [], gone: gone("right", s.right ?? []), events: [] },
    links,
    policy: s.policy ?? policy(),
    direction: s.direction ?? "both",
    settled: new Set(s.settled ?? [])
  }
}

const run = (s: Scenario): Plan => Planner.plan(input(s))
const tags = (p: Plan) => p.operations.map((op) => op._tag)
const only = <T extends Plan["operations"][number]["_tag"]>(p: Plan, tag: T) =>
  p.operations.filter((op): op is Extract<Plan["operations"][number], { _tag: T }> => op._tag === tag)

describe("plan: linked pairs", () => {
  it("plans nothing for a pair neither side changed, and keeps its link as it was", () => {
    const unread = run({})
    expect(unread.operations).toEqual([])
    expect(unread.unchanged).toBe(1)
    expect(unread.links).toEqual([link()])
    const read = run({ left: [hub("1", hubFields)], right: [erp("101", erpFields)] })
    expect(read.operations).toEqual([])
    expect(read.links[0]).toMatchObject({
      leftVersion: hub("1", hubFields).version,
      rightVersion: erp("101", erpFields).version
    })
  })

  it("carries a change made on one side only to the other, with its before-image", () => {
    const p = run({ left: [hub("1", { ...hubFields, name: "Li Lei Ltd" })] })
    const [update] = only(p, "Update")
    expect(tags(p)).toEqual(["Update"])
    expect(update).toMatchObject({
      side: "right",
      id: "101",
      otherId: "1",
      changes: { name: "Li Lei Ltd" },
      before: { name: "Li Lei Trading" },
      canonicalFields: ["name"],
      canonicalBefore: { name: "Li Lei Trading" }
    })
    expect(update?.key).toMatch(/^update:right:101:/)
    expect(p.links[0]).toMatchObject({
      left: { name: "Li Lei Ltd" },
      right: { name: "Li Lei Ltd" },
      leftVersion: hub("1", { ...hubFields, name: "Li Lei Ltd" }).version
    })
    expect(p.links[0]?.rightVersion).toBeUndefined()
    expect(p.unchanged).toBe(0)

    const back = run({ right: [erp("101", { ...erpFields, mobile: "13900000009" })] })
    expect(only(back, "Update")[0]).toMatchObject({
      side: "left",
      id: "1",
      changes: { phone: "13900000009" },
      before: { phone: "13800000001" }
    })
  })

  it("decides a change on both sides by the field's rule: right, left, newest (a tie goes right), manual", () => {
    const both = (conflict: ConflictResolution, leftAt?: number, rightAt?: number) =>
      run({
        policy: policy({ name: conflict }),
        left: [hub("1", { ...hubFields, name: "Hub Name" }, leftAt)],
        right: [erp("101", { ...erpFields, name: "Erp Name" }, rightAt)]
      })
    expect(only(both("right"), "Update")[0]).toMatchObject({ side: "left", changes: { name: "Erp Name" } })
    expect(only(both("left"), "Update")[0]).toMatchObject({ side: "right", changes: { name: "Hub Name" } })
    expect(only(both("newest", 20, 10), "Update")[0]).toMatchObject({ side: "right", changes: { name: "Hub Name" } })
    expect(only(both("newest", 10, 20), "Update")[0]).toMatchObject({ side: "left", changes: { name: "Erp Name" } })
    expect(only(both("newest", 10, 10), "Update")[0]).toMatchObject({ side: "left", changes: { name: "Erp Name" } })
    const manual = both("manual")
    expect(tags(manual)).toEqual(["Conflict"])
    expect(manual.operations[0]).toMatchObject({
      leftId: "1",
      rightId: "101",
      field: "name",
      left: "Hub Name",
      right: "Erp Name",
      baseline: { left: "Li Lei Trading", right: "Li Lei Trading" }
    })
  })

  it("keeps a manual conflict's baseline so it is seen again, and plans it once per pair of values", () => {
    const s: Scenario = {
      left: [hub("1", { ...hubFields, note: "hub note" })],
      right: [erp("101", { ...erpFields, intro: "erp note" })]
    }
    const first = run(s)
    const [conflict] = only(first, "Conflict")
    expect(first.links[0]?.left.note).toBe("vip")
    const again = run({ ...s, links: first.links })
    expect(only(again, "Conflict")[0]?.key).toBe(conflict?.key)
    expect(run({ ...s, links: first.links, settled: [conflict!.key] }).operations).toEqual([])
  })

  it("fills an empty field in, never overwrites a non-empty one, and reports two different values kept apart", () => {
    const fill = run({ left: [hub("1", hubFields)], right: [erp("101", { ...erpFields, weixinAcc: "" })] })
    expect(only(fill, "Update")[0]).toMatchObject({
      side: "right",
      changes: { weixinAcc: "lilei" },
      before: { weixinAcc: "" }
    })
    const apart = run({
      left: [hub("1", { ...hubFields, wechat_id: "hub-wx" })],
      right: [erp("101", { ...erpFields, weixinAcc: "erp-wx" })]
    })
    const keptApart = {
      _tag: "Skip",
      side: "left",
      id: "1",
      reasons: [
        {
          rule: "fillIn",
          message:
            'wechat differs: left 1 holds "hub-wx", right 101 holds "erp-wx"; fill-in copies only into an empty field, so both are kept',
          collidingId: "101"
        }
      ]
    }
    expect(apart.operations).toMatchObject([keptApart])
    expect(apart.links[0]).toMatchObject({ left: { wechat: "hub-wx" }, right: { wechat: "erp-wx" } })
    const again = run({ left: [hub("1", { ...hubFields, wechat_id: "hub-wx" })], links: apart.links })
    expect(again.operations).toMatchObject([keptApart])
    expect(isEmptyPlan(again)).toBe(true)
  })

  it("does a fill-in left over from an earlier run from the baselines alone, with no record read", () => {
    const p = run({ links: [link("1", "101", agreed, { ...agreed, wechat: null })] })
    expect(only(p, "Update")).toEqual([
      expect.objectContaining({
        side: "right",
        id: "101",
        changes: { weixinAcc: "lilei" },
        before: { weixinAcc: null }
      })
    ])
    expect(
      run({ links: [link("1", "101", agreed, { ...agreed, wechat: null })], direction: "pull" }).operations
    ).toEqual([])
  })

  it("never updates a create-only field, nor a field the target side only derives", () => {
    expect(run({ left: [hub("1", { ...hubFields, origin: "import" })] }).operations).toEqual([])
    expect(run({ right: [erp("101", { ...erpFields, khid: "WX999" })] }).operations).toEqual([])
  })

  it("writes only in the run's direction and keeps the other direction's change pending, to be read again", () => {
    const erpChanged = [erp("101", { ...erpFields, name: "Erp Name" })]
    const push = run({ right: erpChanged, direction: "push" })
    expect(push.operations).toEqual([])
    expect(push.links[0]).toMatchObject({ right: { name: "Li Lei Trading" } })
    expect(push.links[0]?.rightVersion).toBeUndefined()
    const pull = run({ right: erpChanged, links: push.links, direction: "pull" })
    expect(only(pull, "Update")[0]).toMatchObject({ side: "left", changes: { name: "Erp Name" } })
  })

  it("skips a write that would give a unique key to a second record, naming it, and still writes the other fields", () => {
    const p = run({
      left: [hub("1", { ...hubFields, phone: "13900000002", name: "Li Lei Ltd" })],
      links: [
        link(),
        link(
          "2",
          "102",
          { ...agreed, khid: "WX2", mobile: "13900000002" },
          { ...agreed, khid: "WX2", mobile: "13900000002" }
        )
      ]
    })
    expect(tags(p)).toEqual(["Update", "Skip"])
    expect(only(p, "Update")[0]).toMatchObject({ side: "right", id: "101", changes: { name: "Li Lei Ltd" } })
    expect(only(p, "Skip")[0]).toMatchObject({
      side: "left",
      id: "1",
      reasons: [{ rule: "uniqueKey", collidingId: "102" }]
    })
    expect(p.links[0]).toMatchObject({ left: { mobile: "13800000001" } })
    expect(p.links[0]?.leftVersion).toBeUndefined()
  })

  it("reports a linked record missing from a complete listing and writes nothing", () => {
    const p = run({ left: [hub("1", { ...hubFields, name: "Li Lei Ltd" })], complete: true })
    expect(p.operations).toEqual([expect.objectContaining({ _tag: "Skip", side: "left", id: "1" })])
    expect(only(p, "Skip")[0]?.reasons[0]).toMatchObject({
      rule: "linkedRecordMissing",
      message: "linked right record 101 no longer exists on right"
    })
    expect(p.links).toEqual([link()])
  })

  it("decides nothing on a field whose value is neither read nor in the baseline", () => {
    const { name: _name, ...withoutName } = agreed
    expect(run({ left: [hub("1", hubFields)], links: [link("1", "101", agreed, withoutName)] }).operations).toEqual([])
  })
})

describe("plan: unlinked records", () => {
  const newHub = hub("7", {
    name: "Wang Trading",
    phone: "+86 139 0000 0007",
    wechat_id: "wang",
    note: null,
    level: "A",
    origin: "wechat"
  })

  it("links records with the same natural key and reconciles them with no baseline", () => {
    const match = erp("107", {
      name: "Wang Co",
      mobile: "13900000007",
      weixinAcc: "",
      intro: "",
      jz: "A",
      ly: "erp",
      khid: "WX7"
    })
    const p = run({ left: [newHub], right: [match], links: [] })
    expect(tags(p)).toEqual(["Link", "Update", "Update"])
    expect(p.operations[0]).toMatchObject({ key: "link:7:107", leftId: "7", rightId: "107" })
    expect(only(p, "Update")).toEqual([
      expect.objectContaining({ side: "left", changes: { name: "Wang Co" } }),
      expect.objectContaining({ side: "right", changes: { weixinAcc: "wang" } })
    ])
    expect(p.links).toEqual([expect.objectContaining({ leftId: "7", rightId: "107" })])
  })

  it("skips, naming every id, a natural key that several records share or that is already linked", () => {
    const twins = [
      erp("107", { ...erpFields, khid: "WX7" }),
      erp("108", { ...erpFields, mobile: "13900000008", khid: "WX7" })
    ]
    const p = run({ left: [newHub], right: twins, links: [] })
    expect(only(p, "Skip").map((s) => [s.side, s.id, s.reasons[0]?.message])).toEqual([
      ["left", "7", 'natural key "WX7" belongs to several records: left 7; right 107, 108'],
      ["right", "107", 'natural key "WX7" belongs to several records: right 107, 108; left 7'],
      ["right", "108", 'natural key "WX7" belongs to several records: right 107, 108; left 7']
    ])
    const taken = run({ left: [newHub], right: [erp("101", { ...erpFields, khid: "WX7" })] })
    expect(only(taken, "Skip")[0]).toMatchObject({ id: "7", reasons: [{ rule: "naturalKey", collidingId: "101" }] })
    expect(only(taken, "Create")).toEqual([])
  })

  it("creates an admitted record on the other side without its nulls, then its follow-up actions", () => {
    const p = run({ left: [newHub], links: [] })
    expect(tags(p)).toEqual(["Create", "Action"])
    expect(p.operations[0]).toMatchObject({
      key: "create:right:7",
      side: "right",
      sourceId: "7",
      fields: { name: "Wang Trading", mobile: "13900000007", weixinAcc: "wang", jz: "A", ly: "wechat", khid: "WX7" },
      canonical: { note: null, khid: "WX7" }
    })
    expect(p.operations[1]).toMatchObject({
      side: "right",
      target: { _tag: "CreatedFrom", sourceId: "7" },
      kind: "assign",
      payload: { pool: "top" }
    })
    expect(p.links).toEqual([
      expect.objectContaining({ leftId: "7", rightId: "create:right:7", leftVersion: newHub.version })
    ])
  })

  it("records in a create's baseline what a field the target only reads gets from the payload", () => {
    // The ERP's value assessment: set from the hub's score on create, then an ERP value the hub only mirrors.
    const mirrored: SyncPolicy = {
      ...policy(),
      mappings: [
        { name: "name", left: "name", right: "name", conflict: "right" },
        {
          name: "value",
          left: { read: (r) => (Number(r.fields.score) >= 80 ? "A" : "C") },
          right: "jz",
          conflict: "right",
          createOnly: true
        },
        { name: "erpValue", left: "erp_value", right: { read: (r) => r.fields.jz ?? null }, conflict: "right" }
      ],
      naturalKey: { left: () => null, right: () => null },
      uniqueKeys: { left: [], right: [] },
      admission: { toRight: [], toLeft: [] },
      afterCreate: {}
    }
    const created = run({ left: [hub("7", { name: "Wang", score: 90, erp_value: null })], links: [], policy: mirrored })
    expect(only(created, "Create")[0]).toMatchObject({ fields: { name: "Wang", jz: "A" } })
    const baseline = created.links[0]!
    // The hub lacks the value the ERP got: the same plan fills it back once the create lands.
    expect(only(created, "Update")).toEqual([
      expect.objectContaining({ side: "left", id: "7", otherId: "create:right:7", changes: { erp_value: "A" } })
    ])
    expect([baseline.left.erpValue, baseline.right.erpValue]).toEqual(["A", "A"])
    const linked = new LinkState({ ...baseline, rightId: rid("107") })
    // The hub's score moves on, the ERP keeps what the create gave it: nothing to carry.
    const next = { left: [hub("7", { name: "Wang", score: 40, erp_value: "A" })], links: [linked], policy: mirrored }
    expect(run({ ...next, right: [erp("107", { name: "Wang", jz: "A" })] }).operations).toEqual([])
    // A person changes it in the ERP: the hub's mirror column takes it.
    const edited = run({ ...next, right: [erp("107", { name: "Wang", jz: "C" })] })
    expect(only(edited, "Update")).toEqual([
      expect.objectContaining({ side: "left", id: "7", changes: { erp_value: "C" } })
    ])
  })

  it("reports every failed admission rule by name in one skip", () => {
    const p = run({ left: [hub("8", { name: "Li", phone: "12345" })], links: [] })
    expect(p.operations).toEqual([expect.objectContaining({ _tag: "Skip", side: "left", id: "8" })])
    expect(only(p, "Skip")[0]?.reasons.map((r) => r.rule)).toEqual(["validMobile", "completeName"])
  })

  it("skips a create whose unique key another record holds, or another create of this plan claimed", () => {
    const p = run({
      left: [
        hub("8", { ...newHub.fields, phone: "13800000001" }),
        newHub,
        hub("9", { ...newHub.fields, wechat_id: null })
      ]
    })
    expect(only(p, "Create").map((c) => c.sourceId)).toEqual(["7"])
    const skips = only(p, "Skip")
    expect(skips.map((s) => [s.id, s.reasons[0]?.rule, s.reasons[0]?.collidingId])).toEqual([
      ["8", "uniqueKey", "101"],
      ["9", "uniqueKey", undefined]
    ])
    expect(skips[1]?.reasons[0]?.message).toBe(
      'mobile "13900000007" already belongs to the right record created from left record 7'
    )
  })

  it("words a unique-key reason the same in the run that creates the holder and in every run after", () => {
    const waiting = hub("9", { ...newHub.fields, wechat_id: null })
    const first = only(run({ left: [newHub, waiting] }), "Skip")
    const created = { ...agreed, name: "Wang Trading", mobile: "13900000007", wechat: "wang" }
    const links = [link("1", "101"), link("7", "107", created, created)]
    const next = only(run({ left: [waiting], links, settled: ["create:right:7"] }), "Skip")
    expect(next.map((skip) => skip.reasons.map((reason) => reason.message))).toEqual(
      first.map((skip) => skip.reasons.map((reason) => reason.message))
    )
    expect(next[0]?.reasons[0]).toMatchObject({ rule: "uniqueKey", collidingId: "107" })
    // a holder the sync did not create (found and linked, say) is named by its own id, as before it was linked
    const found = only(run({ left: [waiting], links }), "Skip")
    expect(found[0]?.reasons[0]?.message).toBe('mobile "13900000007" already belongs to right record 107')
  })

  it("never creates twice from one record, and never re-links a pair whose link was undone", () => {
    const created = run({ left: [newHub], links: [], settled: ["create:right:7"] })
    expect(created.operations).toEqual([
      expect.objectContaining({ _tag: "Skip", reasons: [expect.objectContaining({ rule: "alreadyCreated" })] })
    ])
    const match = erp("107", { ...erpFields, mobile: "13900000007", khid: "WX7" })
    const undone = run({ left: [newHub], right: [match], links: [], settled: ["link:7:107"] })
    expect(undone.operations.map((op) => [op._tag, op._tag === "Skip" ? op.id : ""])).toEqual([
      ["Skip", "7"],
      ["Skip", "107"]
    ])
    expect(undone.links).toEqual([])
  })

  it("creates only in the run's direction", () => {
    const erpBorn = erp("120", { name: "Zhao", mobile: "13700000000", khid: "ZB120" })
    const pull = run({ left: [newHub], right: [erpBorn], links: [], direction: "pull" })
    expect(only(pull, "Create")).toEqual([
      expect.objectContaining({ side: "left", sourceId: "120", fields: { name: "Zhao", phone: "13700000000" } })
    ])
    const push = run({ left: [newHub], right: [erpBorn], links: [], direction: "push" })
    expect(only(push, "Create")).toEqual([expect.objectContaining({ side: "right", sourceId: "7" })])
  })
})

describe("plan: events, keys and order", () => {
  const event = (key: string, id: string): SideEvent => ({ key, id: rid(id), kind: "followUp", payload: { text: key } })

  it("turns an event into an action on the linked or newly created record, and plans nothing for one about an unlinked record", () => {
    const p = run({
      left: [hub("7", { name: "Wang Trading", phone: "13900000007" }), hub("8", { name: "Li", phone: "1" })],
      leftEvents: [event("m3", "8"), event("m1", "1"), event("m2", "7")]
    })
    expect(p.operations.map((op) => [op._tag, op.key])).toEqual([
      ["Action", "action:right:m1"],
      ["Create", "create:right:7"],
      ["Action", "action:right:created-from:7:0:assign"],
      ["Action", "action:right:m2"],
      // record 8's own skip says why it is not linked; its side emits the event again until it is
      ["Skip", expect.stringMatching(/^skip:left:8:/)]
    ])
    expect(only(p, "Skip")[0]?.reasons.map((reason) => reason.rule)).not.toContain("eventWithoutLink")
    expect(only(p, "Action")[0]?.target).toEqual({ _tag: "Id", id: "101" })
    expect(only(p, "Action")[2]?.target).toEqual({ _tag: "CreatedFrom", sourceId: "7" })
    const later = run({ leftEvents: [event("m1", "1")], settled: ["action:right:m1"] })
    expect(later.operations).toEqual([])
    expect(run({ leftEvents: [event("m1", "1")], direction: "pull" }).operations).toEqual([])
  })

  it("orders operations by side then id, whatever the input order, with the same keys every time", () => {
    const links = ["1", "2", "10", "9"].map((id) =>
      link(id, `10${id}`, { ...agreed, mobile: `1380000000${id}` }, { ...agreed, mobile: `1380000000${id}` })
    )
    const left = ["10", "2", "9", "1"].map((id) =>
      hub(id, { ...hubFields, phone: `1380000000${id}`, name: `Changed ${id}` })
    )
    const right = [erp("1099", { ...erpFields, name: "Zed", khid: "ZB1", mobile: "13600000000" })]
    const p = run({ left, right, links })
    const anchors = p.operations.map((op) =>
      op._tag === "Update"
        ? `${op.otherId}`
        : op._tag === "Create"
          ? `${op.side === "left" ? "r" : "l"}${op.sourceId}`
          : op._tag
    )
    expect(anchors).toEqual(["1", "2", "9", "10", "r1099"])
    const shuffled = run({ left: [...left].reverse(), right, links: [...links].reverse() })
    expect(shuffled.operations).toEqual(p.operations)
    expect(run({ left, right, links })).toEqual(p)
  })

  it("changes an update's key with its content and the version it was planned against", () => {
    const keyOf = (s: Scenario) => only(run(s), "Update")[0]?.key
    const edited = hub("1", { ...hubFields, name: "Li Lei Ltd" })
    const base = keyOf({ left: [edited] })
    expect(keyOf({ left: [edited] })).toBe(base)
    expect(keyOf({ left: [hub("1", { ...hubFields, name: "Li Lei Co" })] })).not.toBe(base)
    expect(keyOf({ left: [edited], links: [new LinkState({ ...link(), rightVersion: "newer" })] })).not.toBe(base)
  })
})

describe("plan: a policy function that throws", () => {
  const boom = (what: string) => () => {
    throw new Error(`${what} exploded`)
  }
  const withMapping = (name: string, change: Partial<FieldMapping>): SyncPolicy => {
    const base = policy()
    return { ...base, mappings: base.mappings.map((m) => (m.name === name ? { ...m, ...change } : m)) }
  }
  const reasonsOf = (p: Plan) => only(p, "Skip").map((skip) => [skip.side, skip.id, skip.reasons.map((r) => r.rule)])

  it("skips a linked pair whose mapping throws, naming the field and the record; other pairs are planned", () => {
    const normalize = (value: FieldValue) => {
      if (value === "13800000002") throw new Error("not a mobile I know")
      return digits(value)
    }
    const p = run({
      policy: withMapping("mobile", { normalize }),
      left: [hub("1", { ...hubFields, name: "Renamed" }), hub("2", { ...hubFields, phone: "13800000002" })],
      links: [link(), link("2", "102")]
    })
    expect(reasonsOf(p)).toEqual([["left", "2", ["policyError"]]])
    expect(only(p, "Skip")[0]!.reasons[0]!.message).toBe(
      'the mapping of field "mobile" failed on left record 2: not a mobile I know; the record is left alone until the policy or the record is fixed'
    )
    expect(only(p, "Update").map((u) => [u.id, u.changes])).toEqual([["101", { name: "Renamed" }]])
    // The failed pair keeps its baseline and is read again next run.
    expect(p.links.find((l) => l.leftId === "2")).toMatchObject({ left: agreed, right: agreed })
    expect(p.links.find((l) => l.leftId === "2")?.leftVersion).toBeUndefined()
  })

  it("skips an unlinked record whose natural key, admission rule or afterCreate throws; the others are created", () => {
    const base = policy()
    const on = (id: string, what: string) => (record: SideRecord) => record.id === id && boom(what)()
    const cases: ReadonlyArray<readonly [SyncPolicy, string]> = [
      [
        {
          ...base,
          naturalKey: {
            ...base.naturalKey,
            left: (r) => {
              on("2", "key")(r)
              return `WX${r.id}`
            }
          }
        },
        "the natural key (naturalKey.left)"
      ],
      [
        {
          ...base,
          admission: {
            ...base.admission,
            toRight: [
              {
                name: "picky",
                check: (r) => {
                  on("2", "rule")(r)
                  return null
                }
              }
            ]
          }
        },
        'admission rule "picky"'
      ],
      [
        {
          ...base,
          afterCreate: {
            toRight: (r) => {
              on("2", "follow")(r)
              return []
            }
          }
        },
        "afterCreate.toRight"
      ]
    ]
    for (const [p, what] of cases) {
      const planned = run({
        policy: p,
        links: [],
        left: [hub("1", hubFields), hub("2", { ...hubFields, phone: "13800000002" })]
      })
      expect(only(planned, "Create").map((c) => c.sourceId)).toEqual(["1"])
      expect(reasonsOf(planned)).toEqual([["left", "2", ["policyError"]]])
      expect(only(planned, "Skip")[0]!.reasons[0]!.message).toMatch(
        new RegExp(`^${what.replace(/[.()]/g, "\\$&")} failed on left record 2: `)
      )
    }
  })

  it("skips both records of a natural-key match when one of them cannot be read", () => {
    const p = run({
      policy: withMapping("name", { normalize: boom("name") }),
      links: [],
      left: [hub("1", hubFields)],
      right: [erp("101", erpFields)]
    })
    expect(tags(p)).toEqual(["Skip", "Skip"])
    expect(reasonsOf(p)).toEqual([
      ["left", "1", ["policyError"]],
      ["right", "101", ["policyError"]]
    ])
  })
})
