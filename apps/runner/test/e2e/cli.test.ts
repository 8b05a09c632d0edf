import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { config, json, type Scenario, scenario, tongbu } from "./harness.js"

/**
 * The `tongbu` command as a user runs it (its own process, a configuration file, the password in the environment)
 * against the mock ERP on a 127.0.0.1 port and a generated hub file. The steps build on each other, in order.
 */
describe("tongbu, end to end", { timeout: 120_000 }, () => {
  let s: Scenario
  const sync = (...args: Array<string>) => tongbu(s.dir, ["sync", "--json", ...args], s.env)
  const erpWrites = () => s.erp.mock.control.writeLog().filter((w) => w.endpoint !== "ui")
  const hubRow = (id: string) =>
    s.hub
      .prepare(
        "SELECT company_name, real_name, phone, erp_customer_id, erp_sync_status FROM customers_unified WHERE id = ?"
      )
      .get(Number(id)) as
      | {
          company_name: string | null
          real_name: string | null
          phone: string | null
          erp_customer_id: number | null
          erp_sync_status: string
        }
      | undefined

  beforeAll(async () => {
    s = await scenario({ customers: 120, erpCustomers: 25, seed: 11 })
  }, 60_000)
  afterAll(() => s.close())

  it("a bad configuration: a clear message naming the key, exit code 2, nothing touched", async () => {
    writeFileSync(join(s.dir, "bad.yaml"), "erp:\n  concurrency: lots\nschedules:\n  push: hourly\n")
    const result = await tongbu(s.dir, ["sync", "--config", "bad.yaml"], s.env)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('key `erp.concurrency`: expected a positive whole number, got "lots"')
    expect(result.stderr).toContain("key `schedules.push`: expected a cron expression")
    expect(s.erp.mock.control.callLog()).toHaveLength(0)
  })

  it("a wrong ERP password: stops at once, no retry storm, the password never printed", async () => {
    const result = await tongbu(s.dir, ["sync", "--json"], { TONGBU_ERP_PASSWORD: "not-the-password" })
    expect(result.code).toBe(1)
    const out = json(result)
    expect(out.error.message).toMatch(/ERP|login|密码|password/i)
    expect(`${result.stdout}${result.stderr}`).not.toContain("not-the-password")
    expect(s.erp.mock.control.callCounts().login ?? 0).toBeLessThanOrEqual(2)
    expect(erpWrites()).toHaveLength(0)
  })

  let firstPlan: { counts: Record<string, number>; items: Array<Record<string, unknown>> }
  let firstRun: string

  it("a dry run plans the first sync and writes nothing to either side", async () => {
    const hubBefore = s.hub.prepare("SELECT count(*) AS n, max(updated_at) AS at FROM customers_unified").get()
    const result = await sync("--dry-run")
    expect(result.code).toBe(0)
    firstPlan = json(result)
    expect(firstPlan).toMatchObject({ runId: null, dryRun: true, status: "completed" })
    expect(firstPlan.counts.created).toBeGreaterThan(0)
    expect(erpWrites()).toHaveLength(0)
    expect(s.hub.prepare("SELECT count(*) AS n, max(updated_at) AS at FROM customers_unified").get()).toEqual(hubBefore)
  })

  it("the first sync does what the dry run planned: pushes, pulls, skips collisions, assigns", async () => {
    const result = await sync()
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0)
    const run = json(result)
    firstRun = run.runId
    expect(run.status).toBe("completed")
    expect(run.counts).toEqual(firstPlan.counts)
    // a new record's id is known only once created: ids of creates, of actions on created records and of the updates
    // filling the ERP's values back into the hub rows created from are left out
    const shape = (items: Array<Record<string, unknown>>) => {
      const created = new Set(items.filter((i) => i.operation === "create").map((i) => i.hubId ?? i.erpId))
      return items
        .map(
          (i) =>
            `${i.operation}:${i.outcome}:${i.operation === "create" || String(i.operation).startsWith("action") ? "" : i.operation === "update" && created.has(i.hubId) ? `${i.hubId}|` : `${i.hubId}|${i.erpId}`}`
        )
        .sort()
    }
    expect(shape(run.items)).toEqual(shape(firstPlan.items))

    // every customer the sync created in the ERP carries the code of the hub customer it came from
    const created = s.erp.mock.control.writeLog().filter((w) => w.kind === "customer.create")
    expect(created.length).toBeGreaterThan(0)
    for (const write of created) {
      const item = run.items.find(
        (i: { operation: string; erpId: string }) => i.operation === "create" && i.erpId === String(write.ord)
      )
      expect(write.fields.khid).toBe(`WX${item?.hubId}`)
    }
    expect(
      run.items.some((i: { reasons: Array<{ rule: string }> }) => i.reasons.some((r) => r.rule === "uniqueKey"))
    ).toBe(true)
    expect(s.erp.mock.control.assignments().length).toBeGreaterThan(0)
    const pulled = s.hub
      .prepare("SELECT count(*) AS n FROM customers_unified WHERE erp_customer_id IS NOT NULL AND phone_verified = 0")
      .get() as { n: number }
    expect(pulled.n).toBeGreaterThan(0)
  })

  it("the first sync wrote the follow-ups of the customers it created; a second and a third sync write nothing", async () => {
    // the hub's conversation summaries land as ERP follow-ups, translated to a template id, in the run that links them
    const followUps = s.erp.mock.control.followUps()
    expect(followUps.length).toBeGreaterThan(0)
    for (const followUp of followUps) expect(followUp.template, JSON.stringify(followUp)).not.toBeNull()
    // customers the first sync created got theirs in that sync, each after its create
    const log = s.erp.mock.control.writeLog()
    const createdAt = new Map(log.filter((w) => w.kind === "customer.create").map((w) => [w.ord, w.seq]))
    const onCreated = log.filter((w) => w.kind === "followUp" && createdAt.has(w.ord))
    expect(onCreated.length).toBeGreaterThan(0)
    for (const write of onCreated)
      expect(write.seq).toBeGreaterThan(createdAt.get(write.ord) ?? Number.POSITIVE_INFINITY)
    // every hub row's whole content, so a rewritten row shows even when its values come out the same
    const hubRows = () =>
      new Map(
        (s.hub.prepare("SELECT * FROM customers_unified").all() as Array<{ id: number }>).map((row) => [
          row.id,
          JSON.stringify(row)
        ])
      )
    for (const run of ["second", "third"]) {
      const [before, writes] = [hubRows(), erpWrites().length]
      const result = json(await sync())
      expect(result.counts, run).toMatchObject({
        created: 0,
        updated: 0,
        linked: 0,
        actions: 0,
        failed: 0,
        conflicts: 0
      })
      expect(erpWrites().length, `${run} sync: ERP writes`).toBe(writes)
      const after = hubRows()
      const rewritten = [...after].filter(([id, row]) => before.get(id) !== row).map(([id]) => id)
      expect(rewritten, `${run} sync: hub rows written`).toEqual([])
      expect(after.size, run).toBe(before.size)
    }
  })

  it("a dry-run rollback of the first sync names what each hub row would get back and be shown, writing nothing", async () => {
    const hubState = () =>
      s.hub
        .prepare("SELECT count(*) AS n, max(updated_at) AS at, sum(erp_customer_id) AS ids FROM customers_unified")
        .get()
    const [hubBefore, writes] = [hubState(), erpWrites().length]
    const preview = json(await tongbu(s.dir, ["rollback", firstRun, "--dry-run", "--json"], s.env))
    type Item = { hubId: string; erpId: string; operation: string; reasons: Array<{ rule: string; message: string }> }
    const pushed = (preview.items as Array<Item>).find(
      (i) => i.operation === "rollback:create" && i.reasons.some((r) => r.rule === "linkShownRestored")
    )
    if (pushed === undefined) return expect.fail("a customer the first sync pushed to the ERP")
    expect(pushed.reasons.map((r) => r.rule)).toEqual(["withdrawn", "linkShownRestored", "unlinked", "unlinked"])
    expect(pushed.reasons[1]?.message).toContain(`record ${pushed.hubId}: erp_customer_id`)
    expect(pushed.reasons[2]?.message).toContain(
      `record ${pushed.hubId} would be shown as no longer linked to zhibang record ${pushed.erpId}: run ${firstRun} was rolled back`
    )
    expect(hubState()).toEqual(hubBefore)
    expect(erpWrites().length).toBe(writes)
  })

  let editRun: string
  let edited: { hubId: string; erpId: string; oldMobile: string; newMobile: string }
  let renamed: { hubId: string; erpId: string; newName: string }

  it("edits on both sides are carried across: a new mobile in the hub, a new name in the ERP", async () => {
    const links = s.hub
      .prepare(
        "SELECT id, erp_customer_id AS ord, phone FROM customers_unified WHERE erp_customer_id IS NOT NULL AND phone_verified = 1 ORDER BY id LIMIT 2"
      )
      .all() as Array<{ id: number; ord: number; phone: string }>
    const [a, b] = links
    if (a === undefined || b === undefined) throw new Error("the scenario needs two pushed customers")
    edited = { hubId: String(a.id), erpId: String(a.ord), oldMobile: a.phone, newMobile: "19912345678" }
    s.hub.prepare("UPDATE customers_unified SET phone = ? WHERE id = ?").run(edited.newMobile, a.id)
    renamed = { hubId: String(b.id), erpId: String(b.ord), newName: "改名后的测试科技有限公司" }
    s.erp.mock.control.editCustomer(b.ord, { name: renamed.newName })

    const run = json(await sync())
    expect(run.counts.updated).toBeGreaterThanOrEqual(2)
    editRun = run.runId
    expect(s.erp.mock.control.customers().find((c) => String(c.ord) === edited.erpId)?.fields.mobile).toBe(
      edited.newMobile
    )
    const row = hubRow(renamed.hubId)
    expect([row?.company_name, row?.real_name]).toContain(renamed.newName)
  })

  it("runs and runs show list the history with per-record outcomes", async () => {
    const runs = json(await tongbu(s.dir, ["runs", "--json", "--limit", "3"], s.env))
    expect(runs.runs[0]).toMatchObject({ runId: editRun, kind: "sync", status: "completed" })
    const shown = json(await tongbu(s.dir, ["runs", "show", editRun, "--json"], s.env))
    expect(shown.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ hubId: edited.hubId, erpId: edited.erpId, outcome: "updated" })
      ])
    )
    const missing = await tongbu(s.dir, ["runs", "show", "no-such-run"], s.env)
    expect(missing.code).toBe(2)
  })

  it("rollback shows, then undoes the run: the ERP mobile and the hub name are restored", async () => {
    const preview = json(await tongbu(s.dir, ["rollback", editRun, "--dry-run", "--json"], s.env))
    expect(preview.dryRun).toBe(true)
    expect(s.erp.mock.control.customers().find((c) => String(c.ord) === edited.erpId)?.fields.mobile).toBe(
      edited.newMobile
    )
    const result = await tongbu(s.dir, ["rollback", editRun, "--json"], s.env)
    expect(result.code).toBe(0)
    const report = json(result)
    expect(report.status).toBe("completed")
    expect(report.items.filter((i: { outcome: string }) => i.outcome === "rolledBack").length).toBeGreaterThanOrEqual(2)
    expect(s.erp.mock.control.customers().find((c) => String(c.ord) === edited.erpId)?.fields.mobile).toBe(
      edited.oldMobile
    )
    const row = hubRow(renamed.hubId)
    expect([row?.company_name, row?.real_name]).not.toContain(renamed.newName)
  })

  it("a field set to manual parks a conflict with both values and the baseline; resolving it carries the choice", async () => {
    writeFileSync(join(s.dir, "manual.yaml"), config(s.erp.url, "policy:\n  conflicts:\n    name: manual\n"))
    const pair = s.hub
      .prepare(
        "SELECT id, erp_customer_id AS ord, company_name FROM customers_unified WHERE erp_customer_id IS NOT NULL AND company_name IS NOT NULL AND erp_customer_type = 1 ORDER BY id DESC LIMIT 1"
      )
      .get() as { id: number; ord: number; company_name: string }
    s.hub.prepare("UPDATE customers_unified SET company_name = ? WHERE id = ?").run("中台改的名字有限公司", pair.id)
    s.erp.mock.control.editCustomer(pair.ord, { name: "ERP改的名字有限公司" })
    const run = json(await tongbu(s.dir, ["sync", "--json", "--config", "manual.yaml"], s.env))
    expect(run.counts.conflicts).toBe(1)

    const listed = json(await tongbu(s.dir, ["conflicts", "--json"], s.env))
    expect(listed.conflicts).toEqual([
      expect.objectContaining({
        hubId: String(pair.id),
        erpId: String(pair.ord),
        leftId: String(pair.id),
        rightId: String(pair.ord),
        field: "name",
        hub: "中台改的名字有限公司",
        erp: "ERP改的名字有限公司",
        left: "中台改的名字有限公司",
        right: "ERP改的名字有限公司",
        baseline: { hub: pair.company_name, erp: pair.company_name, left: pair.company_name, right: pair.company_name },
        resolution: null
      })
    ])
    const resolved = await tongbu(
      s.dir,
      ["conflicts", "resolve", listed.conflicts[0].id, "--take", "hub", "--json"],
      s.env
    )
    expect(resolved.code).toBe(0)
    expect(json(resolved).resolution).toBe("hub")
    await tongbu(s.dir, ["sync", "--json", "--config", "manual.yaml"], s.env)
    expect(s.erp.mock.control.customers().find((c) => c.ord === pair.ord)?.fields.name).toBe("中台改的名字有限公司")
    expect(json(await tongbu(s.dir, ["conflicts", "--json"], s.env)).conflicts).toEqual([])
  })

  it("alerts evaluates the monitoring rules over the history", async () => {
    const alerts = json(await tongbu(s.dir, ["alerts", "--json"], s.env))
    expect(alerts.alerts.map((a: { rule: string }) => a.rule)).toEqual(["successRate", "failures", "noSuccess"])
    expect(alerts.alerts.find((a: { rule: string }) => a.rule === "noSuccess").firing).toBe(false)
  })
})
