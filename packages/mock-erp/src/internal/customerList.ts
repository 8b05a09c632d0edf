import type { Customer } from "../Model.js"
import { dataAnswer } from "./answer.js"
import { type Ctx, type Page, readOrd, salespersonName } from "./context.js"
import { categoryNames } from "./customerPages.js"
import { customerView } from "./customers.js"
import { parseErpDate } from "./dates.js"
import { optionName } from "./enums.js"
import type { ErpRequest } from "./request.js"
import { commaList, renderByOrd, renderSkeleton, renderTable, type TableRecord } from "./table.js"

/** The 13 columns the user's live ERP returned, in its order. */
export const liveListColumns = [
  "name",
  "catename",
  "sortname",
  "sort1name",
  "personname",
  "personjob",
  "phone",
  "mobile",
  "telintro",
  "ord",
  "person",
  "url",
  "personurl"
] as const

const fuzzyFilters = ["name", "pym", "khid", "phone", "fax", "url", "address", "zip", "intro"] as const
const listFilters = ["ly", "jz", "area", "trade"] as const
const dayMs = 86_400_000

const cellOf =
  (ctx: Ctx, customer: Customer) =>
  (column: string): string => {
    const f = customer.fields
    switch (column) {
      case "catename":
        return customer.assignedTo.map((id) => salespersonName(ctx, id)).join(",")
      case "sortname":
        return categoryNames(f.sort1 ?? "")[0]
      case "sort1name":
        return categoryNames(f.sort1 ?? "")[1]
      case "personname":
        return f.person_name ?? ""
      case "personjob":
        return f.job ?? ""
      case "telintro":
        return f.intro ?? ""
      case "ord":
        return String(customer.ord)
      case "person":
        return customer.mainContact === null ? "" : String(customer.mainContact)
      case "url":
      case "personurl":
        return "_url"
      case "lyname":
        return optionName("ly", f.ly ?? "", ctx.config.enums)
      case "jzname":
        return optionName("jz", f.jz ?? "", ctx.config.enums)
      default:
        return f[column] ?? ""
    }
  }

const stypeMatches = (customer: Customer, stype: string): boolean => {
  switch (stype) {
    case "1":
      return customer.pool
    case "2":
      return customer.pendingApply !== null
    case "3":
      return customer.protectedBy !== null
    case "4":
    case "5":
      return false // sharing is not modelled: nothing is shared
    default:
      return true
  }
}

/**
 * The documented filters but `telord` (see `candidates`); undefined when the request sets none. There is no filter on
 * mobile, WeChat id or modification time, as in the ERP.
 */
const matches = (req: ErpRequest): ((customer: Customer) => boolean) | undefined => {
  const fuzzy = fuzzyFilters.map((id) => [id, req.param(id)] as const).filter(([, value]) => value !== "")
  const lists = listFilters.map((id) => [id, commaList(req.param(id))] as const).filter(([, ids]) => ids.length > 0)
  const salespeople = commaList(req.param("cateid")).map(Number)
  const from = parseErpDate(req.param("date1_0"))
  const to = parseErpDate(req.param("date1_1"))
  const stype = req.param("stype").trim()
  const none = fuzzy.length + lists.length + salespeople.length === 0 && from === undefined && to === undefined
  if (none && !["1", "2", "3", "4", "5"].includes(stype)) return undefined
  return (customer: Customer): boolean => {
    const f = customer.fields
    if (fuzzy.some(([id, value]) => !(f[id] ?? "").includes(value))) return false
    if (lists.some(([id, ids]) => !ids.includes(f[id] ?? ""))) return false
    if (salespeople.length > 0 && !customer.assignedTo.some((id) => salespeople.includes(id))) return false
    const added = parseErpDate(f.date1 ?? "") ?? customer.createdAt
    if (from !== undefined && added < from) return false
    // a bare end date includes that whole day
    if (to !== undefined && added >= (/\d:\d/.test(req.param("date1_1")) ? to + 1000 : to + dayMs)) return false
    return stypeMatches(customer, stype)
  }
}

/** The live customers a request may list, ascending: those `telord` names, or all of them. */
const candidates = (ctx: Ctx, req: ErpRequest): ReadonlyArray<number> => {
  const telord = commaList(req.param("telord"))
  if (telord.length === 0) return ctx.indexes.liveOrds()
  const ords = new Set(telord.map(readOrd).filter((ord) => ord !== undefined))
  return [...ords].filter((ord) => ctx.store.customers.get(ord)?.status === "live").sort((a, b) => a - b)
}

/** list.asp with `refresh`: the customers as positional string rows. */
export const customerListPage: Page = (ctx, req) => {
  const keep = matches(req)
  const ords = candidates(ctx, req)
  const recordOf = (customer: Customer): TableRecord => ({ ord: customer.ord, cell: cellOf(ctx, customer) })
  const viewOf = (ord: number) => customerView(ctx, ctx.store.customers.get(ord)!)
  const table =
    keep === undefined
      ? renderByOrd(ctx.config, req, ords, (ord) => recordOf(viewOf(ord)), ctx.config.listColumns)
      : renderTable(ctx.config, req, ords.map(viewOf).filter(keep).map(recordOf), ctx.config.listColumns)
  return dataAnswer("source", "table", table, req.session)
}

/** list.asp without `refresh`: only the page's skeleton. */
export const customerSkeletonPage: Page = (ctx, req) =>
  dataAnswer("report", "init", renderSkeleton("custom_list", "客户列表", ctx.config.listColumns), req.session)
