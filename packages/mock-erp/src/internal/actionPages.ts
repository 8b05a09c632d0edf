import type { Endpoint, WriteKind } from "../Model.js"
import { type Answer, dataAnswer, messageAnswer } from "./answer.js"
import { renderBill } from "./bill.js"
import { type Ctx, logWrite, type Page, readOrd } from "./context.js"
import { deletedMessage, liveCustomer } from "./customers.js"
import { enumIds, optionName } from "./enums.js"
import { assignFields, type FieldDef, followUpFields } from "./fields.js"
import type { ErpRequest } from "./request.js"
import type { CustomerRow } from "./store.js"
import { commaList } from "./table.js"
import { validateFields } from "./validate.js"

const sentValues = (req: ErpRequest, defs: ReadonlyArray<FieldDef>): Record<string, string> => {
  const values: Record<string, string> = {}
  for (const def of defs) {
    const value = req.datas.get(def.id)
    if (value !== undefined) values[def.id] = value
  }
  return values
}

/** An action page without a command answers its empty form. */
export const formPage =
  (id: string, caption: string, defs: ReadonlyArray<FieldDef>): Page =>
  (ctx, req) =>
    dataAnswer(
      "bill",
      "init",
      renderBill(ctx.config, {
        id,
        caption,
        value: readOrd(req.param("ord")) ?? 0,
        groups: [{ id: "base", caption, defs }],
        values: undefined,
        required: []
      }),
      req.session
    )

/** order.asp?datatype=tel with `__sys_dosave`: member1 1 = the public pool, 0 = the users in member2. */
export const assignPage: Page = (ctx, req, account) => {
  const row = liveCustomer(ctx, readOrd(req.param("ord")))
  if (!row) return messageAnswer(deletedMessage, false, req.session)
  const values = sentValues(req, assignFields)
  const invalid = validateFields(assignFields, values, values.member1 === "0" ? ["member1", "member2"] : ["member1"])
  if (invalid) return messageAnswer(invalid, false, req.session)
  const ids = commaList(values.member2 ?? "")
  const bad = ids.find((id) => !/^\d+$/.test(id))
  if (bad !== undefined) return messageAnswer(`指派用户的值【${bad}】无效！`, false, req.session)
  const member1 = values.member1 === "1" ? 1 : 0
  const member2 = member1 === 1 ? [] : ids.map(Number)
  ctx.store.transaction(() => {
    const id = ctx.store.nextId("assignment")
    ctx.store.assignments.put(id, { id, ord: row.ord, user: account.user, at: ctx.now(), member1, member2 })
    ctx.store.customers.put(row.ord, { ...row, assignedTo: member2, pool: member1 === 1, updatedAt: ctx.now() })
    logWrite(ctx, { endpoint: "assign", kind: "assign", ord: row.ord, user: account.user, fields: values })
  })
  return messageAnswer("保存成功", true, req.session)
}

const scheduleFields: Readonly<Record<string, ReadonlyArray<string>>> = {
  "1": ["@ret_0", "@ret_1", "@title1", "@remind"],
  "2": ["@ret2_0", "@ret2_1", "@title2", "@intro2", "@remind"]
}

/** reply.asp?datatype=tel with `__sys_dosave`: a follow-up record (洽谈进展) on a customer. */
export const followUpPage: Page = (ctx, req, account) => {
  const row = liveCustomer(ctx, readOrd(req.param("ord")))
  if (!row) return messageAnswer(deletedMessage, false, req.session)
  const values = sentValues(req, followUpFields)
  const required = ["intro", "sort", "plantype", ...(scheduleFields[(values.plantype ?? "").trim()] ?? [])]
  const invalid = validateFields(followUpFields, values, required, ctx.config.enums)
  if (invalid) return messageAnswer(invalid, false, req.session)
  const intro = values.intro ?? ""
  const templateText = optionName("followTemplate", intro.trim())
  ctx.store.transaction(() => {
    const id = ctx.store.nextId("followUp")
    ctx.store.followUps.put(id, {
      id,
      ord: row.ord,
      user: account.user,
      at: ctx.now(),
      text: templateText || intro,
      template: templateText ? Number(intro) : null,
      fields: values
    })
    logWrite(ctx, { endpoint: "followUp", kind: "followUp", ord: row.ord, user: account.user, fields: values })
  })
  return messageAnswer("保存成功", true, req.session)
}

interface PoolOutcome {
  readonly patch: Partial<CustomerRow>
  readonly kind: WriteKind
  readonly text: string
}

/** The pool operations: each changes one customer and answers a message (a string: the refusal). */
const poolAction =
  (
    endpoint: Endpoint,
    act: (row: CustomerRow, req: ErpRequest, user: string, ctx: Ctx) => PoolOutcome | string
  ): Page =>
  (ctx, req, account): Answer => {
    const row = liveCustomer(ctx, readOrd(req.param("ord")))
    if (!row) return messageAnswer(deletedMessage, false, req.session)
    const outcome = act(row, req, account.user, ctx)
    if (typeof outcome === "string") return messageAnswer(outcome, false, req.session)
    ctx.store.transaction(() => {
      ctx.store.customers.put(row.ord, { ...row, ...outcome.patch, updatedAt: ctx.now() })
      const fields = Object.fromEntries(req.datas)
      logWrite(ctx, { endpoint, kind: outcome.kind, ord: row.ord, user: account.user, fields })
    })
    return messageAnswer(outcome.text, true, req.session)
  }

const protectedMessage = (row: CustomerRow) => `客户名称【${row.fields.name ?? ""}】已被保护！`

export const applyPage: Page = poolAction("pool.apply", (row, _req, user) => {
  if (!row.pool) return "该客户不在客户池中，不能申请！"
  if (row.pendingApply !== null) return "该客户已被申请，请等待审批！"
  return { patch: { pendingApply: user }, kind: "pool.apply", text: "申请成功，请等待审批！" }
})

/** approve.asp?__msgid=onsave: blset 1 gives the customer to the applicant, 0 rejects the application. */
export const approvePage: Page = poolAction("pool.approve", (row, req, _user, ctx) => {
  const applicant = row.pendingApply
  if (applicant === null) return "该客户没有待审批的申请！"
  const blset = req.param("blset").trim()
  if (blset !== "1" && blset !== "0") return "审批结果不能为空！"
  if (blset === "0") return { patch: { pendingApply: null }, kind: "pool.reject", text: "审批成功" }
  const id = ctx.config.accounts.find((account) => account.user === applicant)?.id
  const patch = { pendingApply: null, pool: false, assignedTo: id === undefined ? [] : [id] }
  return { patch, kind: "pool.approve", text: "审批成功" }
})

export const takebackPage: Page = poolAction("pool.takeback", () => ({
  patch: { pool: true, assignedTo: [], pendingApply: null },
  kind: "pool.takeback",
  text: "收回成功"
}))

export const protectPage: Page = poolAction("pool.protect", (row, _req, user) =>
  row.protectedBy !== null && row.protectedBy !== user
    ? protectedMessage(row)
    : { patch: { protectedBy: user }, kind: "pool.protect", text: "保护成功" }
)

export const unprotectPage: Page = poolAction("pool.unprotect", (row, _req, user) =>
  row.protectedBy !== null && row.protectedBy !== user
    ? protectedMessage(row)
    : { patch: { protectedBy: null }, kind: "pool.unprotect", text: "取消保护成功" }
)

/** source.asp?enumid=N: an enumeration's options; an unknown id has none. */
export const enumPage: Page = (ctx, req) => {
  const name = enumIds[req.param("enumid").trim()]
  return dataAnswer("source", "options", { type: "options", options: name ? ctx.config.enums[name] : [] }, req.session)
}
