import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { config, type Scenario, scenario, tongbu } from "./harness.js"

/** `erp_sync_error` is read by the hub's sales staff: in Chinese with `--lang zh` / `TONGBU_LANG=zh` or `hub.language`. */
describe("the hub's erp_sync_error in the language of its people", { timeout: 120_000 }, () => {
  let s: Scenario
  const errors = () =>
    new Map(
      (
        s.hub
          .prepare("SELECT id, erp_sync_error FROM customers_unified WHERE erp_sync_error IS NOT NULL ORDER BY id")
          .all() as Array<{ id: number; erp_sync_error: string }>
      ).map((row) => [row.id, row.erp_sync_error])
    )
  const rows = () => s.hub.prepare("SELECT * FROM customers_unified ORDER BY id").all()
  const han = /\p{Script=Han}/u

  beforeAll(async () => {
    s = await scenario({ customers: 20, erpCustomers: 5, seed: 9 })
  }, 60_000)
  afterAll(() => s.close())

  it("TONGBU_LANG=zh words every reason in Chinese; a second run rewrites none of them", async () => {
    const zh = { ...s.env, TONGBU_LANG: "zh" }
    const first = await tongbu(s.dir, ["sync"], zh)
    expect(first.code, first.stderr).toBe(0)
    const worded = errors()
    expect(worded.size).toBeGreaterThan(0)
    for (const [id, text] of worded) expect(text, `hub customer ${id}`).toMatch(han)
    expect([...worded.values()].some((text) => text.includes("没有已验证的手机号"))).toBe(true)
    const before = rows()
    const second = await tongbu(s.dir, ["sync"], zh)
    expect(second.code, second.stderr).toBe(0)
    expect(rows()).toEqual(before)
  })

  it("hub.language wins over the reports' language", async () => {
    writeFileSync(join(s.dir, "en.yaml"), config(s.erp.url).replace("hub:\n", "hub:\n  language: en\n"))
    const run = await tongbu(s.dir, ["sync", "--full", "--config", "en.yaml", "--lang", "zh"], s.env)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(han)
    const worded = errors()
    expect(worded.size).toBeGreaterThan(0)
    for (const text of worded.values()) expect(text).not.toMatch(/没有已验证的手机号/)
    expect([...worded.values()].some((text) => text.includes("no verified mobile"))).toBe(true)
  })
})
