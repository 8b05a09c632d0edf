import type { Contact } from "../Model.js"
import { dataAnswer, messageAnswer, unknownPageAnswer } from "./answer.js"
import { renderBill } from "./bill.js"
import { type Ctx, logWrite, type Page, readOrd } from "./context.js"
import { deletedMessage, liveCustomer } from "./customers.js"
import { parseErpDate } from "./dates.js"
import { findDuplicate } from "./duplicates.js"
import { contactFields } from "./fields.js"
import type { ErpRequest } from "./request.js"
import type { CustomerRow } from "./store.js"
import { commaList, renderByOrd, renderSkeleton, renderTable, type TableRecord } from "./table.js"
import { validateFields } from "./validate.js"

export const defaultContactColumns = [
  "person_name",
  "sex",
  "part1",
  "job",
  "mobile",
  "mobile2",
  "phone",
  "email",
  "weixinAcc",
  "name",
  "company",
  "ord",
  "url"
] as const

/** A contact counts only while its customer is live. */
const liveContact = (ctx: Ctx, ord: number | undefined): Contact | undefined => {
  const contact = ord === undefined ? undefined : ctx.store.contacts.get(ord)
  return contact && liveCustomer(ctx, contact.company) ? contact : undefined
}

/** person/add.asp with `__sys_dosave`: a new contact, or an edit when `ord` names one. */
export const contactSavePage: Page = (ctx, req, account) => {
  const ord = readOrd(req.param("ord"))
  const existing = liveContact(ctx, ord)
  if (ord !== undefined && !existing) return messageAnswer(deletedMessage, false, req.session)
  const sent: Record<string, string> = {}
  for (const def of contactFields) {
    const value = req.datas.get(def.id)
    if (value !== undefined) sent[def.id] = value
  }
  const values = { ...existing?.fields, ...(existing ? { company: String(existing.company) } : {}), ...sent }
  const invalid = validateFields(contactFields, values, ctx.config.requiredFields.contact)
  if (invalid) return messageAnswer(invalid, false, req.session)
  const company = readOrd(values.company ?? "")
  if (!liveCustomer(ctx, company) || company === undefined) return messageAnswer(deletedMessage, false, req.session)
  const duplicate = findDuplicate(ctx, { defs: contactFields, values, customer: undefined, contact: existing?.ord })
  if (duplicate) return messageAnswer(duplicate, false, req.session)
  ctx.store.transaction(() => {
    const at = ctx.now()
    const { company: _company, ...fields } = values
    const contactOrd = existing?.ord ?? ctx.store.nextId("contact")
    ctx.store.contacts.put(contactOrd, {
      ord: contactOrd,
      company,
      main: existing?.main ?? false,
      owner: existing?.owner ?? account.user,
      fields,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at
    })
    const kind = existing ? "contact.update" : "contact.create"
    logWrite(ctx, { endpoint: "contact.save", kind, ord: contactOrd, user: account.user, fields: sent })
  })
  return messageAnswer("保存成功", true, req.session)
}

const contactBill = (ctx: Ctx, req: ErpRequest, contact: Contact | undefined) =>
  dataAnswer(
    "bill",
    "init",
    renderBill(ctx.config, {
      id: "person",
      caption: contact ? "联系人详情" : "添加联系人",
      value: contact?.ord ?? 0,
      groups: [{ id: "base", caption: "基本信息", defs: contactFields }],
      values: contact ? { ...contact.fields, company: String(contact.company) } : undefined,
      required: ctx.config.requiredFields.contact,
      texts: contact ? { company: ctx.store.customers.get(contact.company)?.fields.name ?? "" } : {}
    }),
    req.session
  )

/** person/add.asp?edit=1: the contact's fields. */
export const contactDetailPage: Page = (ctx, req) => {
  const contact = liveContact(ctx, readOrd(req.param("ord")))
  return contact ? contactBill(ctx, req, contact) : messageAnswer(deletedMessage, false, req.session)
}

/** person/add.asp without a command: the empty add form. */
export const contactFormPage: Page = (ctx, req) => contactBill(ctx, req, undefined)

const fuzzyFilters = ["person_name", "pym", "part1", "job", "mobile", "phone", "fax", "qq", "email", "joy", "intro"]

/** person/list.asp with `refresh`. Unlike the customer list, this one can filter on mobile. */
export const contactListPage: Page = (ctx, req) => {
  if (!ctx.config.contactList) return unknownPageAnswer(req.session)
  const fuzzy = fuzzyFilters.map((id) => [id, req.param(id)] as const).filter(([, value]) => value !== "")
  const company = readOrd(req.param("company"))
  const customerName = req.param("name")
  const sexes = commaList(req.param("sex"))
  const from = parseErpDate(req.param("date1_0"))
  const to = parseErpDate(req.param("date1_1"))
  const recordOf = (contact: Contact, customer: CustomerRow): TableRecord => {
    const cell = (column: string): string => {
      if (column === "name") return customer.fields.name ?? ""
      if (column === "company") return String(contact.company)
      if (column === "ord") return String(contact.ord)
      if (column === "url") return "_url"
      return contact.fields[column] ?? ""
    }
    return { ord: contact.ord, cell }
  }
  const contactOf = (ord: number) => {
    const contact = ctx.store.contacts.get(ord)!
    return { contact, customer: ctx.store.customers.get(contact.company)! }
  }
  const unfiltered =
    fuzzy.length + sexes.length === 0 &&
    company === undefined &&
    customerName === "" &&
    from === undefined &&
    to === undefined
  const table = unfiltered
    ? renderByOrd(
        ctx.config,
        req,
        ctx.indexes.listedContacts(),
        (ord) => {
          const { contact, customer } = contactOf(ord)
          return recordOf(contact, customer)
        },
        ctx.config.contactListColumns
      )
    : renderTable(
        ctx.config,
        req,
        ctx.indexes
          .listedContacts()
          .map(contactOf)
          .filter(({ contact, customer }) => {
            const f = contact.fields
            if (company !== undefined && contact.company !== company) return false
            if (fuzzy.some(([id, value]) => !(f[id] ?? "").includes(value))) return false
            if (customerName !== "" && !(customer.fields.name ?? "").includes(customerName)) return false
            if (sexes.length > 0 && !sexes.includes(f.sex ?? "")) return false
            if (from !== undefined && contact.createdAt < from) return false
            return !(to !== undefined && contact.createdAt >= to + 86_400_000)
          })
          .map(({ contact, customer }) => recordOf(contact, customer)),
        ctx.config.contactListColumns
      )
  return dataAnswer("source", "table", table, req.session)
}

export const contactSkeletonPage: Page = (ctx, req) =>
  ctx.config.contactList
    ? dataAnswer(
        "report",
        "init",
        renderSkeleton("person_list", "联系人列表", ctx.config.contactListColumns),
        req.session
      )
    : unknownPageAnswer(req.session)
