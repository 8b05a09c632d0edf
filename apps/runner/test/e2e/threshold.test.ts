import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { config, json, type Scenario, scenario, tongbu } from "./harness.js"

/** The ERP's assignment page is down (a proxy answers 502): every customer created is left unassigned, a failure. */
const assignDown = async (): Promise<Scenario> => {
  const made = await scenario({
    customers: 30,
    erpCustomers: 0,
    seed: 6,
    mock: { faults: { name: "assign-down", endpoints: { assign: { transientRate: 1 } } } }
  })
  writeFileSync(
    join(made.dir, "tongbu.yaml"),
    config(made.erp.url).replace("maxAttempts: 3", "maxAttempts: 2\n  maxFailures: 1")
  )
  return made
}

describe("more failed records than sync.maxFailures", { timeout: 120_000 }, () => {
  let machine: Scenario
  let person: Scenario
  beforeAll(async () => {
    ;[machine, person] = await Promise.all([assignDown(), assignDown()])
  }, 60_000)
  afterAll(() => Promise.all([machine?.close(), person?.close()]))

  it("the run completes, reports every failure, and exits 3 naming the threshold", async () => {
    const result = await tongbu(machine.dir, ["sync", "--json"], machine.env)
    // one JSON object for machines: the report, with the exit code and why
    const report = json(result)
    expect(report.status).toBe("completed")
    expect(report.counts.created).toBeGreaterThan(1)
    expect(report.counts.failed).toBeGreaterThan(1)
    expect(report.items.filter((i: { outcome: string }) => i.outcome === "failed").length).toBe(report.counts.failed)
    expect(result.code).toBe(3)
    expect(report.exitCode).toBe(3)
    expect(report.error).toContain("more than sync.maxFailures (1)")

    const text = await tongbu(person.dir, ["sync"], person.env)
    expect(text.code).toBe(3)
    expect(text.stdout).toContain("failed")
    expect(text.stderr).toContain("more than sync.maxFailures (1)")
  })
})
