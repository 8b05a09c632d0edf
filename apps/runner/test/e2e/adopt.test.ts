import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { json, type Scenario, scenario, tongbu } from "./harness.js"

/**
 * A hub the user's own app filled (its schema, rows as its Python code writes them: naive local stamps, `synced`,
 * `erp_customer_id` set) meets the sync for the first time: links it did not make are adopted, not fought.
 */
describe("tongbu adopts the links a hub already has", { timeout: 120_000 }, () => {
  let s: Scenario
  const sync = () => tongbu(s.dir, ["sync", "--json"], s.env)
  const erpWrites = () => s.erp.mock.control.writeLog().filter((w) => w.endpoint !== "ui")
  const rows = () =>
    new Map(
      (s.hub.prepare("SELECT * FROM customers_unified ORDER BY id").all() as Array<Record<string, unknown>>).map(
        (row) => [Number(row.id), row]
      )
    )
  let linkedOrd = 0
  let pulledOrd = 0
  let unlinkedOrd = 0

  beforeAll(async () => {
    s = await scenario({ customers: 0, erpCustomers: 0, seed: 3 })
    const erp = s.erp.mock.control
    const base = { sort1: "17,146", ly: "171", jz: "176" }
    linkedOrd = erp.insertCustomer({
      ...base,
      name: "武汉宏图环保有限公司",
      khid: "WX1",
      person_name: "张伟",
      mobile: "13800138001"
    }).ord
    // entered by hand in the ERP with its own code, then pulled into the hub by the hub's app
    pulledOrd = erp.insertCustomer({
      ...base,
      name: "杭州青禾贸易有限公司",
      khid: "KH0099",
      person_name: "李娜",
      mobile: "13800138002"
    }).ord
    // pulled by the hub's app too, which kept its code but not its ord
    unlinkedOrd = erp.insertCustomer({
      ...base,
      name: "南京北辰机电有限公司",
      khid: "KH0100",
      person_name: "赵敏",
      mobile: "13800138004"
    }).ord
    const pulled = erp.customers().find((c) => c.ord === pulledOrd)!.fields
    const insert = s.hub.prepare(
      `INSERT INTO customers_unified (id, erp_customer_id, erp_customer_code, company_name, company_name_source,
         real_name, real_name_source, phone, phone_source, phone_verified, wechat_id, erp_customer_type,
         erp_source, erp_value_assessment, erp_customer_category, erp_follow_level, intent_score,
         erp_sync_status, erp_sync_action, erp_last_pulled, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, 'synced', ?, ?, ?, ?)`
    )
    // pushed and linked by the hub's own script before tongbu: a WeChat id the ERP does not have yet
    insert.run(
      1,
      linkedOrd,
      "WX1",
      "武汉宏图环保有限公司",
      "wechat",
      "张伟",
      "wechat",
      "138 0013 8001",
      "wechat",
      1,
      "wx_hongtu",
      null,
      null,
      null,
      null,
      82,
      "create",
      null,
      "2026-11-30 09:12:00",
      "2026-11-30 09:12:00"
    )
    // pulled from the ERP: every value as the ERP holds it, never verified nor scored in the hub
    insert.run(
      2,
      pulledOrd,
      "KH0099",
      pulled.name,
      "erp",
      "李娜",
      "erp",
      pulled.mobile,
      "erp",
      0,
      null,
      pulled.ly ?? null,
      pulled.jz ?? null,
      "17",
      "146",
      0,
      "update",
      "2026-11-30 10:00:00",
      "2026-11-30 10:00:00",
      "2026-11-30 10:00:00"
    )
    // linked by the hub to an ERP customer that no longer exists
    insert.run(
      3,
      99999,
      "WX3",
      "成都蓝山电子有限公司",
      "wechat",
      "王强",
      "wechat",
      "13800138003",
      "wechat",
      1,
      null,
      null,
      null,
      null,
      null,
      90,
      "create",
      null,
      "2026-11-30 11:00:00",
      "2026-11-30 11:00:00"
    )
    // pulled from the ERP without its ord: one whose code the ERP has, one whose code it does not
    for (const [id, code, name, mobile] of [
      [4, "KH0100", "南京北辰机电有限公司", "13800138004"],
      [5, "KH0404", "西安远景建材有限公司", "13800138005"]
    ] as const)
      insert.run(
        id,
        null,
        code,
        name,
        "erp",
        null,
        "erp",
        mobile,
        "erp",
        0,
        null,
        "171",
        null,
        "17",
        "146",
        0,
        "update",
        "2026-11-30 12:00:00",
        "2026-11-30 12:00:00",
        "2026-11-30 12:00:00"
      )
  }, 60_000)
  afterAll(() => s.close())

  it("run 1 keeps both links, reports the one to a missing customer, and creates nothing", async () => {
    const pulledBefore = rows().get(2)
    const unmatchedBefore = rows().get(5)
    const result = await sync()
    expect(result.code, result.stderr).toBe(0)
    const report = json(result)
    expect(report.counts.created).toBe(0)
    expect(s.erp.mock.control.customers().map((c) => c.ord)).toEqual([linkedOrd, pulledOrd, unlinkedOrd])
    const after = rows()
    expect(after.get(1)).toMatchObject({ erp_customer_id: linkedOrd, erp_sync_status: "synced" })
    expect(after.get(2)).toEqual(pulledBefore)
    const missing = report.items.find((item: { hubId?: string }) => item.hubId === "3")
    expect(missing?.outcome).toBe("skipped")
    expect(missing?.reasons.map((r: { rule: string }) => r.rule)).toEqual(["claimedLinkMissing"])
    expect(missing?.reason).toContain("99999")
    expect(after.get(3)).toMatchObject({ erp_customer_id: 99999, erp_sync_status: "skipped" })
    // pulled rows without an ord are not judged by admission: one found by its code and linked, the other
    // reported in the run's report and left as the hub has it (no erp_sync_error)
    expect(after.get(4)).toMatchObject({
      erp_customer_id: unlinkedOrd,
      erp_customer_code: "KH0100",
      erp_sync_status: "synced"
    })
    const unmatched = report.items.find((item: { hubId?: string }) => item.hubId === "5")
    expect(unmatched).toMatchObject({
      outcome: "skipped",
      reasons: [
        {
          rule: "cameFromOther",
          message: 'came from right but no right record has its natural key "KH0404": it is not created on right'
        }
      ]
    })
    expect(after.get(5)).toEqual(unmatchedBefore)
    // the hub's WeChat id fills the ERP's empty field (fill-in), the ERP's values reach the hub's mirrors
    expect(s.erp.mock.control.customers().find((c) => c.ord === linkedOrd)?.fields.weixinAcc).toBe("wx_hongtu")
    expect(after.get(1)?.erp_source).toBe("171")
  })

  it("run 2 writes nothing to either side", async () => {
    const [before, writes] = [rows(), erpWrites().length]
    const result = await sync()
    expect(result.code, result.stderr).toBe(0)
    expect(erpWrites().length).toBe(writes)
    expect(rows()).toEqual(before)
  })
})
