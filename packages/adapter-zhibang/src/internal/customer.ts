import type { Bill, Body, RowShape } from "./wire/answer.js"
import { billFields, fieldValue, isRequired, tableShape, zipRows } from "./wire/answer.js"

/** A customer as its detail page shows it: stored values by field id, empty as null. */
export interface CustomerDetail {
  readonly ord: number
  /** 1 company, 2 person. */
  readonly intsort: 1 | 2
  readonly fields: Readonly<Record<string, string | null>>
  /** The fields this installation requires on a save (`notnull`): a save must carry them. */
  readonly required: ReadonlyArray<string>
}

/** How an empty list answered: empty `page`/`cols`/`rows`, or without them (spec §4.4). */
export type EmptyForm = "empty" | "missing"

/** The envelope variants one list answer showed, for `ZhibangClient.observedShapes`. */
export interface ListShape {
  readonly rowShapes: ReadonlyArray<RowShape>
  /** Set when the list was empty. */
  readonly emptyForm: EmptyForm | undefined
  /** A cell came as a JSON number and was read as text. */
  readonly numericCells: boolean
}

export interface ListPage {
  readonly pageIndex: number
  /** Null when the ERP leaves it out (an empty list). */
  readonly pageCount: number | null
  readonly recordCount: number | null
  readonly columns: ReadonlyArray<string>
  /** Each row zipped with the column ids. */
  readonly rows: ReadonlyArray<Readonly<Record<string, string | null>>>
  readonly shape: ListShape
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

const absent = (member: unknown) => member === undefined || member === null

export const listPage = (query: { readonly pageIndex: number }, body: Body): ListPage => {
  const table = body.source?.table
  const missing: ListShape = { rowShapes: [], emptyForm: "missing", numericCells: false }
  if (!table)
    return { pageIndex: query.pageIndex, pageCount: null, recordCount: null, columns: [], rows: [], shape: missing }
  const rows = zipRows(table)
  const { rowShapes, numericCells } = tableShape(table)
  const emptyForm = rows.length > 0 ? undefined : absent(table.rows) || absent(table.cols) ? "missing" : "empty"
  return {
    pageIndex: table.page?.pageindex ?? query.pageIndex,
    pageCount: table.page?.pagecount ?? null,
    recordCount: table.page?.recordcount ?? null,
    columns: (table.cols ?? []).map((col) => col.id),
    rows,
    shape: { rowShapes, emptyForm, numericCells }
  }
}
