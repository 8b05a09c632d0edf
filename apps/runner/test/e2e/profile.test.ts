import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseProfile, profileOptions } from "@tongbu/mock-erp"
import { Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { json, type Scenario, scenario, tongbu } from "./harness.js"

// another installation's shapes: the customer list reordered, some live columns gone and `lyname` added; the contact
// list reordered without `sex`, `part1` and `url`
const customerListColumns = [
  "ord",
  "name",
  "lyname",
  "mobile",
  "phone",
  "person",
  "personname",
  "personjob",
  "catename",
  "sortname",
  "sort1name"
]
const contactListColumns = [
  "ord",
  "company",
  "name",
  "person_name",
  "mobile",
  "mobile2",
  "phone",
  "email",
  "weixinAcc",
  "job"
]

/** `tongbu check --record` saves an installation's shapes; the mock serves them back and the sync runs against it. */
describe("tongbu check --record and mock-erp --profile", { timeout: 120_000 }, () => {
  let recorded: Scenario
  let replayed: Scenario | undefined
  const mobiles = /1[3-9]\d{9}/

  beforeAll(async () => {
    recorded = await scenario({
      customers: 10,
      erpCustomers: 5,
      seed: 31,
      mock: { listColumns: customerListColumns, contactListColumns }
    })
  }, 60_000)
  afterAll(async () => {
    await recorded.close()
    await replayed?.close()
  })

  it("records the column sets it saw, and no row, account, password or session", async () => {
    const result = await tongbu(recorded.dir, ["check", "--record", "p.json"], recorded.env)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const text = readFileSync(join(recorded.dir, "p.json"), "utf8")
    expect(JSON.parse(text)).toEqual({ version: 1, customerListColumns, contactListColumns })
    expect(text).not.toMatch(mobiles)
    expect(text).not.toContain("admin")
    expect(text).not.toContain("admin123")
    const names = recorded.erp.mock.control.customers().map((customer) => customer.fields.name ?? "")
    expect(names.length).toBeGreaterThan(0)
    for (const name of names) expect(text).not.toContain(name)
  })

  it("a sync against the replayed profile: a first run creates, a second writes nothing to the ERP", async () => {
    const parsed = parseProfile("p.json", readFileSync(join(recorded.dir, "p.json"), "utf8"))
    if (Either.isLeft(parsed)) throw new Error(parsed.left.message)
    replayed = await scenario({ customers: 20, erpCustomers: 5, seed: 32, mock: profileOptions(parsed.right) })
    const s = replayed
    // the replayed mock serves the recorded shapes: recording it again gives the same profile
    const again = await tongbu(s.dir, ["check", "--record", "again.json"], s.env)
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(JSON.parse(readFileSync(join(s.dir, "again.json"), "utf8"))).toEqual(parsed.right)
    const erpWrites = () => s.erp.mock.control.writeLog().filter((w) => w.endpoint !== "ui").length

    const first = await tongbu(s.dir, ["sync", "--json"], s.env)
    expect(first.code, first.stderr).toBe(0)
    expect(json(first).counts.created).toBeGreaterThan(0)
    expect(json(first).warnings).toEqual([])

    const before = erpWrites()
    const second = await tongbu(s.dir, ["sync", "--json"], s.env)
    expect(second.code, second.stderr).toBe(0)
    expect(json(second).counts.created).toBe(0)
    expect(erpWrites()).toBe(before)
  })

  it("tongbu mock-erp --profile: a bad key is named with the file, exit 2", async () => {
    writeFileSync(join(recorded.dir, "bad.json"), JSON.stringify({ version: 1, customerListColumns, contactList: [] }))
    const result = await tongbu(recorded.dir, ["mock-erp", "--port", "0", "--profile", "bad.json"])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("bad.json is not a mock ERP profile")
    expect(result.stderr).toContain("contactListColumns: is missing")
    expect(result.stderr).toContain("contactList: is unexpected")
  })
})
