import { parseErpDate } from "./dates.js"
import { type Enums, enums } from "./enums.js"
import type { FieldDef } from "./fields.js"

/** Characters as the ERP counts them (one per code point, a Chinese character is one). */
export const charLength = (text: string): number => [...text].length

/** The message for one non-empty value that breaks its field's rule, or undefined. */
export const fieldError = (def: FieldDef, value: string, table: Enums = enums): string | undefined => {
  if (def.type === "int" && !/^-?\d+$/.test(value)) return `${def.caption}必须是整数！`
  if (def.type === "decimal" && !/^-?\d+(?:\.\d+)?$/.test(value)) return `${def.caption}必须是数字！`
  if (def.type === "datetime" && parseErpDate(value) === undefined) return `${def.caption}不是有效的日期！`
  if (def.options && !table[def.options].some((option) => option.v === value)) {
    return `${def.caption}的值【${value}】无效！`
  }
  if (def.max !== undefined && charLength(value) > def.max) return `${def.caption}不能超过${def.max}个字！`
  return undefined
}

/**
 * Checks the fields in page order, the way the ERP's save does: the first broken rule is the answer.
 * `values` is the record as it would be saved; empty means absent.
 */
export const validateFields = (
  defs: ReadonlyArray<FieldDef>,
  values: Readonly<Record<string, string>>,
  required: ReadonlyArray<string>,
  table: Enums = enums
): string | undefined => {
  for (const def of defs) {
    const value = values[def.id] ?? ""
    if (value.trim() === "") {
      if (required.includes(def.id)) return `${def.caption}不能为空！`
      continue
    }
    const error = fieldError(def, value, table)
    if (error) return error
  }
  return undefined
}
