import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { config, json, type Scenario, scenario, tongbu } from "./harness.js"

/** `tongbu check` as a user runs it before the first sync: read-only, ✓/✗ per item, the fix named for each ✗. */
describe("tongbu check", { timeout: 120_000 }, () => {
  let s: Scenario
  const check = (env: Record<string, string> = {}, ...args: Array<string>) =>
    tongbu(s.dir, ["check", ...args], { ...s.env, ...env })
  const erpWrites = () => s.erp.mock.control.writeLog().filter((w) => w.endpoint !== "ui")
  const mobiles = /1[3-9]\d{9}/

  beforeAll(async () => {
    s = await scenario({ customers: 20, erpCustomers: 5, seed: 21 })
  }, 60_000)
  afterAll(() => s.close())

  it("passes against the mock and the generated hub, exit 0, writing nothing", async () => {
    const result = await check()
    expect(result.code, result.stderr).toBe(0)
    for (const name of ["erp login and customer list", "erp contact list", "erp customer detail", "mapping.ly"])
      expect(result.stdout).toContain(`✓ ${name}`)
    expect(result.stdout).toContain("✓ hub columns")
    expect(result.stdout).toContain("✓ state store")
    expect(result.stdout).toContain("all checks passed")
    expect(result.stdout).not.toMatch(mobiles)
    expect(erpWrites()).toHaveLength(0)
  })

  it("a wrong password: ✗ naming the user and where the password comes from, exit 1, never the password", async () => {
    const result = await check({ TONGBU_ERP_PASSWORD: "wrong-secret-42" })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("✗ erp login and customer list")
    expect(result.stdout).toContain("the ERP refused user admin: check TONGBU_ERP_PASSWORD / erp.passwordFile")
    expect(result.stdout + result.stderr).not.toContain("wrong-secret-42")
  })

  it("mapping.ly unknown to the ERP: ✗ listing the ERP's customer sources", async () => {
    writeFileSync(join(s.dir, "ly.yaml"), config(s.erp.url, "").replace("mapping:\n", "mapping:\n  ly: 999\n"))
    const result = await check({}, "--config", "ly.yaml", "--json")
    expect(result.code).toBe(1)
    const item = json(result).items.find((i: { name: string }) => i.name === "mapping.ly")
    expect(item.status).toBe("fail")
    expect(item.fix).toBe(
      "mapping.ly = 999 is not one of the ERP's customer sources: 171 网站注册, 172 朋友介绍, 173 陌生开发, 174 广告宣传, 977 VIP"
    )
  })

  it("a hub file missing a column: ✗ naming table.column and the hub schema's version", async () => {
    s.hub.exec("DROP INDEX IF EXISTS ix_customers_unified_erp_sync_status")
    s.hub.exec("ALTER TABLE customers_unified DROP COLUMN erp_sync_status")
    const result = await check()
    expect(result.code).toBe(1)
    expect(result.stdout).toContain("✗ hub columns: customers_unified.erp_sync_status is missing")
    expect(result.stdout).toContain("older or newer than this tongbu expects")
  })
})
