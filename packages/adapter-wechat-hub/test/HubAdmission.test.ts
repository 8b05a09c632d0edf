import { describe, expect, it } from "@effect/vitest"
import type { Fields } from "@tongbu/core"
import { refusalMessage, SideRecord } from "@tongbu/core"
import type { HubAdmissionOptions } from "../src/index.js"
import { defaultHubAdmissionOptions, displayNameOf, hubAdmission } from "../src/index.js"
import { rid } from "./helpers.js"

const customer = (fields: Fields): SideRecord => {
  const all: Fields = {
    erp_customer_type: 1,
    company_name: "重庆鑫达机械有限公司",
    real_name: "王建国",
    phone: "13800138000",
    phone_verified: true,
    score: 72,
    marked_as_invalid: false,
    ...fields
  }
  return new SideRecord({ id: rid(1), fields: { ...all, customer_name: displayNameOf(all) } })
}

const reasons = (record: SideRecord, options: Partial<HubAdmissionOptions> = {}) =>
  Object.fromEntries(
    hubAdmission(options).flatMap((rule) => {
      const reason = rule.check(record, {})
      return reason === null ? [] : [[rule.name, refusalMessage(reason)]]
    })
  )

describe("hubAdmission", () => {
  it("admits a complete, verified, well-scored customer", () => {
    expect(reasons(customer({}))).toEqual({})
    expect(reasons(customer({ erp_customer_type: 2, company_name: null, real_name: "李晓明" }))).toEqual({})
  })

  it("says why each check fails, in words a person reads, never showing a whole mobile", () => {
    expect(reasons(customer({ phone: null, phone_verified: false }))).toEqual({ mobile: "no verified mobile" })
    expect(reasons(customer({ phone: "1380013800" }))).toEqual({ mobile: "not a valid mainland mobile: 13****00" })
    expect(reasons(customer({ phone: "023-68888888" }))).toEqual({ mobile: "not a valid mainland mobile: 023****8888" })
    expect(reasons(customer({ phone_verified: false }))).toEqual({
      phoneVerified: "mobile 138****8000 is not verified"
    })
    expect(reasons(customer({ erp_customer_type: 2, company_name: null, real_name: "张先生" }))).toEqual({
      name: "name is a form of address, not a full name: 张先生"
    })
    expect(reasons(customer({ company_name: "王老板" }))).toEqual({
      name: "name is a form of address, not a full name: 王老板"
    })
    expect(reasons(customer({ erp_customer_type: 2, company_name: null, real_name: "张三" }))).toEqual({
      name: "name too short: 张三"
    })
    expect(reasons(customer({ company_name: null, real_name: null }))).toMatchObject({ name: "no customer name" })
    expect(reasons(customer({ company_name: null }))).toEqual({
      companyName: "company customer without a company name"
    })
    expect(reasons(customer({ score: 59.5 }))).toEqual({ score: "score 59.5 below 60" })
    expect(reasons(customer({ marked_as_invalid: true }))).toEqual({ notInvalid: "marked as invalid in the hub" })
  })

  it("lists every failed check at once", () => {
    expect(
      Object.keys(reasons(customer({ phone: null, score: 10, marked_as_invalid: true, company_name: "张总" })))
    ).toEqual(["mobile", "name", "score", "notInvalid"])
  })

  it("takes every threshold from options", () => {
    const record = customer({
      erp_customer_type: 2,
      company_name: null,
      real_name: "张先生",
      score: 50,
      phone_verified: false
    })
    expect(reasons(record, { minScore: 40, rejectFormsOfAddress: false, requireVerifiedPhone: false })).toEqual({})
    expect(
      reasons(customer({ erp_customer_type: 2, company_name: null, real_name: "欧阳娜娜" }), { minNameLength: 5 })
    ).toEqual({
      name: "name too short: 欧阳娜娜"
    })
    expect(reasons(customer({ company_name: null }), { requireCompanyName: false })).toEqual({})
    expect(reasons(customer({ marked_as_invalid: true }), { rejectMarkedInvalid: false })).toEqual({})
    expect(reasons(customer({ phone: "1380013800" }), { requireMobile: false })).toEqual({})
    expect(reasons(customer({ company_name: "陈师傅" }), { formsOfAddress: ["先生"] })).toEqual({})
  })

  it("defaults to sync-rules §2", () => {
    expect(defaultHubAdmissionOptions).toMatchObject({ minScore: 60, minNameLength: 3, requireVerifiedPhone: true })
  })
})
