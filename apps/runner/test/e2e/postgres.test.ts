import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Run } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import { PostgresStore } from "@tongbu/store-postgres"
import * as TestServer from "@tongbu/store-postgres/testing"
import { Effect, Redacted } from "effect"
import pg from "pg"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildFixturePair } from "./fixturePair.js"
import { finish, json, type Result, type Scenario, scenario, start, tongbu } from "./harness.js"

/**
 * The `tongbu` command (the bundle) keeping its state in a real PostgreSQL: `state.url`, the password only in
 * TONGBU_STATE_PASSWORD, never in any output; `init`, `check`, `sync`, `runs`, `rollback`, `conflicts`; and a `pairs:`
 * file whose two pairs share one database, each seeing only its own state.
 */
describe("tongbu with its state in PostgreSQL", { timeout: 180_000 }, () => {
  let server: Awaited<ReturnType<typeof TestServer.start>>
  let s: Scenario
  let url: string
  let env: Record<string, string>
  const outputs: Array<Result> = []
  const run = async (dir: string, args: ReadonlyArray<string>, extra: Record<string, string> = {}) => {
    const result = await tongbu(dir, args, { ...env, ...extra })
    outputs.push(result)
    return result
  }
  const storeOf = (pair: string) => PostgresStore.layer({ url, password: server.password, pair })
  const runsOf = (pair: string): Promise<ReadonlyArray<Run>> =>
    Effect.flatMap(SyncStore, (store) => store.runs(100)).pipe(Effect.provide(storeOf(pair)), Effect.runPromise)

  beforeAll(async () => {
    server = await TestServer.start()
    url = server.database
    s = await scenario({ customers: 30, erpCustomers: 6, seed: 12 })
    const file = join(s.dir, "tongbu.yaml")
    writeFileSync(file, readFileSync(file, "utf8").replace("  database: state.db\n", `  url: ${url}\n`))
    env = { ...s.env, TONGBU_STATE_PASSWORD: Redacted.value(server.password) }
  }, 90_000)
  afterAll(async () => {
    await s?.close()
    await server?.stop()
  })

  it("init with TONGBU_STATE_URL creates (migrates) the PostgreSQL store, not a SQLite file; check passes it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-pg-init-"))
    const fresh = await server.freshDatabase()
    const created = await run(dir, ["init", "--json"], { TONGBU_STATE_URL: fresh })
    expect(created.code, created.stderr).toBe(0)
    expect(json(created).stateStore).toBe(fresh)
    expect(existsSync(join(dir, ".tongbu"))).toBe(false)
    expect(readFileSync(join(dir, "tongbu.yaml"), "utf8")).toContain("# url: postgres://")
    const checked = await run(dir, ["check", "--json"], { TONGBU_STATE_URL: fresh })
    const item = json(checked).items.find((i: { name: string }) => i.name === "state store")
    // as many as store-postgres ships (its migrations folder's journal)
    const migrations = JSON.parse(
      readFileSync(join(import.meta.dirname, "../../../../packages/store-postgres/drizzle/meta/_journal.json"), "utf8")
    ).entries.length
    expect(item).toMatchObject({ status: "pass", seen: `${fresh}: all ${migrations} migrations applied` })
    const wrong = await run(dir, ["check", "--json"], { TONGBU_STATE_URL: fresh, TONGBU_STATE_PASSWORD: "wrong-42" })
    const refused = json(wrong).items.find((i: { name: string }) => i.name === "state store")
    expect(refused.status).toBe("fail")
    expect(refused.seen).toContain("password authentication failed")
    expect(refused.fix).toContain("TONGBU_STATE_PASSWORD / state.passwordFile")
  })

  it("a password written inside state.url is refused, never echoed", async () => {
    const inline = new URL(url)
    inline.password = "inline-Secret-7"
    const refused = await run(s.dir, ["runs"], { TONGBU_STATE_URL: inline.href })
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain("TONGBU_STATE_URL carries a password")
    expect(refused.stdout + refused.stderr).not.toContain("inline-Secret-7")
  })

  let firstRun: string
  it("sync, runs and runs show work from the PostgreSQL store", async () => {
    const synced = await run(s.dir, ["sync", "--json"])
    expect(synced.code, synced.stderr).toBe(0)
    const report = json(synced)
    expect(report.status).toBe("completed")
    expect(report.counts.created).toBeGreaterThan(5)
    firstRun = report.runId
    const again = json(await run(s.dir, ["sync", "--json"]))
    expect(again.counts).toMatchObject({ created: 0, updated: 0, failed: 0 })
    const runs = json(await run(s.dir, ["runs", "--json"]))
    expect(runs.runs.map((r: { runId: string }) => r.runId)).toEqual([again.runId, firstRun])
    expect((await runsOf("default")).map((r) => r.id)).toEqual([again.runId, firstRun])
    const shown = json(await run(s.dir, ["runs", "show", firstRun, "--json"]))
    expect(shown.items.filter((i: { outcome: string }) => i.outcome === "created").length).toBe(report.counts.created)
  })

  it("rollback undoes an edit carried to the ERP", async () => {
    const row = s.hub
      .prepare(
        "SELECT id, erp_customer_id AS ord, phone FROM customers_unified WHERE erp_customer_id IS NOT NULL AND phone_verified = 1 ORDER BY id LIMIT 1"
      )
      .get() as { id: number; ord: number; phone: string }
    s.hub.prepare("UPDATE customers_unified SET phone = ? WHERE id = ?").run("19912345678", row.id)
    const edit = json(await run(s.dir, ["sync", "--json"]))
    expect(edit.counts.updated).toBeGreaterThanOrEqual(1)
    const mobile = () => s.erp.mock.control.customers().find((c) => c.ord === row.ord)?.fields.mobile
    expect(mobile()).toBe("19912345678")
    const undone = await run(s.dir, ["rollback", edit.runId, "--json"])
    expect(undone.code, undone.stderr).toBe(0)
    expect(json(undone).status).toBe("completed")
    expect(mobile()).toBe(row.phone)
  })

  it("conflicts: a manual field parks a conflict in the store, resolved from the command line", async () => {
    const manual = `${readFileSync(join(s.dir, "tongbu.yaml"), "utf8")}policy:\n  conflicts:\n    name: manual\n`
    writeFileSync(join(s.dir, "manual.yaml"), manual)
    const row = s.hub
      .prepare(
        "SELECT id, erp_customer_id AS ord FROM customers_unified WHERE erp_customer_id IS NOT NULL AND company_name IS NOT NULL AND erp_customer_type = 1 ORDER BY id DESC LIMIT 1"
      )
      .get() as { id: number; ord: number }
    s.hub.prepare("UPDATE customers_unified SET company_name = ? WHERE id = ?").run("中台改的名字有限公司", row.id)
    s.erp.mock.control.editCustomer(row.ord, { name: "ERP改的名字有限公司" })
    const synced = json(await run(s.dir, ["sync", "--json", "--config", "manual.yaml"]))
    expect(synced.counts.conflicts).toBe(1)
    const listed = json(await run(s.dir, ["conflicts", "--json"]))
    expect(listed.conflicts).toEqual([
      expect.objectContaining({ hubId: String(row.id), erpId: String(row.ord), field: "name" })
    ])
    const resolved = await run(s.dir, ["conflicts", "resolve", listed.conflicts[0].id, "--take", "hub", "--json"])
    expect(resolved.code, resolved.stderr).toBe(0)
    expect(json(await run(s.dir, ["conflicts", "--json"])).conflicts).toEqual([])
  })

  it("a pairs: file with two pairs on one database: each its own runs, one listing of both", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-pg-pairs-"))
    await buildFixturePair(join(dir, "memory.mjs"))
    const entry = (id: string, name: string) => `  - id: ${id}
    pair: ./memory.mjs
    left: { customers: [{ name: ${name}, mobile: "1380013800${id.length}" }] }
    state: { url: "${url}" }
`
    writeFileSync(join(dir, "tongbu.yaml"), `pairs:\n${entry("north", "张伟")}${entry("south-2", "李娜")}`)
    const passwords = {
      TONGBU_NORTH_STATE_PASSWORD: Redacted.value(server.password),
      TONGBU_SOUTH_2_STATE_PASSWORD: Redacted.value(server.password)
    }
    for (const id of ["north", "south-2"]) {
      const synced = await run(dir, ["sync", "--pair", id, "--json"], passwords)
      expect(synced.code, synced.stderr).toBe(0)
      expect(json(synced).counts.created).toBe(1)
    }
    const listed = json(await run(dir, ["runs", "--json"], passwords))
    expect(listed.runs.map((r: { pair: string }) => r.pair).sort()).toEqual(["north", "south-2"])
    expect((await runsOf("north")).length).toBe(1)
    expect((await runsOf("south-2")).length).toBe(1)
    const checked = json(await run(dir, ["check", "--pair", "north", "--json"], passwords))
    expect(checked.items.find((i: { name: string }) => i.name === "state store").status).toBe("pass")
  })

  it("a daemon of six pairs on one database holds one pool: poolSize connections and one for the leases", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-pg-daemon-"))
    await buildFixturePair(join(dir, "memory.mjs"))
    const ids = ["d1", "d2", "d3", "d4", "d5", "d6"]
    const entries = ids.map(
      (id) => `  - id: ${id}
    pair: ./memory.mjs
    left: { customers: [{ name: 张伟${id}, mobile: "1380013800${id.slice(1)}" }] }
    state: { url: "${url}", poolSize: 2 }
    schedules: { push: "* * * * * *", pull: "0 0 1 1 *", full: "0 0 1 1 *" }
`
    )
    writeFileSync(join(dir, "tongbu.yaml"), `pairs:\n${entries.join("")}daemon:\n  port: 0\n`)
    const passwords = Object.fromEntries(
      ids.map((id) => [`TONGBU_${id.toUpperCase()}_STATE_PASSWORD`, Redacted.value(server.password)])
    )
    // one connection of the test's own, under another name, watching the daemon's
    const where = new URL(url)
    const watcher = new pg.Client({
      host: where.hostname,
      port: Number(where.port),
      user: where.username,
      database: where.pathname.slice(1),
      password: Redacted.value(server.password),
      application_name: "tongbu-test"
    })
    await watcher.connect()
    const count = async (text: string) => (await watcher.query<{ n: number }>(text)).rows.map((row) => row.n)
    const daemon = start(dir, ["daemon"], { ...env, ...passwords })
    const done = finish(daemon)
    let most = 0
    try {
      const until = Date.now() + 60_000
      // every pair ran twice (so each took and renewed its lease), the daemon's connections counted all along
      const ran = `select count(*)::int as n from runs where pair_id in (${ids.map((id) => `'${id}'`).join(", ")}) group by pair_id`
      for (;;) {
        most = Math.max(
          most,
          ...(await count(
            "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'tongbu'"
          ))
        )
        const runs = await count(ran)
        if (runs.length === ids.length && runs.every((n) => n >= 2)) break
        if (Date.now() > until || daemon.exitCode !== null) throw new Error("the daemon's pairs did not all run twice")
        await new Promise((r) => setTimeout(r, 200))
      }
    } finally {
      daemon.kill("SIGTERM")
      outputs.push(await done)
      await watcher.end()
    }
    process.stdout.write(`a daemon of ${ids.length} pairs on one database: at most ${most} connections\n`)
    expect(most).toBeGreaterThan(0)
    expect(most).toBeLessThanOrEqual(3)
  })

  it("no command above printed the password, on stdout or stderr", () => {
    expect(outputs.length).toBeGreaterThan(15)
    const password = Redacted.value(server.password)
    for (const result of outputs) expect(result.stdout + result.stderr).not.toContain(password)
  })
})
