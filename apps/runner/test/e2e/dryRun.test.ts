import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { config, json, type Scenario, scenario, tongbu } from "./harness.js"

/**
 * The hub adapter's intake inserts rows for promoted WeChat contacts while it lists: a dry run must switch it off, or
 * "writes nothing" would be a lie. The generated hub holds such contacts, so the real run afterwards takes some in.
 */
describe("a dry run with the hub's intake switched on", { timeout: 120_000 }, () => {
  let s: Scenario
  beforeAll(async () => {
    s = await scenario({ customers: 60, erpCustomers: 5, seed: 8 })
    writeFileSync(join(s.dir, "tongbu.yaml"), config(s.erp.url).replace("intake: false", "intake: true"))
  }, 60_000)
  afterAll(() => s.close())

  /** Every row of every table of the hub file. */
  const hubContent = () =>
    (
      s.hub.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as Array<string>
    ).map((table) => [table, s.hub.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all()])
  const customers = () => s.hub.prepare("SELECT count(*) FROM customers_unified").pluck().get() as number

  it("writes nothing to the hub; the real run that follows takes the promoted contacts in", async () => {
    const before = hubContent()
    const count = customers()
    const dry = await tongbu(s.dir, ["sync", "--dry-run", "--json"], s.env)
    expect(dry.code, dry.stderr).toBe(0)
    expect(json(dry).dryRun).toBe(true)
    expect(hubContent()).toEqual(before)
    expect(s.erp.mock.control.writeLog().filter((w) => w.endpoint !== "ui")).toHaveLength(0)

    const real = await tongbu(s.dir, ["sync", "--json"], s.env)
    expect(real.code, real.stderr).toBe(0)
    expect(customers()).toBeGreaterThan(count)
  })
})
