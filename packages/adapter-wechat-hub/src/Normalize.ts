/** Pure normalizers for the hub's messy values: mobiles, blank strings, 0/1 flags, numbers stored as text. */
import type { FieldValue } from "@tongbu/core"
import { Option } from "effect"

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/

/**
 * A mainland mobile in its 11-digit form, when `raw` is one: full-width digits folded, spaces, dashes, dots and
 * brackets dropped, and a `+86` / `0086` / `86` country prefix removed. None for anything else (a landline, too few
 * digits, letters). Idempotent: a normalized mobile normalizes to itself.
 */
export const normalizeMobile = (raw: string): Option.Option<string> => {
  const compact = raw.normalize("NFKC").replace(/[\s\-.()（）]/g, "")
  const national = compact.replace(/^(?:\+86|0086|86)(?=1\d{10}$)/, "")
  return MAINLAND_MOBILE.test(national) ? Option.some(national) : Option.none()
}

/**
 * A mobile (or any phone-like text) fit for logs and reasons: `138****8000`. At least four characters are always
 * hidden, and never more than the first three and last four shown.
 */
export const maskMobile = (raw: string): string => {
  const value = Option.getOrElse(normalizeMobile(raw), () => raw.normalize("NFKC").replace(/\s+/g, ""))
  const chars = Array.from(value)
  if (chars.length >= 11) return `${chars.slice(0, 3).join("")}****${chars.slice(-4).join("")}`
  if (chars.length >= 8) return `${chars.slice(0, 2).join("")}****${chars.slice(-2).join("")}`
  return "****"
}

/** Text as the sync compares it: trimmed, and blank (or whitespace-only) read as null. */
export const cleanText = (raw: unknown): string | null => {
  if (typeof raw === "string") {
    const trimmed = raw.trim()
    return trimmed === "" ? null : trimmed
  }
  if (typeof raw === "number" || typeof raw === "bigint") return String(raw)
  return null
}

/** The hub's phone column as the sync reads it: the 11-digit form when it normalizes, else the text as given. */
export const cleanMobile = (raw: unknown): string | null => {
  const text = cleanText(raw)
  return text === null ? null : Option.getOrElse(normalizeMobile(text), () => text)
}

/** SQLAlchemy booleans are 0/1; hand edits leave `'1'`, `'true'`, `'False'`, NULL. NULL reads as false. */
export const cleanFlag = (raw: unknown): boolean => {
  if (typeof raw === "boolean") return raw
  if (typeof raw === "number" || typeof raw === "bigint") return Number(raw) !== 0
  if (typeof raw === "string") {
    const text = raw.trim().toLowerCase()
    return !(text === "" || text === "0" || text === "false" || text === "f" || text === "no" || text === "n")
  }
  return false
}

/** A number column; numeric text is read as its number, other text is kept as given so nothing is hidden. */
export const cleanNumber = (raw: unknown): number | string | null => {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : null
  if (typeof raw === "bigint") return Number(raw)
  const text = cleanText(raw)
  if (text === null) return null
  const n = Number(text)
  return Number.isFinite(n) ? n : text
}

/** An integer column (ids, the customer type): like `cleanNumber`, whole numbers only. */
export const cleanInteger = (raw: unknown): number | string | null => {
  const value = cleanNumber(raw)
  return typeof value === "number" && !Number.isInteger(value) ? String(value) : value
}

/** The kinds of hub column the sync reads, each with its normalizer. */
export type ColumnKind = "text" | "mobile" | "flag" | "integer" | "real"

export const normalizeValue = (kind: ColumnKind, raw: unknown): FieldValue => {
  switch (kind) {
    case "text":
      return cleanText(raw)
    case "mobile":
      return cleanMobile(raw)
    case "flag":
      return cleanFlag(raw)
    case "integer":
      return cleanInteger(raw)
    case "real":
      return cleanNumber(raw)
  }
}
