import { describe, expect, it } from "vitest"
import { generateCustomers } from "../src/index.js"

describe("generateCustomers", () => {
  const customers = generateCustomers(400, 11)

  it("is the same for the same seed, different for another", () => {
    expect(generateCustomers(400, 11)).toEqual(customers)
    expect(generateCustomers(400, 12)).not.toEqual(customers)
  })

  it("makes Chinese company and person customers; companies have a contact name", () => {
    const companies = customers.filter((c) => c.intsort === 1)
    const persons = customers.filter((c) => c.intsort === 2)
    expect(companies.length).toBeGreaterThan(200)
    expect(persons.length).toBeGreaterThan(40)
    for (const c of companies) {
      expect(c.fields.name).toMatch(/公司/)
      expect(c.fields.person_name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/)
    }
    for (const p of persons) expect(p.fields.name).toMatch(/^[\u4e00-\u9fa5]{2,4}$/)
  })

  it("mixes valid and invalid mobiles, extra contacts, and records the duplicate rules reject", () => {
    const valid = customers.filter((c) => /^1[3-9]\d{9}$/.test(c.fields.mobile ?? ""))
    const flagged = (flaw: string) => customers.filter((c) => c.flaws.includes(flaw as never))
    expect(valid.length).toBeGreaterThan(300)
    expect(flagged("invalidMobile").length).toBeGreaterThan(5)
    for (const c of flagged("invalidMobile")) expect(c.fields.mobile).not.toMatch(/^1[3-9]\d{9}$/)
    expect(flagged("duplicateName").length + flagged("duplicateMobile").length).toBeGreaterThan(5)
    for (const c of flagged("duplicateName"))
      expect(customers.filter((o) => o.fields.name === c.fields.name).length).toBeGreaterThan(1)
    expect(customers.some((c) => c.contacts.length > 0)).toBe(true)
    const unflaggedNames = customers.filter((c) => !c.flaws.includes("duplicateName")).map((c) => c.fields.name)
    expect(new Set(unflaggedNames).size).toBe(unflaggedNames.length)
  })
})
