import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { config, json, type Scenario, scenario, tongbu } from "./harness.js"

/**
 * A hub and an ERP already reconciled (by the hub's own sync, or by a tongbu whose state file was lost) meet a fresh
 * state store: the links are adopted, and the conversation history of the adopted customers, which whoever linked
 * them may have pushed already, is not pushed again unless `policy.backfillAdopted` asks for it.
 */
describe("a fresh store over reconciled systems", { timeout: 180_000 }, () => {
  let s: Scenario
  let afterFirst = 0
  const followUps = () => s.erp.mock.control.followUps().length
  /** A new directory whose configuration points at the scenario's hub and ERP, with a state store of its own. */
  const freshStore = (extra = "") => {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-e2e-fresh-"))
    writeFileSync(
      join(dir, "tongbu.yaml"),
      config(s.erp.url, extra).replace("database: hub.db", `database: ${s.hubDb}`)
    )
    return dir
  }

  beforeAll(async () => {
    s = await scenario({ customers: 60, erpCustomers: 10, seed: 11 })
    const first = await tongbu(s.dir, ["sync", "--json"], s.env)
    expect(first.code, first.stderr).toBe(0)
    afterFirst = followUps()
  }, 120_000)
  afterAll(() => s.close())

  it("the first sync gives the hub the ERP's values of the customers it creates there", () => {
    const created = s.hub
      .prepare(
        `SELECT erp_source, erp_value_assessment, erp_customer_category, erp_follow_level FROM customers_unified
         WHERE erp_sync_action = 'create' AND erp_sync_status = 'synced' AND erp_customer_code = 'WX' || id`
      )
      .all() as Array<Record<string, unknown>>
    expect(created.length).toBeGreaterThan(0)
    for (const row of created) {
      // the mapping's defaults (tongbu init's ly and sort1), and a jz step of the scale
      expect(row).toMatchObject({ erp_source: "171", erp_customer_category: "17", erp_follow_level: "146" })
      expect(row.erp_value_assessment).not.toBeNull()
    }
  })

  it("adopts the links and writes no follow-up again, saying how many it withheld", async () => {
    expect(afterFirst).toBeGreaterThan(0)
    const result = await tongbu(freshStore(), ["sync", "--json"], s.env)
    expect(result.code, result.stderr).toBe(0)
    const report = json(result)
    expect(report.counts.created).toBe(0)
    expect(report.counts.linked).toBeGreaterThan(0)
    // the ERP values reached the hub with the creates: adopting the links finds nothing to fill in
    expect(report.counts.updated).toBe(0)
    expect(followUps()).toBe(afterFirst)
    const warnings = report.warnings.filter((w: { code: string }) => w.code === "adopted-history-withheld")
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ side: "right" })
    expect(warnings[0].message).toMatch(/^\d+ event\(s\) \(e\.g\. follow-ups\) of \d+ record\(s\)/)
    expect(warnings[0].message).toContain("policy.backfillAdopted")
  })

  it("with policy.backfillAdopted, a fresh store pushes that history", async () => {
    const before = followUps()
    const result = await tongbu(freshStore("policy:\n  backfillAdopted: true\n"), ["sync", "--json"], s.env)
    expect(result.code, result.stderr).toBe(0)
    const report = json(result)
    expect(report.warnings.map((w: { code: string }) => w.code)).not.toContain("adopted-history-withheld")
    expect(followUps()).toBeGreaterThan(before)
  })
})
