import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { PostgresStore } from "@tongbu/store-postgres"
import * as TestServer from "@tongbu/store-postgres/testing"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect, Redacted } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { config, json, type Scenario, scenario, tongbu } from "./harness.js"

/**
 * `tongbu state migrate`: a pair synced on SQLite for a while (history, a rollback, an open conflict, a parked or
 * settled outbox) copied into a real PostgreSQL, then run over PostgreSQL: it plans nothing new, keeps the history,
 * and rolls an old run back, as the same `tongbu` commands with `state.url` in `tongbu.yaml`.
 */
describe("tongbu state migrate, end to end", { timeout: 180_000 }, () => {
  let s: Scenario
  let server: Awaited<ReturnType<typeof TestServer.start>>
  const sync = (...args: Array<string>) => tongbu(s.dir, ["sync", "--json", ...args], s.env)
  const secret = () => Redacted.value(server.password)

  beforeAll(async () => {
    ;[s, server] = await Promise.all([scenario({ customers: 60, erpCustomers: 15, seed: 23 }), TestServer.start()])
  }, 120_000)
  afterAll(async () => {
    await s?.close()
    await server?.stop()
  })

  let firstRun: string
  let editRun: string
  let edited: { ord: number; before: string }
  let converged: Record<string, number>
  const mobile = (ord: number) => s.erp.mock.control.customers().find((c) => c.ord === ord)?.fields.mobile

  it("builds a history on SQLite: a first sync, an edit rolled back, another edit, an open conflict", async () => {
    const first = json(await sync())
    expect(first.status).toBe("completed")
    firstRun = first.runId
    const linked = () =>
      s.hub
        .prepare(
          "SELECT id, erp_customer_id AS ord, phone FROM customers_unified WHERE erp_customer_id IS NOT NULL AND phone_verified = 1 ORDER BY id LIMIT 2"
        )
        .all() as Array<{ id: number; ord: number; phone: string }>
    const [a, b] = linked()
    if (a === undefined || b === undefined) throw new Error("the scenario needs two pushed customers")
    s.hub.prepare("UPDATE customers_unified SET phone = ? WHERE id = ?").run("19912345678", a.id)
    const undone = json(await sync())
    expect(json(await tongbu(s.dir, ["rollback", undone.runId, "--json"], s.env)).status).toBe("completed")
    s.hub.prepare("UPDATE customers_unified SET phone = ? WHERE id = ?").run("19987654321", b.id)
    const edit = json(await sync())
    expect(edit.counts.updated).toBeGreaterThanOrEqual(1)
    editRun = edit.runId
    expect(mobile(b.ord)).toBe("19987654321")
    edited = { ord: b.ord, before: b.phone }

    writeFileSync(join(s.dir, "tongbu.yaml"), config(s.erp.url, "policy:\n  conflicts:\n    name: manual\n"))
    const pair = s.hub
      .prepare(
        "SELECT id, erp_customer_id AS ord FROM customers_unified WHERE erp_customer_id IS NOT NULL AND company_name IS NOT NULL AND erp_customer_type = 1 ORDER BY id DESC LIMIT 1"
      )
      .get() as { id: number; ord: number }
    s.hub.prepare("UPDATE customers_unified SET company_name = ? WHERE id = ?").run("中台改的名字有限公司", pair.id)
    s.erp.mock.control.editCustomer(pair.ord, { name: "ERP改的名字有限公司" })
    expect(json(await sync()).counts.conflicts).toBe(1)
    // Converged on SQLite: a run writes nothing; it reports the open conflict and the records it skips again.
    converged = json(await sync()).counts
    expect(converged).toMatchObject({ created: 0, updated: 0, linked: 0, actions: 0, failed: 0, conflicts: 1 })
  })

  const env = () => ({ ...s.env, TONGBU_STATE_PASSWORD: secret() })

  it("refuses while another process holds the SQLite store's lease, copying nothing", async () => {
    const held = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* SqliteStore.make({ filename: join(s.dir, "state.db") })
          expect(yield* store.acquireLease("a daemon", 60_000)).toBe(true)
          const result = yield* Effect.promise(() =>
            tongbu(s.dir, ["state", "migrate", "--to", server.database, "--json"], env())
          )
          yield* store.releaseLease("a daemon")
          return result
        })
      )
    )
    expect(held.code).toBe(1)
    expect(json(held).pairs[0].error).toContain("holds the lease")
    const runs = await Effect.runPromise(
      Effect.scoped(
        Effect.flatMap(
          PostgresStore.make({ url: server.database, password: server.password, pair: "default" }),
          (store) => store.runs(10)
        )
      )
    )
    expect(runs).toEqual([])
  })

  let copied: Record<string, number>

  it("copies the pair into PostgreSQL, prints the counts and the state.url line, never the password", async () => {
    const result = await tongbu(s.dir, ["state", "migrate", "--to", server.database], env())
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^pair default: copied \d+ runs, \d+ operations, \d+ outcomes/)
    expect(result.stdout).toContain(`state.url: ${server.database}`)
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret())

    const again = await tongbu(s.dir, ["state", "migrate", "--to", server.database, "--json"], env())
    expect(again.code).toBe(1)
    expect(json(again).pairs[0].error).toContain("already holds state of pair default")
    copied = Object.fromEntries([...result.stdout.matchAll(/(\d+) (\w+)/g)].map((m) => [m[2] as string, Number(m[1])]))
    expect(copied.runs).toBe(6)
    expect(copied.links).toBeGreaterThan(0)
    expect(copied.conflicts).toBe(1)
  })

  it("with state.url, the next sync plans nothing new, runs shows the old history, an old run rolls back", async () => {
    const sqliteRuns = json(await tongbu(s.dir, ["runs", "--json", "--limit", "100"], s.env)).runs
    const yaml = join(s.dir, "tongbu.yaml")
    writeFileSync(yaml, readFileSync(yaml, "utf8").replace("  database: state.db\n", `  url: ${server.database}\n`))
    const over = (...args: Array<string>) => tongbu(s.dir, [...args, "--json"], env())

    const next = json(await over("sync"))
    expect(next.status, JSON.stringify(next.error)).toBe("completed")
    // Nothing new: no write of any kind, the same skips and the same open conflict as the last run on SQLite.
    expect(next.counts).toEqual(converged)
    const runs = json(await over("runs", "--limit", "100")).runs
    const line = (run: { runId: string; kind: string; status: string; startedAt: string }) => [
      run.runId,
      run.kind,
      run.status,
      run.startedAt
    ]
    expect(runs.slice(1).map(line)).toEqual(sqliteRuns.map(line))
    expect(runs[0].runId).toBe(next.runId)
    expect(Number(next.runId)).toBeGreaterThan(Number(sqliteRuns[0].runId))
    expect(runs.map((run: { runId: string }) => run.runId)).toContain(firstRun)
    expect(json(await over("conflicts")).conflicts).toHaveLength(1)

    const rolledBack = json(await over("rollback", editRun))
    expect(rolledBack.status).toBe("completed")
    expect(rolledBack.counts.rolledBack).toBeGreaterThanOrEqual(1)
    expect(mobile(edited.ord)).toBe(edited.before)
  })
})
