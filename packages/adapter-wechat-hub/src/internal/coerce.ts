/** Values the core asks to write, checked and put in the form the hub stores (and reads back unchanged). */
import type { Fields, FieldValue } from "@tongbu/core"
import { RejectedError } from "@tongbu/core"
import { Either, Option } from "effect"
import { customerColumns, derivedFields, fieldKind, writableFields } from "../HubRecord.js"
import type { ColumnKind } from "../Normalize.js"
import { cleanText, normalizeMobile } from "../Normalize.js"

export type StoredValue = string | number | boolean | null

const FLAG_TEXT: Record<string, boolean> = { "0": false, "1": true, false: false, true: true }

/** `value` as column kind `kind` stores it: trimmed text, blank as NULL, a mobile in its 11-digit form when it is one. */
export const storedValue = (kind: ColumnKind, value: FieldValue): Either.Either<StoredValue, string> => {
  if (value === null) return Either.right(null)
  switch (kind) {
    case "text":
    case "mobile": {
      if (typeof value === "boolean") return Either.left(`expects text, got ${value}`)
      const text = cleanText(value)
      if (kind === "text" || text === null) return Either.right(text)
      return Either.right(Option.getOrElse(normalizeMobile(text), () => text))
    }
    case "flag": {
      if (typeof value === "boolean") return Either.right(value)
      if (value === 0 || value === 1) return Either.right(value === 1)
      const flag = typeof value === "string" ? FLAG_TEXT[value.trim().toLowerCase()] : undefined
      return flag === undefined
        ? Either.left(`expects true or false, got ${JSON.stringify(value)}`)
        : Either.right(flag)
    }
    case "integer":
    case "real": {
      const text = typeof value === "string" ? cleanText(value) : value
      if (text === null) return Either.right(null)
      const n = typeof text === "number" ? text : typeof text === "string" ? Number(text) : Number.NaN
      if (!Number.isFinite(n) || (kind === "integer" && !Number.isInteger(n))) {
        return Either.left(
          `expects ${kind === "integer" ? "a whole number" : "a number"}, got ${JSON.stringify(value)}`
        )
      }
      return Either.right(n)
    }
  }
}

const why = (field: string): string =>
  (derivedFields as ReadonlyArray<string>).includes(field)
    ? `${field} is derived from the hub's WeChat data and cannot be written`
    : field in customerColumns
      ? `${field} is the hub's own field; the sync does not write it`
      : `${field} is not a field of hub customers`

/** Checks that every field may be written and converts its value; the first problem is a `RejectedError`. */
export const writableValues = (
  adapter: string,
  fields: Fields
): Either.Either<ReadonlyArray<readonly [string, ColumnKind, StoredValue]>, RejectedError> => {
  const out: Array<readonly [string, ColumnKind, StoredValue]> = []
  for (const [field, value] of Object.entries(fields)) {
    const kind = fieldKind(field)
    if (!writableFields.has(field) || kind === undefined) {
      return Either.left(new RejectedError({ adapter, field, message: why(field) }))
    }
    const stored = storedValue(kind, value)
    if (Either.isLeft(stored)) {
      return Either.left(new RejectedError({ adapter, field, message: `${field} ${stored.left}` }))
    }
    out.push([field, kind, stored.right])
  }
  return Either.right(out)
}
