import { createHash } from "node:crypto"
import type { Fields, FieldValue } from "@tongbu/core"
import type { CustomerDetail } from "../customer.js"
import { truncate } from "../fields.js"
import type { WireFields } from "../wire/envelope.js"

/** List columns that are views, not fields a save accepts (names of the salesperson, category, level, contact). */
export const listOnly = new Set(["catename", "sortname", "sort1name", "personname", "personjob", "telintro", "person"])

/** Never sent as a field: the id travels as `ord` by the client, the kind in the URL. */
const notFields = new Set(["ord", "intsort", "personurl"])

/** A value as the ERP compares it: text, trimmed; empty and null alike. */
export const comparable = (value: FieldValue | undefined): string => {
  if (value === undefined || value === null) return ""
  if (typeof value === "boolean") return value ? "1" : "0"
  return String(value).trim()
}

export const sameValue = (a: FieldValue | undefined, b: FieldValue | undefined): boolean =>
  comparable(a) === comparable(b)

/** Whether the ERP holds exactly `b` (untrimmed); empty and null alike, as the ERP stores no null. */
export const sameStored = (a: FieldValue | undefined, b: FieldValue | undefined): boolean =>
  (typeof a === "string" ? a : comparable(a)) === (typeof b === "string" ? b : comparable(b))

/**
 * Native fields → the save's parameters. Nulls clear a field on an update (`""`) and are left out of a create; fields
 * the configuration names as truncatable are cut to the ERP's limit, every other one is sent whole (and checked).
 */
export const toWire = (
  fields: Fields,
  options: { readonly create: boolean; readonly truncatable: ReadonlySet<string> }
): WireFields => {
  const out: Record<string, string | number> = {}
  for (const [field, value] of Object.entries(fields)) {
    if (notFields.has(field) || listOnly.has(field)) continue
    if (value === null || (typeof value === "string" && value.trim() === "")) {
      if (!options.create) out[field] = ""
      continue
    }
    const wire = typeof value === "boolean" ? (value ? 1 : 0) : value
    out[field] = typeof wire === "string" && options.truncatable.has(field) ? truncate("customer", field, wire) : wire
  }
  return out
}

/** The fields a save of this customer must carry even when unchanged: the ERP refuses a partial record. */
export const requiredOf = (detail: CustomerDetail): WireFields => {
  const ids = new Set([...detail.required, "name", "sort1", ...(detail.intsort === 1 ? ["person_name"] : [])])
  const out: Record<string, string> = {}
  for (const id of ids) {
    const value = detail.fields[id]
    if (value !== undefined && value !== null) out[id] = value
  }
  return out
}

/** A list row's version: a stable hash of its cells by column id, so a changed visible field changes it. */
export const versionOf = (row: Readonly<Record<string, string | null>>): string =>
  createHash("sha256")
    .update(
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((key) => [key, row[key] ?? null])
      )
    )
    .digest("hex")
    .slice(0, 16)

/** A record's fields: the detail's, with the list's views (salesperson, category names) that the detail lacks. */
export const recordFields = (
  detail: CustomerDetail,
  row: Readonly<Record<string, string | null>> | undefined
): Fields => {
  const fields: Record<string, FieldValue> = {}
  if (row) for (const [key, value] of Object.entries(row)) if (!notFields.has(key) && key !== "url") fields[key] = value
  Object.assign(fields, detail.fields)
  fields.intsort = detail.intsort
  return fields
}

/** A customer id as the ERP's `ord`; anything else names no customer. */
export const ordOf = (id: string): number | undefined =>
  /^\d{1,12}$/.test(id) && Number(id) > 0 ? Number(id) : undefined
