import { writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { config, json, type Scenario, scenario, tongbu } from "./harness.js"

/** better-sqlite3 as the store uses it, untyped here (the runner has no types of its own for it). */
const Database = createRequire(import.meta.url)("better-sqlite3") as new (
  file: string
) => {
  exec: (sql: string) => void
  prepare: (sql: string) => { run: (...values: Array<unknown>) => unknown }
  close: () => void
}

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
    for (const name of [
      "erp login and customer list",
      "erp contact list",
      "erp customer detail",
      "mapping.ly",
      "mapping.assignment"
    ])
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

  it("a salesperson id unknown to the ERP: ✗ naming the id and the yaml key to fix", async () => {
    writeFileSync(
      join(s.dir, "sales.yaml"),
      config(s.erp.url, "").replace(
        'general: { minScore: 60, salespeople: ["63", "64"] }',
        'general: { minScore: 60, salespeople: ["63", "640"] }'
      )
    )
    const result = await check({}, "--config", "sales.yaml", "--json")
    expect(result.code).toBe(1)
    const item = json(result).items.find((i: { name: string }) => i.name === "mapping.assignment")
    expect(item).toMatchObject({
      status: "fail",
      seen: "640 (mapping.assignment.general.salespeople) is not an ERP user",
      fix: expect.stringContaining(
        "remove or correct 640 in mapping.assignment.general.salespeople: the ERP's users are 1 admin, 61 王晓明"
      )
    })
  })

  it("an account list the ERP does not give: ✗ mapping.assignment saying what to check, the other items unchanged", async () => {
    s.erp.mock.control.setFaults({
      name: "no-account-list",
      endpoints: { "user.list": { transientRate: 1, transientKinds: ["crash"] } }
    })
    try {
      const result = await check({}, "--json")
      expect(result.code).toBe(1)
      const items: Array<{ name: string; status: string; fix?: string }> = json(result).items
      expect(items.find((i) => i.name === "mapping.assignment")).toMatchObject({
        status: "fail",
        fix: expect.stringContaining("check that the ERP account admin may read the ERP's accounts")
      })
      expect(items.filter((i) => i.status !== "pass").map((i) => i.name)).toEqual(["mapping.assignment"])
    } finally {
      s.erp.mock.control.setFaults("none")
    }
  })

  it("the state store: pending migrations pass; a store newer than this runner, or not a store, is ✗ with the fix", async () => {
    const state = join(s.dir, "store-check.db")
    const env = { TONGBU_STATE_DB: state }
    // an existing store, migrated by an older runner: its migrations (here: all but none) are pending
    const fresh = new Database(state)
    fresh.exec("create table __drizzle_migrations (id integer primary key, hash text not null, created_at numeric)")
    fresh.close()
    const pending = await check(env)
    expect(pending.stdout).toMatch(
      /✓ state store: .*store-check\.db: 0 migrations applied, \d+ pending \(the next sync applies them\)/
    )
    const newer = new Database(state)
    newer.prepare("insert into __drizzle_migrations (hash, created_at) values ('newer', ?)").run(Date.UTC(2100, 0, 1))
    newer.close()
    const ahead = await check(env)
    expect(ahead.code).toBe(1)
    expect(ahead.stdout).toContain("was migrated by a newer tongbu than this one")
    expect(ahead.stdout).toContain("fix: run the tongbu version that last used this store")
    writeFileSync(state, "not a database, just some text a person saved under the store's name")
    const unreadable = await check(env)
    expect(unreadable.code).toBe(1)
    expect(unreadable.stdout).toContain("✗ state store: cannot read the state store at")
    expect(unreadable.stdout).toContain("file is not a database")
    expect(unreadable.stdout).toContain("fix: point state.database / TONGBU_STATE_DB at tongbu's state store")
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
