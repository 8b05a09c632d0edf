import { Either, type Option, Predicate, Schema } from "effect"

/**
 * Schemas of the ERP's answers (spec §2–§4), as lenient as the server is inconsistent: numbers may come as strings,
 * keys of empty members may be missing, rows may be positional arrays or objects wrapping `value`.
 */

/** Any scalar as text: the ERP sends numbers as strings (`"574"`) or numbers; empty means null. */
export const cellText = (input: unknown): string | null => {
  if (input === null || input === undefined) return null
  if (typeof input === "string") return input.trim() === "" ? null : input
  if (typeof input === "number" || typeof input === "boolean") return String(input)
  return JSON.stringify(input)
}

/** A scalar member as text (`cellText`). */
export const Cell = Schema.transform(Schema.Unknown, Schema.NullOr(Schema.String), {
  strict: true,
  decode: cellText,
  encode: (output) => output
})

/** A count or index, as a number or a numeric string; anything else is unknown. */
const Count = Schema.transform(Schema.Unknown, Schema.NullOr(Schema.Number), {
  strict: true,
  decode: (input) => {
    const n = typeof input === "number" ? input : typeof input === "string" && input.trim() !== "" ? Number(input) : NaN
    return Number.isFinite(n) ? n : null
  },
  encode: (output) => output
})

export const Header = Schema.Struct({
  /** 0 = went through; a number, except the crash envelope's string `"11"`. */
  status: Schema.optional(Cell),
  message: Schema.optional(Cell),
  session: Schema.optional(Cell)
})

export const Message = Schema.Struct({ text: Schema.optional(Cell), title: Schema.optional(Cell) })

export const BillField = Schema.Struct({
  id: Schema.String,
  caption: Schema.optional(Cell),
  text: Schema.optional(Cell),
  value: Schema.optional(Cell),
  notnull: Schema.optional(Schema.Unknown),
  source: Schema.optional(Schema.Unknown)
})
export type BillField = typeof BillField.Type

const Group = Schema.Struct({ fields: Schema.optional(Schema.NullOr(Schema.Array(BillField))) })

export const Bill = Schema.Struct({
  value: Schema.optional(Cell),
  groups: Schema.optional(Schema.NullOr(Schema.Array(Group))),
  fields: Schema.optional(Schema.NullOr(Schema.Array(BillField)))
})
export type Bill = typeof Bill.Type

const Col = Schema.Struct({ id: Schema.String })

/** Cells stay as they came until `zipRows`, so that the shape of the answer can be told (`tableShape`). */
export const Row = Schema.Union(
  Schema.Array(Schema.Unknown),
  Schema.Struct({ value: Schema.Array(Schema.Unknown) }),
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)
export type Row = typeof Row.Type

export const Table = Schema.Struct({
  page: Schema.optional(
    Schema.NullOr(
      Schema.Struct({
        recordcount: Schema.optional(Count),
        pagesize: Schema.optional(Count),
        pagecount: Schema.optional(Count),
        pageindex: Schema.optional(Count)
      })
    )
  ),
  cols: Schema.optional(Schema.NullOr(Schema.Array(Col))),
  rows: Schema.optional(Schema.NullOr(Schema.Array(Row)))
})
export type Table = typeof Table.Type

/** One value of an enumeration (`source.asp?enumid=N`, spec §5): its id `v` and its name `n`. */
export const EnumOption = Schema.Struct({ v: Cell, n: Cell })
export type EnumOption = typeof EnumOption.Type

const Source = Schema.Struct({
  table: Schema.optional(Schema.NullOr(Table)),
  options: Schema.optional(Schema.NullOr(Schema.Array(EnumOption)))
})

export const Body = Schema.Struct({
  model: Schema.optional(Cell),
  action: Schema.optional(Cell),
  message: Schema.optional(Schema.NullOr(Message)),
  bill: Schema.optional(Schema.NullOr(Bill)),
  source: Schema.optional(Schema.NullOr(Source)),
  fail: Schema.optional(
    Schema.NullOr(Schema.Struct({ message: Schema.optional(Cell), newrndcode: Schema.optional(Cell) }))
  ),
  newrndcode: Schema.optional(Cell)
})
export type Body = typeof Body.Type

export const Envelope = Schema.Struct({
  header: Schema.optional(Schema.NullOr(Header)),
  body: Schema.optional(Schema.NullOr(Body))
})
export type Envelope = typeof Envelope.Type

/** The V3 JSON endpoints' answer: `Code` 200 ok, 300 business failure, 400 token invalid, 500 server error. */
export const V3Answer = Schema.Struct({
  Code: Count,
  Msg: Schema.optional(Cell),
  Data: Schema.optional(Schema.Unknown)
})
export type V3Answer = typeof V3Answer.Type

/** The answer body's text as JSON of the expected shape, or none (an HTML page, a plain-text notice, a stray shape). */
const decodeJson = <A, I>(schema: Schema.Schema<A, I>) => {
  // Built once: a decoder made per answer costs more than the decoding (measured in a first sync's profile).
  const decode = Schema.decodeUnknownEither(Schema.parseJson(schema))
  return (text: string): Option.Option<A> => Either.getRight(decode(text.replace(/^\uFEFF/, "")))
}

export const decodeEnvelope = decodeJson(Envelope)
export const decodeV3 = decodeJson(V3Answer)

/** The fields of a bill, whether grouped (the usual shape) or flat. */
export const billFields = (bill: Bill): ReadonlyArray<BillField> => [
  ...(bill.groups ?? []).flatMap((group) => group.fields ?? []),
  ...(bill.fields ?? [])
]

/** Enumerations carry their id in `value` and a display name in `text`; only plain fields may fall back to `text`. */
const isOptions = (source: unknown): boolean => Predicate.hasProperty(source, "type") && source.type === "options"

export const fieldValue = (field: BillField): string | null =>
  field.value ?? (isOptions(field.source) ? null : (field.text ?? null))

export const isRequired = (field: BillField): boolean =>
  field.notnull === true || field.notnull === 1 || field.notnull === "1" || field.notnull === "true"

/** How a list's rows came: positional arrays (the usual), objects wrapping `value: [...]`, or objects by column id. */
export type RowShape = "array" | "object-wrapped" | "keyed"

const cellsOf = (row: Row): ReadonlyArray<unknown> | undefined =>
  Array.isArray(row) ? row : Predicate.hasProperty(row, "value") && Array.isArray(row.value) ? row.value : undefined

const rowShape = (row: Row): RowShape =>
  Array.isArray(row) ? "array" : cellsOf(row) === undefined ? "keyed" : "object-wrapped"

/** A table's rows zipped with its column ids (never by position), each cell as text or null (`cellText`). */
export const zipRows = (table: Table): ReadonlyArray<Readonly<Record<string, string | null>>> => {
  const cols = (table.cols ?? []).map((col) => col.id)
  return (table.rows ?? []).map((row) => {
    const cells = cellsOf(row)
    if (cells === undefined) return Object.fromEntries(Object.entries(row).map(([id, cell]) => [id, cellText(cell)]))
    return Object.fromEntries(cols.map((id, index) => [id, cellText(cells[index])]))
  })
}

/** What a list's answer looked like: its rows' shapes, and whether a cell came as a JSON number (read as text). */
export const tableShape = (
  table: Table
): { readonly rowShapes: ReadonlyArray<RowShape>; readonly numericCells: boolean } => {
  const rows = table.rows ?? []
  const cells = rows.flatMap((row) => cellsOf(row) ?? Object.values(row))
  return {
    rowShapes: [...new Set(rows.map(rowShape))],
    numericCells: cells.some((cell) => typeof cell === "number")
  }
}
