import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { defaultHubAdmissionOptions, displayNameOf } from "@tongbu/adapter-wechat-hub"
import { defaultMapping } from "@tongbu/adapter-zhibang"
import type { Fields } from "@tongbu/core"
import { Reason, RecordId, refusalMessage, SideRecord } from "@tongbu/core"
import { HubErpPolicy, pair, Sections } from "@tongbu/pair-hub-zhibang"
import * as Reasons from "../src/Reasons.js"

const labels = pair.labels
const repo = resolve(import.meta.dirname, "../../..")
const sources = [
  "packages/core/src",
  "packages/adapter-wechat-hub/src",
  "packages/adapter-zhibang/src",
  "packages/pair-hub-zhibang/src",
  "apps/runner/src"
]

const files = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : []
  })

// Every place a reason is made names its rule as a literal first argument: `reason("…"`, `ctx.reason("…"`,
// `O.reason("…"`, `new Reason({ rule: "…"`, and the admission rules `rule("…"` of the hub adapter.
const ruleLiteral = /(?:\breason\(|\brule\(|new Reason\(\{\s*rule:)\s*"(\w+)"/g
const rulesInSources = (): ReadonlySet<string> =>
  new Set(
    sources
      .flatMap((dir) => files(join(repo, dir)))
      .flatMap((path) => [...readFileSync(path, "utf8").matchAll(ruleLiteral)].map((m) => m[1]!))
  )

const policy = HubErpPolicy.make({
  conflicts: Object.fromEntries(Sections.policyFields.map((f) => [f, "erpWins"])) as never,
  fillIn: ["wechat", "email", "address"],
  admission: defaultHubAdmissionOptions,
  pullSources: [3],
  mapping: defaultMapping
})

const cjk = /\p{Script=Han}/u

describe("Reasons", () => {
  it("every rule the core, the adapters and the runner give reasons under has a Chinese wording", () => {
    const found = rulesInSources()
    // the scan must find the rules it is meant to find, or it proves nothing
    for (const known of ["uniqueKey", "fillIn", "naturalKey", "retry", "irreversible", "mobile", "score"])
      expect(found, known).toContain(known)
    const admission = [...policy.admission.toRight, ...policy.admission.toLeft].map((rule) => rule.name)
    const missing = [...found, ...admission].filter((rule) => Reasons.zh[rule] === undefined)
    expect(missing, "rules without a zh wording in src/Reasons.ts").toEqual([])
  })

  it("words every admission refusal of the policy in Chinese from its params, mobiles masked", () => {
    const hub = (fields: Fields) => {
      const all: Fields = {
        erp_customer_type: 1,
        company_name: "重庆鑫达机械有限公司",
        real_name: "王建国",
        phone: "13800138000",
        phone_verified: true,
        score: 72,
        marked_as_invalid: false,
        ...fields
      }
      return new SideRecord({ id: RecordId.make("1"), fields: { ...all, customer_name: displayNameOf(all) } })
    }
    const cases: ReadonlyArray<[Fields, string]> = [
      [{ phone: null }, "没有已验证的手机号"],
      [{ phone: "1380013800" }, "不是有效的大陆手机号：13****00"],
      [{ phone_verified: false }, "手机号 138****8000 未验证"],
      [{ erp_customer_type: 2, company_name: null, real_name: "张先生" }, "名称是称呼而不是全名：张先生"],
      [{ erp_customer_type: 2, company_name: null, real_name: "张三" }, "名称太短（至少 3 个字）：张三"],
      [{ company_name: null, real_name: null }, "没有客户名称"],
      [{ company_name: null }, "公司客户没有公司名称"],
      [{ score: 59.5 }, "意向分 59.5 低于 60"],
      [{ marked_as_invalid: true }, "在中台被标记为无效"]
    ]
    for (const [fields, expected] of cases) {
      const record = hub(fields)
      const worded = policy.admission.toRight.flatMap((rule) => {
        const refusal = rule.check(record, {})
        if (refusal === null) return []
        const params = typeof refusal === "string" ? undefined : refusal.params
        const reason = new Reason({ rule: rule.name, message: refusalMessage(refusal), params })
        return [Reasons.render(reason, "zh", labels)]
      })
      expect(worded, JSON.stringify(fields)).toContain(expected)
    }
    const erp = new SideRecord({ id: RecordId.make("7"), fields: { ly: "5" } })
    const [pull] = policy.admission.toLeft
    const refusal = pull!.check(erp, {})
    expect(refusal).not.toBeNull()
    const reason = new Reason({
      rule: "pullSource",
      message: refusalMessage(refusal!),
      params: typeof refusal === "string" ? undefined : refusal!.params
    })
    expect(Reasons.render(reason, "zh", labels)).toBe("来源（ly）5 不在拉取范围内（policy.pull.sources）")
  })

  it("words planner reasons from their params, names sides and fields in Chinese", () => {
    const unique = new Reason({
      rule: "uniqueKey",
      message: 'mobile "13900139000" already belongs to right record 77',
      collidingId: RecordId.make("77"),
      params: { field: "mobile", value: "13900139000", side: "right" }
    })
    expect(Reasons.render(unique, "zh", labels)).toBe("手机号“13900139000”已属于ERP客户 77")
    expect(Reasons.render(unique, "en", labels)).toBe(unique.message)
    const created = new Reason({
      rule: "uniqueKey",
      message: 'mobile "13900139000" already belongs to the right record created from left record 12',
      params: { field: "mobile", value: "13900139000", side: "right", createdFrom: "12" }
    })
    expect(Reasons.render(created, "zh", labels)).toBe("手机号“13900139000”已属于同步从中台记录 12 新建的ERP记录")
    expect(Reasons.render(new Reason({ ...created, collidingId: RecordId.make("58") }), "zh", labels)).toBe(
      "手机号“13900139000”已属于同步从中台记录 12 新建的ERP记录"
    )
    const fillIn = new Reason({
      rule: "fillIn",
      message: "wechat differs",
      params: { field: "wechat", left: "wx_a", right: "wx_b" }
    })
    expect(Reasons.render(fillIn, "zh", labels)).toBe(
      "微信号不一致：中台为“wx_a”，ERP 为“wx_b”；只填写空字段，两边都保留"
    )
    const retry = new Reason({ rule: "retry", message: "the ERP did not answer in 30 s" })
    expect(Reasons.render(retry, "zh", labels)).toBe("暂时失败，下次运行重试：the ERP did not answer in 30 s")
  })

  it("names the sides by another pair's labels: its Chinese ones, else its English ones as given", () => {
    const created = new Reason({
      rule: "uniqueKey",
      message: 'mobile "13900139000" already belongs to the right record created from left record 12',
      params: { field: "mobile", value: "13900139000", side: "right", createdFrom: "12" }
    })
    const fillIn = new Reason({
      rule: "fillIn",
      message: "wechat differs",
      params: { field: "wechat", left: "wx_a", right: "wx_b" }
    })
    const hubTable = { left: "hub", right: "table", zh: { left: "中台", right: "数据表" } }
    expect(Reasons.render(created, "zh", hubTable)).toBe("手机号“13900139000”已属于同步从中台记录 12 新建的数据表记录")
    expect(Reasons.render(fillIn, "zh", hubTable)).toBe(
      "微信号不一致：中台为“wx_a”，数据表为“wx_b”；只填写空字段，两边都保留"
    )
    const english = { left: "crm", right: "table" }
    expect(Reasons.render(created, "zh", english)).toBe("手机号“13900139000”已属于同步从crm记录 12 新建的table记录")
    expect(Reasons.render(fillIn, "zh", english)).toBe(
      "微信号不一致：crm 为“wx_a”，table 为“wx_b”；只填写空字段，两边都保留"
    )
  })

  it("falls back to the English message for a reason stored without the params its wording needs, or an unknown rule", () => {
    const old = new Reason({ rule: "score", message: "score 40 below 60" })
    expect(Reasons.render(old, "zh", labels)).toBe("score 40 below 60")
    const unknown = new Reason({ rule: "somethingNew", message: "a new rule's words" })
    expect(Reasons.render(unknown, "zh", labels)).toBe("a new rule's words")
    expect(Reasons.ruleLabel("somethingNew", "zh")).toBe("somethingNew")
    expect(Reasons.ruleLabel("score", "zh")).toBe("意向分（score）")
    expect(Reasons.ruleLabel("score", "en")).toBe("score")
  })

  it("an uncertain action reads in Chinese with the record's id and name, the content, the time and how to settle it", () => {
    const reason = new Reason({
      rule: "uncertain",
      message: "may have been delivered",
      collidingId: RecordId.make("58"),
      params: {
        side: "right",
        id: "58",
        name: "武汉宏图环保有限公司",
        kind: "followUp",
        content: 'intro "120"',
        at: "2026-12-04T01:00:00.000Z",
        run: "3"
      }
    })
    expect(Reasons.render(reason, "zh", labels)).toBe(
      '可能已送达：尝试于 2026-12-04T01:00:00.000Z；请在ERP记录 58（武汉宏图环保有限公司）中查看跟进记录（intro "120"，由运行 3 计划）；不会自动重发：核实后，已存在则 `tongbu actions resolve <编号> --done`，不存在则 `--retry`（下次同步重发一次）'
    )
    // an assignment with no name known and nothing in its content
    const { name: _, ...unnamed } = reason.params ?? {}
    const bare = new Reason({ ...reason, params: { ...unnamed, kind: "assign", content: "" } })
    expect(Reasons.render(bare, "zh", labels)).toContain("请在ERP记录 58中查看分配（由运行 3 计划）")
  })

  it("every wording with all its params filled reads in Chinese", () => {
    const params = {
      problem: "missing",
      mobile: "138****8000",
      name: "张三",
      min: 3,
      score: 40,
      source: "5",
      field: "mobile",
      value: "1",
      side: "right",
      left: "a",
      right: "b",
      key: "WX1",
      partner: "2",
      id: "3",
      kind: "assign",
      fields: "name",
      ids: "4, 5",
      content: 'intro "回访"',
      at: "2026-12-04T01:00:00.000Z",
      run: "7"
    }
    for (const rule of Object.keys(Reasons.zh)) {
      const text = Reasons.render(
        new Reason({
          rule,
          message: "English",
          collidingId: RecordId.make("9"),
          params: { ...params, problem: rule === "naturalKey" ? "linked" : "missing" }
        }),
        "zh",
        labels
      )
      expect(text, rule).toMatch(cjk)
      expect(text, rule).not.toMatch(/[{}]/)
    }
  })
})
