import { maskMobiles } from "@tongbu/core"

/** Any phone number: its first 3 and last 4 digits stay, the others become `*` (`010-****6666`). */
export const maskPhone = (value: string): string => {
  const digits = value.replace(/\D/g, "").length
  let seen = 0
  return value.replace(/\d/g, (digit) => {
    seen += 1
    return seen <= 3 || seen > digits - 4 ? digit : "*"
  })
}

/** Fields that hold personal data: traced as their length only (mobiles: masked). */
const personal = new Set([
  "name",
  "person_name",
  "address",
  "email",
  "weixinAcc",
  "intro",
  "product",
  "c1",
  "qq",
  "faren",
  "user",
  "password",
  "rndcode"
])
const phones = new Set(["mobile", "mobile2", "phone", "phone2", "fax"])

/** A request's parameters as they may appear in a debug log: no secret, no personal data. */
export const redactFields = (fields: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    if (personal.has(key)) out[key] = `‹${String(value).length} chars›`
    else if (phones.has(key)) out[key] = maskPhone(String(value))
    else
      out[key] =
        typeof value === "string"
          ? maskMobiles(value)
          : typeof value === "number"
            ? value
            : maskMobiles(JSON.stringify(value))
  }
  return out
}

/** A short, masked excerpt of an answer that is not what was expected (an HTML error page, a plain-text notice). */
export const excerpt = (text: string, max = 80): string => {
  const flat = maskMobiles(
    text
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim()
  )
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}
