import type { Endpoint } from "../Model.js"
import { type Answer, v3Answer } from "./answer.js"
import { type Ctx, readOrd } from "./context.js"
import { deletedMessage, liveCustomer, saveCustomer } from "./customers.js"
import type { EnumName, Enums } from "./enums.js"
import { customerFields } from "./fields.js"
import type { Loose } from "./lenientJson.js"
import { type ErpRequest, looseText } from "./request.js"

/** V3 body keys that are V1 customer fields under another name; other unknown keys are ignored. */
const renamed: Readonly<Record<string, string>> = { Date1: "date1" }
const enumKeys: ReadonlyArray<readonly [string, EnumName, string]> = [
  ["ly", "ly", "客户来源"],
  ["jz", "jz", "价值评估"],
  ["trade", "trade", "客户行业"]
]

type Mapped =
  | { readonly ok: true; readonly values: Record<string, string> }
  | { readonly ok: false; readonly msg: string }

/** Translates a V3 body to V1 fields: V3 `sort` (category) and `sort1` (follow level) make V1's `sort1`. */
const mapBody = (body: Readonly<Record<string, Loose>>, intsort: 1 | 2, table: Enums): Mapped => {
  const text = (key: string) => looseText(body[key]).trim()
  if (text("sort") === "") return { ok: false, msg: "客户分类不能为空！" }
  if (text("sort1") === "") return { ok: false, msg: "跟进程度不能为空！" }
  const ids = new Set(customerFields(intsort).map((def) => def.id))
  const values: Record<string, string> = {}
  for (const [key, value] of Object.entries(body)) {
    const id = renamed[key] ?? key
    if (ids.has(id) && id !== "sort1") values[id] = looseText(value)
  }
  values.sort1 = `${text("sort")},${text("sort1")}`
  // V3 takes an enumeration by its id or by its name
  for (const [key, name, caption] of enumKeys) {
    const given = text(key)
    if (given === "") continue
    const option = table[name].find((candidate) => candidate.v === given || candidate.n === given)
    if (!option) return { ok: false, msg: `${caption}【${given}】不存在！` }
    values[key] = option.v
  }
  const mobile = text("mobile")
  if (mobile !== "" && !/^1\d{10}$/.test(mobile))
    return { ok: false, msg: "联系人手机格式不正确，需为11位有效手机号码！" }
  return { ok: true, values }
}

/** /webapi/v3/sales/customer/add|edit: `ZBAPI-Token` header, plain JSON body, `{Code, Msg}` answer. */
export const v3CustomerPage =
  (endpoint: Extract<Endpoint, "customer.v3add" | "customer.v3edit">) =>
  (ctx: Ctx, req: ErpRequest): Answer => {
    const check = ctx.sessions.check(req.header("ZBAPI-Token").trim())
    if (!check.ok) return v3Answer(400, check.message)
    if (!req.body) return v3Answer(500, "服务器内部错误：请求数据不是有效的JSON。")
    const body = req.body
    const sort2 = looseText(body.sort2).trim()
    if (sort2 !== "1" && sort2 !== "2") return v3Answer(300, "客户属性不能为空！")
    const intsort = sort2 === "2" ? 2 : 1
    const ord = endpoint === "customer.v3edit" ? readOrd(looseText(body.ord)) : undefined
    if (endpoint === "customer.v3edit" && !liveCustomer(ctx, ord)) return v3Answer(300, deletedMessage)
    const mapped = mapBody(body, intsort, ctx.config.enums)
    if (!mapped.ok) return v3Answer(300, mapped.msg)
    const cateName = looseText(body.cateName).trim()
    const salesperson = ctx.config.salespeople.find((person) => person.name === cateName)
    if (cateName !== "" && !salesperson) return v3Answer(300, `销售人员【${cateName}】不存在！`)
    const result = saveCustomer(ctx, {
      ord,
      intsort,
      values: mapped.values,
      user: check.account.user,
      endpoint,
      create: endpoint === "customer.v3add"
    })
    if (!result.ok) return v3Answer(300, result.message)
    const row = ctx.store.customers.get(result.ord)
    if (salesperson && row) ctx.store.customers.put(row.ord, { ...row, assignedTo: [salesperson.id], pool: false })
    return v3Answer(200, endpoint === "customer.v3add" ? "添加成功" : "修改成功")
  }
