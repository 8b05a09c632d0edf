import type { Bill, Body } from "./wire/answer.js"
import { billFields, fieldValue, isRequired, zipRows } from "./wire/answer.js"

/** A customer as its detail page shows it: stored values by field id, empty as null. */
export interface CustomerDetail {
  readonly ord: number
  /** 1 company, 2 person. */
  readonly intsort: 1 | 2
  readonly fields: Readonly<Record<string, string | null>>
  /** The fields this installation requires on a save (`notnull`): a save must carry them. */
  readonly required: ReadonlyArray<string>
}

export interface ListPage {
  readonly pageIndex: number
  /** Null when the ERP leaves it out (an empty list). */
  readonly pageCount: number | null
  readonly recordCount: number | null
  readonly columns: ReadonlyArray<string>
  /** Each row zipped with the column ids. */
  readonly rows: ReadonlyArray<Readonly<Record<string, string | null>>>
}

/**
 * The detail does not say which kind of customer it is; the page's field set does: only a company customer has a
 * contact (`person_name`) on its page (spec §4.2: 61 fields for companies, 40 for persons).
 */
const intsortOf = (fields: Readonly<Record<string, string | null>>, ids: ReadonlySet<string>): 1 | 2 => {
  const explicit = fields.intsort ?? fields.sort2
  if (explicit === "1" || explicit === "2") return Number(explicit) as 1 | 2
  return ids.has("person_name") ? 1 : 2
}

export const detail = (ord: number, bill: Bill): CustomerDetail => {
  const all = billFields(bill)
  const fields = Object.fromEntries(all.map((field) => [field.id, fieldValue(field)]))
  return {
    ord,
    intsort: intsortOf(fields, new Set(all.map((field) => field.id))),
    fields,
    required: all.filter(isRequired).map((field) => field.id)
  }
}

export const listPage = (query: { readonly pageIndex: number }, body: Body): ListPage => {
  const table = body.source?.table
  if (!table) return { pageIndex: query.pageIndex, pageCount: null, recordCount: null, columns: [], rows: [] }
  return {
    pageIndex: table.page?.pageindex ?? query.pageIndex,
    pageCount: table.page?.pagecount ?? null,
    recordCount: table.page?.recordcount ?? null,
    columns: (table.cols ?? []).map((col) => col.id),
    rows: zipRows(table)
  }
}
