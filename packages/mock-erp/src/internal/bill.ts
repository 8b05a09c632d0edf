import type { Config } from "./context.js"
import { optionName } from "./enums.js"
import type { FieldDef } from "./fields.js"

export interface BillGroup {
  readonly id: string
  readonly caption: string
  readonly defs: ReadonlyArray<FieldDef>
}

export interface BillSpec {
  readonly id: string
  readonly caption: string
  readonly value: number
  readonly groups: ReadonlyArray<BillGroup>
  /** The record's values (edit mode); undefined on an add form, whose fields carry no value. */
  readonly values: Readonly<Record<string, string>> | undefined
  readonly required: ReadonlyArray<string>
  /** Display texts that differ from the stored value (e.g. a category's name). */
  readonly texts?: Readonly<Record<string, string>>
}

const dbtypes = { text: "string", int: "int", decimal: "number", datetime: "datetime" } as const

const uiType = (def: FieldDef): string => {
  if (def.options) return "select"
  if (def.type === "datetime") return "date"
  if (def.type !== "text") return "number"
  return (def.max ?? 0) >= 1000 ? "textarea" : "text"
}

/** A `bill` model: groups of fields, each with its display `text` and stored `value`. */
export const renderBill = (config: Config, spec: BillSpec) => ({
  id: spec.id,
  caption: spec.caption,
  uitype: "billpage",
  value: spec.value,
  tools: [],
  groups: spec.groups.map((group) => ({
    id: group.id,
    caption: group.caption,
    fields: group.defs.map((def) => renderField(config, def, spec))
  }))
})

const renderField = (config: Config, def: FieldDef, spec: BillSpec) => {
  const value = spec.values?.[def.id] ?? ""
  const text =
    spec.texts?.[def.id] ??
    (def.options && value !== "" ? optionName(def.options, value, config.enums) || value : value)
  const field: Record<string, unknown> = {
    id: def.id,
    caption: def.caption,
    dbtype: dbtypes[def.type],
    type: uiType(def),
    text,
    value: spec.values === undefined ? "" : value,
    notnull: spec.required.includes(def.id),
    maxl: def.max ?? 0,
    edit: true,
    visible: true
  }
  if (def.options) field.source = { type: "options", options: config.enums[def.options] }
  // the ERP's serializer may leave out the members that are empty
  if (config.dropEmptyKeys) {
    for (const key of ["text", "value"]) if (field[key] === "") delete field[key]
    if (field.maxl === 0) delete field.maxl
  }
  return field
}
