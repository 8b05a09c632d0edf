import { describe, expect, it } from "@effect/vitest"
import { Outcome, Reason, RecordId, RunId } from "@tongbu/core"
import { Option } from "effect"
import { defaultPair } from "../src/DefaultPair.js"
import { displayWidth, table } from "../src/internal/text.js"
import * as Report from "../src/Report.js"

const labels = defaultPair.labels
const hubTable = { left: "hub", right: "table", zh: { left: "中台", right: "数据表" } }

const runId = RunId.make("r1")
const outcome = (
  side: "left" | "right",
  id: string,
  otherId: string | undefined,
  o: Outcome["outcome"],
  reasons: Array<[string, string]> = []
) =>
  new Outcome({
    runId,
    side,
    id: RecordId.make(id),
    ...(otherId === undefined ? {} : { otherId: RecordId.make(otherId) }),
    operation: o === "skipped" ? "skip" : "create",
    outcome: o,
    reasons: reasons.map(([rule, message]) => new Reason({ rule, message }))
  })

const items = [
  outcome("left", "1", "501", "created"),
  outcome("left", "2", undefined, "skipped", [["phoneVerified", "mobile 138****8000 is not verified"]]),
  outcome("left", "3", undefined, "skipped", [
    ["uniqueKey", 'mobile "13900139000" already belongs to right record 77']
  ]),
  outcome("left", "4", undefined, "skipped", [
    ["phoneVerified", "mobile 137****1234 is not verified"],
    ["score", "score 40 below 60"]
  ]),
  outcome("right", "600", "9", "created")
]
const counts = { created: 2, updated: 0, linked: 0, unchanged: 5, skipped: 3, conflicts: 0, actions: 1, failed: 0 }

describe("Report", () => {
  it("--json names both sides' ids, the operation, the outcome and the reason; mobiles masked", () => {
    const json = Report.runJson(
      { runId: Option.some(runId), status: "completed", dryRun: false, counts, items },
      labels
    )
    expect(json).toMatchObject({ runId: "r1", status: "completed", dryRun: false, counts })
    expect(json.items[0]).toMatchObject({
      leftId: "1",
      rightId: "501",
      hubId: "1",
      erpId: "501",
      operation: "create",
      outcome: "created",
      reason: null
    })
    expect(json.items[4]).toMatchObject({ leftId: "9", rightId: "600", hubId: "9", erpId: "600" })
    expect(json.items[2]?.reason).toBe('mobile "139****9000" already belongs to right record 77')
    expect(JSON.stringify(json)).not.toContain("13900139000")
  })

  it("the summary breaks skips down by rule and lists the top reasons", () => {
    const text = Report.summary({ runId: Option.some(runId), status: "completed", dryRun: true, counts, items }, labels)
    expect(text).toContain("Dry run r1: completed — nothing was written")
    expect(text).toMatch(/ {2}phoneVerified +2/)
    expect(text).toMatch(/ {2}uniqueKey +1/)
    expect(text).toMatch(/2× +phoneVerified: mobile …\*\*\*\*… is not verified/)
  })

  it("--lang zh: the fixed texts and the reasons in Chinese (worded from their params), mobiles still masked", () => {
    const withParams = [
      ...items.slice(0, 2),
      new Outcome({
        runId,
        side: "left",
        id: RecordId.make("3"),
        operation: "skip",
        outcome: "skipped",
        reasons: [
          new Reason({
            rule: "uniqueKey",
            message: 'mobile "13900139000" already belongs to right record 77',
            collidingId: RecordId.make("77"),
            params: { field: "mobile", value: "13900139000", side: "right" }
          })
        ]
      })
    ]
    const view = { runId: Option.some(runId), status: "completed", dryRun: true, counts, items: withParams }
    const text = Report.summary(view, labels, "zh")
    expect(text).toContain("试运行 r1: 完成——未写入任何内容")
    expect(text).toMatch(/新建 +2/)
    expect(text).toMatch(/ {2}唯一字段冲突（uniqueKey） +1/)
    expect(text).toContain("主要原因：")
    expect(text).toContain("uniqueKey: 手机号“…****…”已属于ERP客户 77")
    // a reason stored without params keeps its English words
    expect(text).toContain("phoneVerified: mobile …****… is not verified")
    const rows = Report.itemsTable(withParams, labels, "zh")
    expect(rows.split("\n")[0]).toMatch(/^中台 +ERP +操作 +结果 +原因$/)
    expect(rows).toContain("手机号“139****9000”已属于ERP客户 77")
    expect(rows).not.toContain("13900139000")
    // JSON keeps the English message whatever the language
    expect(Report.runJson(view, labels).items[2]?.reason).toBe(
      'mobile "139****9000" already belongs to right record 77'
    )
  })

  it("shows each warning once in the summary and in --json, mobiles masked; none when there is none", () => {
    const warnings = [
      { code: "contacts-unavailable", side: "right" as const, message: "contact list: 未知页面 (13900139000)" }
    ]
    const view = { runId: Option.some(runId), status: "completed", dryRun: false, counts, items, warnings }
    const text = Report.summary(view, labels)
    expect(text.match(/Warning \(contacts-unavailable\): contact list: 未知页面 \(139\*\*\*\*9000\)/g)).toHaveLength(1)
    expect(Report.runJson(view, labels).warnings).toEqual([
      { code: "contacts-unavailable", side: "right", message: "contact list: 未知页面 (139****9000)" }
    ])
    expect(Report.summary({ ...view, warnings: [] }, labels)).not.toContain("Warning")
    expect(Report.runJson({ ...view, warnings: [] }, labels).warnings).toEqual([])
  })

  it("the hub↔ERP pair's tables head its sides hub / erp, as they always did", () => {
    expect(Report.itemsTable(items, labels).split("\n")[0]).toMatch(/^hub +erp +operation +outcome +reason$/)
  })

  it("another pair's report speaks of its own sides: table headers, --json keys, Chinese labels", () => {
    const view = { runId: Option.some(runId), status: "completed", dryRun: false, counts, items }
    const json = Report.runJson(view, hubTable)
    expect(json.items[0]).toEqual(expect.objectContaining({ leftId: "1", rightId: "501", hubId: "1", tableId: "501" }))
    expect(json.items[0]).not.toHaveProperty("erpId")
    const rows = Report.itemsTable(items, hubTable)
    expect(rows.split("\n")[0]).toMatch(/^hub +table +operation +outcome +reason$/)
    expect(rows).not.toMatch(/erp/i)
    expect(Report.itemsTable(items, hubTable, "zh").split("\n")[0]).toMatch(/^中台 +数据表 +操作 +结果 +原因$/)
    // a pair with labels but none in Chinese shows them as given; JSON names come from the English labels
    expect(Report.itemsTable(items, { left: "CRM", right: "SAP" }, "zh").split("\n")[0]).toMatch(/^CRM +SAP +操作/)
    expect(Report.runJson(view, { left: "CRM", right: "SAP" }).items[0]).toMatchObject({ crmId: "1", sapId: "501" })
    // labels that give no two usable names: only leftId / rightId
    const same = Report.runJson(view, { left: "db", right: "DB" }).items[0]
    expect(Object.keys(same ?? {}).filter((k) => k.endsWith("Id"))).toEqual(["leftId", "rightId"])
  })

  it("tables align CJK text by its display width", () => {
    const lines = table([
      ["客户", "1"],
      ["ab", "22"]
    ]).split("\n")
    expect(lines.map(displayWidth)).toEqual([8, 8])
  })
})
