import type { Intsort } from "../Model.js"
import { dataAnswer, messageAnswer } from "./answer.js"
import { renderBill } from "./bill.js"
import { type Ctx, type Page, readOrd } from "./context.js"
import { allocateCustomer, customerValues, deletedMessage, liveCustomer, saveCustomer } from "./customers.js"
import { optionName } from "./enums.js"
import { customerFields, type FieldDef } from "./fields.js"
import type { ErpRequest } from "./request.js"

/** `intsort` from the datas or the URL: 2 is a person customer, any other value a company. */
export const readIntsort = (req: ErpRequest): Intsort | undefined => {
  const text = req.param("intsort").trim()
  return text === "" ? undefined : text === "2" ? 2 : 1
}

export const isEditMode = (req: ErpRequest): boolean => req.param("edit").trim() === "1"

const groupCaptions = { base: "基本信息", contact: "联系人信息", more: "其他信息" } as const

const customerGroups = (intsort: Intsort) =>
  (["base", "contact", "more"] as const).map((group) => ({
    id: group,
    caption: groupCaptions[group],
    defs: customerFields(intsort).filter((def: FieldDef) => def.group === group)
  }))

const requiredOf = (ctx: Ctx, intsort: Intsort) =>
  intsort === 1 ? ctx.config.requiredFields.company : ctx.config.requiredFields.person

/** `sort1` is "category,follow level"; the page shows their names. */
export const categoryNames = (sort1: string): readonly [string, string] => {
  const [category = "", level = ""] = sort1.split(",").map((part) => part.trim())
  return [optionName("category", category), optionName("followLevel", level)]
}

/** add.asp without a command: allocates a new id and answers the empty add form, its `value` the new ord. */
export const allocatePage: Page = (ctx, req, account) => {
  const intsort = readIntsort(req) ?? 1
  const ord = allocateCustomer(ctx, account.user, intsort)
  const bill = renderBill(ctx.config, {
    id: "custom",
    caption: "添加客户",
    value: ord,
    groups: customerGroups(intsort),
    values: undefined,
    required: requiredOf(ctx, intsort),
    // the form proposes a customer code
    texts: { khid: `KH${String(ord).padStart(6, "0")}` }
  })
  return dataAnswer("bill", "init", bill, req.session)
}

/** add.asp?edit=1: the customer's fields, text and value. */
export const detailPage: Page = (ctx, req) => {
  const row = liveCustomer(ctx, readOrd(req.param("ord")))
  if (!row) return messageAnswer(deletedMessage, false, req.session)
  const values = customerValues(ctx, row)
  const [category, level] = categoryNames(values.sort1 ?? "")
  const bill = renderBill(ctx.config, {
    id: "custom",
    caption: "客户详情",
    value: row.ord,
    groups: customerGroups(row.intsort),
    values,
    required: requiredOf(ctx, row.intsort),
    texts: { sort1: [category, level].filter((name) => name !== "").join(",") || (values.sort1 ?? "") }
  })
  return dataAnswer("bill", "init", bill, req.session)
}

/** add.asp with `__sys_dosave`: add (allocated ord) or edit (existing ord). */
export const savePage: Page = (ctx, req, account) => {
  const intsort = readIntsort(req)
  const existing = ctx.store.customers.get(readOrd(req.param("ord")) ?? 0)
  const defs = customerFields(intsort ?? existing?.intsort ?? 1)
  const values: Record<string, string> = {}
  for (const def of defs) {
    const value = req.datas.get(def.id)
    if (value !== undefined) values[def.id] = value
  }
  const result = saveCustomer(ctx, {
    ord: readOrd(req.param("ord")),
    intsort,
    values,
    user: account.user,
    endpoint: "customer.save"
  })
  return result.ok ? messageAnswer("保存成功", true, req.session) : messageAnswer(result.message, false, req.session)
}
