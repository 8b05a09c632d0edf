import type { Config } from "./context.js"
import type { ErpRequest } from "./request.js"

/** A record of a list page: its id and the text of any column by id. */
export interface TableRecord {
  readonly ord: number
  readonly cell: (column: string) => string
}

const intColumns = new Set(["ord", "person", "company"])

const positiveInt = (text: string, fallback: number): number => {
  const value = Number(text.trim())
  return Number.isInteger(value) && value > 0 ? value : fallback
}

const compareCells = (a: string, b: string): number => {
  const x = Number(a)
  const y = Number(b)
  if (a !== "" && b !== "" && Number.isFinite(x) && Number.isFinite(y)) return x - y
  return a < b ? -1 : a > b ? 1 : 0
}

/** A list request's order: a shown column (`-` for descending), else ord descending. */
const orderOf = (req: ErpRequest, columns: ReadonlyArray<string>) => {
  const sortParam = req.param("_rpt_sort").trim()
  const sortColumn = sortParam.replace(/^-/, "")
  return {
    column: columns.includes(sortColumn) ? sortColumn : "ord",
    descending: sortParam === "" || sortParam.startsWith("-")
  }
}

/**
 * A list page's `source/table`: `searchKey` over the shown columns, `_rpt_sort` (a shown column, `-` for
 * descending; default ord descending), then `pagesize`/`pageindex`. Every cell is a string, numbers too (unless
 * `numericCells`).
 */
export const renderTable = (
  config: Config,
  req: ErpRequest,
  records: ReadonlyArray<TableRecord>,
  columns: ReadonlyArray<string>
) => {
  const searchKey = req.param("searchKey")
  const matching = searchKey
    ? records.filter((record) => columns.some((column) => record.cell(column).includes(searchKey)))
    : records
  const { column, descending } = orderOf(req, columns)
  const sorted = [...matching].sort((a, b) => {
    const primary = column === "ord" ? a.ord - b.ord : compareCells(a.cell(column), b.cell(column))
    // ties fall back to ord so that pages never overlap
    const order = primary !== 0 ? primary : a.ord - b.ord
    return descending ? -order : order
  })
  return renderPage(config, req, columns, sorted.length, (from, to) => sorted.slice(from, to))
}

/**
 * The same answer as `renderTable` for records given by ascending ids, building only the page's records when the
 * request has no search key and sorts by ord: a page then costs the same however long the list is.
 */
export const renderByOrd = (
  config: Config,
  req: ErpRequest,
  ords: ReadonlyArray<number>,
  recordOf: (ord: number) => TableRecord,
  columns: ReadonlyArray<string>
) => {
  const { column, descending } = orderOf(req, columns)
  if (req.param("searchKey") || column !== "ord") return renderTable(config, req, ords.map(recordOf), columns)
  const count = ords.length
  return renderPage(config, req, columns, count, (from, to) => {
    const records: Array<TableRecord> = []
    for (let i = from; i < Math.min(to, count); i++) records.push(recordOf(ords[descending ? count - 1 - i : i]!))
    return records
  })
}

const renderPage = (
  config: Config,
  req: ErpRequest,
  columns: ReadonlyArray<string>,
  count: number,
  slice: (from: number, to: number) => ReadonlyArray<TableRecord>
) => {
  const pagesize = positiveInt(req.param("pagesize"), 20)
  const pageindex = positiveInt(req.param("pageindex"), 1)
  if (count === 0) {
    return { type: "table", table: config.emptyList === "missing" ? {} : { page: {}, cols: [], rows: [] } }
  }
  const rows = slice((pageindex - 1) * pagesize, pageindex * pagesize).map((record) => {
    const cells = columns.map((id) => {
      const text = record.cell(id)
      return config.numericCells && intColumns.has(id) && text !== "" ? Number(text) : text
    })
    if (config.rowShape === "object-wrapped") return { value: cells }
    return config.rowShape === "keyed" ? Object.fromEntries(columns.map((id, i) => [id, cells[i]])) : cells
  })
  return {
    type: "table",
    table: {
      page: { recordcount: count, pagesize, pagecount: Math.ceil(count / pagesize), pageindex },
      cols: columns.map((id) => ({ id, dbtype: intColumns.has(id) ? "int" : "string" })),
      rows
    }
  }
}

/** The list page without `refresh`: its UI skeleton, no rows. */
export const renderSkeleton = (id: string, caption: string, columns: ReadonlyArray<string>) => ({
  id,
  caption,
  cols: columns.map((column) => ({ id: column, dbtype: intColumns.has(column) ? "int" : "string" })),
  page: { pagesize: 20 }
})

/** `ly=171,172`: a comma-separated list of accepted values. */
export const commaList = (text: string): ReadonlyArray<string> =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
