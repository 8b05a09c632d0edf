/**
 * Which hub customers may be pushed to the ERP (sync-rules §2), as the core's named admission rules over the hub's
 * native fields. Every threshold is configurable; each failing rule gives its reason in words a person reads.
 */
import type { Admission, FieldValue, Refusal, SideRecord } from "@tongbu/core"
import { Option } from "effect"
import { CUSTOMER_NAME } from "./HubRecord.js"
import { maskMobile, normalizeMobile } from "./Normalize.js"

export interface HubAdmissionOptions {
  /** A mobile that normalizes to a valid 11-digit mainland number. */
  readonly requireMobile: boolean
  /** `phone_verified = 1` (checked only when there is a mobile, which `requireMobile` reports otherwise). */
  readonly requireVerifiedPhone: boolean
  /** The customer name must have at least this many characters after trimming (the seeds' "length > 2"). */
  readonly minNameLength: number
  /** Reject names that are a form of address (`张先生`, `王老板`), not a person's or company's name. */
  readonly rejectFormsOfAddress: boolean
  /** What follows a surname in a form of address. */
  readonly formsOfAddress: ReadonlyArray<string>
  /** The admission score (`score`: `intent_score`, or the latest signal total when that is 0) must reach this. */
  readonly minScore: number
  /** Company customers (`erp_customer_type = 1`) need a company name. */
  readonly requireCompanyName: boolean
  /** Customers the hub marked invalid are never pushed. */
  readonly rejectMarkedInvalid: boolean
}

export const defaultHubAdmissionOptions: HubAdmissionOptions = {
  requireMobile: true,
  requireVerifiedPhone: true,
  minNameLength: 3,
  rejectFormsOfAddress: true,
  formsOfAddress: [
    "先生",
    "女士",
    "小姐",
    "老板",
    "老总",
    "总",
    "经理",
    "老师",
    "师傅",
    "阿姨",
    "大哥",
    "大姐",
    "哥",
    "姐",
    "姨",
    "叔"
  ],
  minScore: 60,
  requireCompanyName: true,
  rejectMarkedInvalid: true
}

const text = (value: FieldValue | undefined): string | null =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : null

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const rule = (name: string, check: (record: SideRecord) => Refusal | null): Admission => ({ name, check })

// `problem` names which of a rule's reasons it is, for a report that words them in another language
const refuse = (message: string, params: Refusal["params"]): Refusal => ({ message, params })

/** The admission rules, defaults of sync-rules §2 overridden by `options`; a rule switched off is left out. */
export const hubAdmission = (options: Partial<HubAdmissionOptions> = {}): ReadonlyArray<Admission> => {
  const o = { ...defaultHubAdmissionOptions, ...options }
  const addressForm = new RegExp(`^\\p{Script=Han}{1,2}(?:${o.formsOfAddress.map(escapeRegExp).join("|")})$`, "u")
  const rules: Array<Admission> = []
  if (o.requireMobile) {
    rules.push(
      rule("mobile", ({ fields }) => {
        const phone = text(fields.phone)
        if (phone === null) return refuse("no verified mobile", { problem: "missing" })
        return Option.isSome(normalizeMobile(phone))
          ? null
          : refuse(`not a valid mainland mobile: ${maskMobile(phone)}`, {
              problem: "invalid",
              mobile: maskMobile(phone)
            })
      })
    )
  }
  if (o.requireVerifiedPhone) {
    rules.push(
      rule("phoneVerified", ({ fields }) => {
        const phone = text(fields.phone)
        return phone === null || fields.phone_verified === true
          ? null
          : refuse(`mobile ${maskMobile(phone)} is not verified`, { mobile: maskMobile(phone) })
      })
    )
  }
  rules.push(
    rule("name", ({ fields }) => {
      const name = text(fields[CUSTOMER_NAME])
      if (name === null) return refuse("no customer name", { problem: "missing" })
      if (Array.from(name).length < o.minNameLength)
        return refuse(`name too short: ${name}`, { problem: "short", name, min: o.minNameLength })
      if (o.rejectFormsOfAddress && addressForm.test(name))
        return refuse(`name is a form of address, not a full name: ${name}`, { problem: "formOfAddress", name })
      return null
    })
  )
  if (o.requireCompanyName) {
    rules.push(
      rule("companyName", ({ fields }) =>
        fields.erp_customer_type !== 2 && text(fields.company_name) === null
          ? refuse("company customer without a company name", {})
          : null
      )
    )
  }
  rules.push(
    rule("score", ({ fields }) => {
      const score = typeof fields.score === "number" ? fields.score : 0
      return score >= o.minScore ? null : refuse(`score ${score} below ${o.minScore}`, { score, min: o.minScore })
    })
  )
  if (o.rejectMarkedInvalid) {
    rules.push(
      rule("notInvalid", ({ fields }) =>
        fields.marked_as_invalid === true ? refuse("marked as invalid in the hub", {}) : null
      )
    )
  }
  return rules
}
