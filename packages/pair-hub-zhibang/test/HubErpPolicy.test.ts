import { describe, expect, it } from "@effect/vitest"
import { fc, test } from "@fast-check/vitest"
import { defaultHubAdmissionOptions } from "@tongbu/adapter-wechat-hub"
import { defaultMapping } from "@tongbu/adapter-zhibang"
import type { Direction, Fields, LinkState, Operation, SideRecord as SideRecordType, SyncPolicy } from "@tongbu/core"
import { canonicalize, goneFrom, Planner, RecordId, SideRecord } from "@tongbu/core"
import * as HubErpPolicy from "../src/HubErpPolicy.js"
import type { PolicyField } from "../src/Sections.js"
import { policyFields } from "../src/Sections.js"

const runs = Number(process.env.TONGBU_PROP_RUNS ?? 50)

const conflicts = Object.fromEntries(policyFields.map((f) => [f, "erpWins"])) as Record<PolicyField, "erpWins">
const settings: HubErpPolicy.HubErpSettings = {
  conflicts,
  fillIn: ["wechat", "email", "address"],
  admission: defaultHubAdmissionOptions,
  pullSources: [],
  mapping: {
    ...defaultMapping,
    assignment: {
      top: { minScore: 80, salespeople: ["61", "62"] },
      general: { minScore: 60, salespeople: ["63", "64"] }
    }
  }
}
const policy = HubErpPolicy.make(settings)

/** A hub customer as the hub adapter reads it (normalized columns plus enrichments). */
const hubRecord = (id: number, over: Fields = {}): SideRecordType =>
  new SideRecord({
    id: RecordId.make(String(id)),
    version: `v${id}`,
    fields: {
      company_name: "杭州恒达科技有限公司",
      real_name: "王伟",
      customer_name: "杭州恒达科技有限公司",
      phone: "13800138000",
      phone_verified: true,
      email: null,
      address: "杭州市人民路1号",
      wechat_id: `wx_${id}`,
      erp_customer_id: null,
      erp_customer_code: null,
      erp_customer_type: 1,
      erp_source: null,
      erp_value_assessment: null,
      erp_customer_category: null,
      erp_follow_level: null,
      marked_as_invalid: false,
      thread_topic: "客户想了解报价，考虑中",
      score: 85,
      ...over
    }
  })

const erpRecord = (id: string, fields: Fields, version = `e${id}`): SideRecordType =>
  new SideRecord({
    id: RecordId.make(id),
    version,
    fields: { intsort: 1, catename: null, sortname: "潜在客户", sort1name: "需求确认", ...fields }
  })

const planOf = (
  left: ReadonlyArray<SideRecordType>,
  right: ReadonlyArray<SideRecordType>,
  links: ReadonlyArray<LinkState> = [],
  direction: Direction = "both",
  using: SyncPolicy = policy
) =>
  Planner.plan({
    left: {
      records: left,
      gone: goneFrom(
        "left",
        left.map((r) => r.id),
        links
      ),
      events: []
    },
    right: {
      records: right,
      gone: goneFrom(
        "right",
        right.map((r) => r.id),
        links
      ),
      events: []
    },
    links,
    policy: using,
    direction,
    settled: new Set()
  })

const writes = (ops: ReadonlyArray<Operation>) =>
  ops.filter((op) => op._tag === "Create" || op._tag === "Update" || op._tag === "Action")

/** The links a plan predicts, with the ERP ids the creates got (the dispatcher's part) filled in. */
const applied = (links: ReadonlyArray<LinkState>, ids: Map<string, string>): ReadonlyArray<LinkState> =>
  links.map((l) => ({ ...l, rightId: RecordId.make(ids.get(l.rightId) ?? l.rightId), leftId: l.leftId }) as LinkState)

describe("the hub↔ERP policy (sync-rules §1–§6)", () => {
  it("creates an admitted hub customer in the ERP with the fields of §3, then assigns it by score", () => {
    const p = planOf([hubRecord(1024)], [])
    const [create, assign] = writes(p.operations)
    expect(create).toMatchObject({
      _tag: "Create",
      side: "right",
      fields: {
        khid: "WX1024",
        name: "杭州恒达科技有限公司",
        mobile: "13800138000",
        weixinAcc: "wx_1024",
        address: "杭州市人民路1号",
        intsort: 1,
        person_name: "王伟",
        ly: "171",
        sort1: "17,146",
        jz: "289",
        intro: "来自微信中台，评分: 85",
        product: "客户想了解报价，考虑中"
      }
    })
    expect(assign).toMatchObject({ _tag: "Action", kind: "assign", payload: { member1: 0, member2: "61,62" } })
  })

  it("skips a hub customer that fails admission, with every failed check as a reason", () => {
    const p = planOf([hubRecord(7, { phone_verified: false, score: 30 })], [])
    expect(writes(p.operations)).toEqual([])
    const skip = p.operations.find((op) => op._tag === "Skip")
    expect(skip?._tag === "Skip" && skip.reasons.map((r) => r.rule).sort()).toEqual(["phoneVerified", "score"])
  })

  it("skips a create whose mobile already belongs to another ERP customer, naming it (phone collision)", () => {
    const p = planOf(
      [hubRecord(8)],
      [erpRecord("77", { name: "别的公司", khid: "X1", mobile: "13800138000" })],
      [],
      "push"
    )
    expect(writes(p.operations)).toEqual([])
    const skip = p.operations.find((op) => op._tag === "Skip")
    expect(skip).toMatchObject({ reasons: [{ rule: "uniqueKey", collidingId: "77" }] })
  })

  it("skips a create whose name an ERP customer already has (the ERP's 查重), unless name is not in policy.erpUnique", () => {
    const erp = [erpRecord("78", { name: "杭州恒达科技有限公司", khid: "X2", mobile: "13900139000" })]
    const p = planOf([hubRecord(9)], erp, [], "push")
    expect(writes(p.operations)).toEqual([])
    expect(p.operations.find((op) => op._tag === "Skip")).toMatchObject({
      reasons: [{ rule: "uniqueKey", collidingId: "78" }]
    })
    const lenient = HubErpPolicy.make({ ...settings, erpUnique: ["mobile"] })
    expect(writes(planOf([hubRecord(9)], erp, [], "push", lenient).operations).map((op) => op._tag)).toEqual([
      "Create",
      "Action"
    ])
  })

  it('links by khid instead of creating ("if that khid already exists, update")', () => {
    const p = planOf(
      [hubRecord(9)],
      [erpRecord("90", { name: "杭州恒达科技有限公司", khid: "WX9", mobile: "13800138000" })]
    )
    expect(p.operations.map((op) => op._tag)).toContain("Link")
    expect(p.operations.some((op) => op._tag === "Create")).toBe(false)
  })

  it("a row the hub pulled from the ERP itself, not linked: linked by its khid, else reported; never pushed nor judged", () => {
    const pulled = (id: number, code: string) =>
      hubRecord(id, {
        pulled_from_erp: true,
        erp_customer_code: code,
        phone_verified: false,
        score: 0,
        wechat_id: null
      })
    const p = planOf(
      [pulled(21, "KH0100"), pulled(22, "KH0200")],
      [erpRecord("100", { name: "杭州恒达科技有限公司", khid: "KH0100", mobile: "13800138000" })]
    )
    // nothing created on either side; the linked pair is reconciled as any pair is
    expect(p.operations.filter((op) => op._tag === "Create" || op._tag === "Action")).toEqual([])
    expect(p.operations.filter((op) => op._tag === "Link")).toEqual([
      expect.objectContaining({ leftId: "21", rightId: "100" })
    ])
    expect(p.operations.filter((op) => op._tag === "Skip")).toEqual([
      expect.objectContaining({
        id: "22",
        reasons: [
          expect.objectContaining({
            rule: "cameFromOther",
            message: 'came from right but no right record has its natural key "KH0200": it is not created on right'
          })
        ]
      })
    ])
    // the same row the hub filled itself is judged by admission as before
    const own = planOf([hubRecord(22, { erp_customer_code: "KH0200", phone_verified: false, score: 0 })], [])
    expect(own.operations.find((op) => op._tag === "Skip")).toMatchObject({
      reasons: [{ rule: "phoneVerified" }, { rule: "score" }]
    })
  })

  it("pulls a hand-entered ERP customer into the hub, its ERP values into the erp_* columns", () => {
    const p = planOf(
      [],
      [
        erpRecord("5", {
          name: "上海博远贸易有限公司",
          khid: "KH005",
          mobile: "13900139000",
          ly: "173",
          jz: "176",
          sort1: "16,147",
          weixinAcc: "wx_e5"
        })
      ]
    )
    const [create] = writes(p.operations)
    expect(create).toMatchObject({
      _tag: "Create",
      side: "left",
      fields: {
        customer_name: "上海博远贸易有限公司",
        phone: "13900139000",
        wechat_id: "wx_e5",
        erp_customer_type: 1,
        erp_customer_code: "KH005",
        erp_source: "173",
        erp_value_assessment: "176",
        erp_customer_category: "16",
        erp_follow_level: "147"
      }
    })
  })

  it("ERP wins a name both sides changed; the WeChat id only fills an empty ERP field", () => {
    const hub = hubRecord(3, { customer_name: "新名字A", company_name: "新名字A", wechat_id: "wx_new" })
    const erp = erpRecord("30", {
      name: "新名字B",
      khid: "WX3",
      mobile: "13800138000",
      weixinAcc: null,
      email: "b@example.cn",
      address: "杭州市人民路1号"
    })
    // the baseline: what both held when they last agreed (the old name, no WeChat id, no email)
    const before = {
      name: "旧名字",
      customer_name: "旧名字",
      company_name: "旧名字",
      wechat_id: null,
      weixinAcc: null,
      email: null
    }
    const link = {
      leftId: RecordId.make("3"),
      rightId: RecordId.make("30"),
      left: canonicalize(policy.mappings, "left", hubRecord(3, { ...hub.fields, ...before })),
      right: canonicalize(policy.mappings, "right", erpRecord("30", { ...erp.fields, ...before }))
    } as LinkState
    const ops = writes(planOf([hub], [erp], [link]).operations)
    expect(ops.map((op) => op._tag === "Update" && [op.side, op.changes])).toEqual([
      ["left", { customer_name: "新名字B", email: "b@example.cn" }],
      ["right", { weixinAcc: "wx_new" }]
    ])
    // a non-empty ERP WeChat id is never overwritten
    const filled = erpRecord("30", { ...erp.fields, weixinAcc: "wx_erp" })
    expect(
      writes(planOf([hub], [filled], [link]).operations).some((op) => op._tag === "Update" && op.side === "right")
    ).toBe(false)
  })

  test.prop(
    [
      fc.record({
        id: fc.integer({ min: 1, max: 1_000_000 }),
        company: fc.stringMatching(/^[\u4e00-\u9fa5]{4,12}公司$/),
        person: fc.option(fc.stringMatching(/^[\u4e00-\u9fa5]{2,3}$/), { nil: null }),
        mobile: fc.stringMatching(/^1[3-9]\d{9}$/),
        score: fc.integer({ min: 60, max: 100 }),
        type: fc.constantFrom(1, 2),
        email: fc.option(fc.emailAddress(), { nil: null }),
        topic: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: null })
      })
    ],
    { numRuns: runs }
  )("a pushed customer, read back from the ERP as created, plans nothing more (a second run changes nothing)", (c) => {
    const hub = hubRecord(c.id, {
      company_name: c.type === 1 ? c.company : null,
      real_name: c.type === 2 ? c.company : c.person,
      customer_name: c.company,
      phone: c.mobile,
      erp_customer_type: c.type,
      email: c.email,
      score: c.score,
      thread_topic: c.topic
    })
    const first = planOf([hub], [])
    const create = first.operations.find((op) => op._tag === "Create")
    expect(create?._tag).toBe("Create")
    if (create?._tag !== "Create") return
    // what the ERP then holds: the fields written, as text (the ERP's detail answers text)
    const held = Object.fromEntries(Object.entries(create.fields).map(([k, v]) => [k, v === null ? null : String(v)]))
    const erp = erpRecord("501", { ...held, intsort: c.type })
    const links = applied(first.links, new Map([[create.key, "501"]]))
    // the hub adapter then records the link in the row (acknowledge)
    const acknowledged = hubRecord(c.id, { ...hub.fields, erp_customer_id: 501, erp_customer_code: `WX${c.id}` })
    expect(writes(planOf([acknowledged], [erp], links).operations)).toEqual([])
  })
})
