import { existsSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { json, tongbu } from "./harness.js"

describe("tongbu demo", { timeout: 120_000 }, () => {
  it("with no configuration: a full sync both ways with its follow-ups, then two runs that write nothing; it says where its files are", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tongbu-demo-cwd-"))
    const dir = join(cwd, "demo")
    const result = await tongbu(cwd, ["demo", "--json", "--dir", dir, "--customers", "80", "--erp-customers", "15"])
    expect(result.code, result.stderr).toBe(0)
    const out = json(result)
    expect(out.dir).toBe(dir)
    for (const file of ["hub.db", "erp.db", "state.db", "tongbu.yaml"])
      expect(existsSync(join(dir, file)), file).toBe(true)
    const items: Array<{
      operation: string
      outcome: string
      hubId: string | null
      erpId: string | null
      reasons: Array<{ rule: string }>
    }> = out.first.items
    // hub → ERP creates, ERP → hub pulls (the ERP's own customers), collisions skipped, assignments
    expect(out.first.status).toBe("completed")
    expect(items.filter((i) => i.operation === "create" && i.outcome === "created").length).toBeGreaterThan(15)
    expect(out.erp.customers).toBeGreaterThan(15)
    expect(items.some((i) => i.reasons.some((r) => r.rule === "uniqueKey"))).toBe(true)
    expect(out.erp.assignments).toBeGreaterThan(0)
    // the follow-ups of the customers the first run creates are written by that run
    expect(out.erp.followUps).toBeGreaterThan(0)
    expect(out.first.counts.actions).toBeGreaterThanOrEqual(out.erp.followUps)
    // the hub's own links name customers the mock was seeded with: all adopted, none reported missing
    expect(out.hubLinks.claimed).toBeGreaterThan(0)
    expect(out.hubLinks).toEqual({ claimed: out.hubLinks.claimed, adopted: out.hubLinks.claimed, missing: 0 })
    expect(items.filter((i) => i.reasons.some((r) => r.rule === "claimedLinkMissing"))).toEqual([])
    for (const run of [out.second, out.third])
      expect(run.counts).toMatchObject({ created: 0, updated: 0, linked: 0, actions: 0, failed: 0, conflicts: 0 })
    expect(out.secondRun).toEqual({ erpWrites: 0, hubRowsWritten: 0 })
    expect(out.thirdRun).toEqual({ erpWrites: 0, hubRowsWritten: 0 })

    const text = await tongbu(cwd, ["demo", "--dir", dir, "--customers", "30", "--erp-customers", "5"])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain(`The demo's files are in ${dir}`)
    expect(text.stdout).toContain("TONGBU_ERP_URL")
    expect(text.stdout).toContain("Written by this run: 0 ERP writes, 0 hub rows.")
    expect(text.stdout).toMatch(
      /The hub had linked \d+ of its rows to ERP customers itself \(erp_customer_id\): \d+ adopted as links/
    )
  })

  it("--config: the user's file is checked first, its mistakes named against it", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tongbu-demo-cwd-"))
    writeFileSync(join(cwd, "mine.yaml"), "policy:\n  conflicts:\n    name: sometimes\n")
    const result = await tongbu(cwd, ["demo", "--config", "mine.yaml", "--dir", join(cwd, "demo")])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("mine.yaml is not a valid configuration")
    expect(result.stderr).toContain("key `policy.conflicts.name`")
    expect(existsSync(join(cwd, "demo"))).toBe(false)
  })

  it("--config naming a PostgreSQL store (state.url): the demo still keeps its state in its own file", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "tongbu-demo-cwd-"))
    writeFileSync(join(cwd, "mine.yaml"), "state:\n  url: postgres://tongbu@127.0.0.1:1/never\n  passwordFile: pw\n")
    const dir = join(cwd, "demo")
    const result = await tongbu(cwd, [
      "demo",
      "--json",
      "--config",
      "mine.yaml",
      "--dir",
      dir,
      "--customers",
      "20",
      "--erp-customers",
      "4"
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(json(result).first.status).toBe("completed")
    expect(existsSync(join(dir, "state.db"))).toBe(true)
  })
})
