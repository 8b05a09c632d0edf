import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { json, type Scenario, scenario, tongbu } from "./harness.js"

/**
 * An ERP installation without the contact list (it answers 未知页面): only the pre-check of mobiles against ERP
 * contacts needs it, and the ERP's own duplicate check still guards each save, so the run completes with a warning.
 */
describe("a sync against an ERP without the contact list", { timeout: 120_000 }, () => {
  let s: Scenario
  beforeAll(async () => {
    s = await scenario({ customers: 20, erpCustomers: 5, seed: 3, mock: { contactList: false } })
  }, 60_000)
  afterAll(() => s.close())

  it("completes, and says once in the report and in --json that contacts were not checked", async () => {
    const dry = await tongbu(s.dir, ["sync", "--dry-run"], s.env)
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout.match(/Warning \(contacts-unavailable\): .*未知页面/g)).toHaveLength(1)

    const real = await tongbu(s.dir, ["sync", "--json"], s.env)
    expect(real.code, real.stderr).toBe(0)
    const report = json(real)
    expect(report.status).toBe("completed")
    expect(report.counts.created).toBeGreaterThan(0)
    expect(report.warnings).toEqual([
      { code: "contacts-unavailable", side: "right", message: expect.stringContaining("未知页面") }
    ])

    // kept with the run: its history repeats the warning, in text and in --json
    const shown = await tongbu(s.dir, ["runs", "show", report.runId], s.env)
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout.match(/Warning \(contacts-unavailable\): .*未知页面/g)).toHaveLength(1)
    expect(json(await tongbu(s.dir, ["runs", "show", report.runId, "--json"], s.env)).warnings).toEqual(report.warnings)
  })
})
