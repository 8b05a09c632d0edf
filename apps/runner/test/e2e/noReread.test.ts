import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { json, type Scenario, scenario, tongbu } from "./harness.js"

/**
 * What a sync wrote is not read back in detail by the next run (issue 13): the ERP's customer list shows name and
 * mobile, the link's baseline holds what the sync wrote, and only a customer whose row shows something else is read.
 */
describe("the run after a sync reads no customer the sync created or updated", { timeout: 120_000 }, () => {
  let s: Scenario
  const sync = () => tongbu(s.dir, ["sync", "--json"], s.env)
  const details = () => s.erp.mock.control.callCounts()["customer.detail"] ?? 0

  beforeAll(async () => {
    s = await scenario({ customers: 60, erpCustomers: 10, seed: 5 })
  }, 60_000)
  afterAll(() => s.close())

  it("reads none of the customers it created or updated; a customer renamed in the ERP is read alone", async () => {
    const first = json(await sync())
    const created = first.items.filter((item: { operation: string }) => item.operation === "create").length
    expect(created).toBeGreaterThan(0)

    const before = details()
    const second = json(await sync())
    expect(second.status).toBe("completed")
    expect(details() - before, "detail reads in the run after the first sync").toBe(0)

    const [linked] = s.hub
      .prepare("SELECT id, erp_customer_id AS ord FROM customers_unified WHERE erp_customer_id IS NOT NULL LIMIT 1")
      .all() as Array<{ id: number; ord: number }>
    if (linked === undefined) throw new Error("the scenario needs a linked customer")
    s.erp.mock.control.editCustomer(linked.ord, { name: "改名后的无重读科技有限公司" })
    const edited = details()
    const third = json(await sync())
    expect(third.counts.updated).toBe(1)
    expect(details() - edited, "detail reads after one ERP edit").toBe(1)
    const row = s.hub.prepare("SELECT company_name, real_name FROM customers_unified WHERE id = ?").get(linked.id) as {
      company_name: string | null
      real_name: string | null
    }
    expect([row.company_name, row.real_name]).toContain("改名后的无重读科技有限公司")

    // an update the sync makes in the ERP (a new mobile from the hub) is not read back by the run after it; the
    // customer's old mobile is its own alone, so that freeing it lets no skipped hub row be created meanwhile
    const [pushed] = s.hub
      .prepare(
        `SELECT id, erp_customer_id AS ord FROM customers_unified
         WHERE erp_customer_id IS NOT NULL AND phone_verified = 1 AND id <> ?
           AND phone NOT IN (SELECT phone FROM customers_unified WHERE phone IS NOT NULL GROUP BY phone HAVING count(*) > 1)
         LIMIT 1`
      )
      .all(linked.id) as Array<{ id: number; ord: number }>
    if (pushed === undefined) throw new Error("the scenario needs a pushed customer")
    s.hub.prepare("UPDATE customers_unified SET phone = ? WHERE id = ?").run("19912345670", pushed.id)
    expect(json(await sync()).counts.updated).toBeGreaterThanOrEqual(1)
    expect(s.erp.mock.control.customers().find((c) => c.ord === pushed.ord)?.fields.mobile).toBe("19912345670")
    const quiet = details()
    const fifth = json(await sync())
    expect(fifth.counts).toMatchObject({ created: 0, updated: 0, failed: 0 })
    expect(details() - quiet, "detail reads after the sync's own ERP update").toBe(0)
  })
})
