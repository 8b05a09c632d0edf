import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { json, type Scenario, scenario, tongbu } from "./harness.js"

/**
 * An ERP whose every follow-up answer is lost after the record was saved: the follow-ups are parked, never sent
 * twice, until a person settles each with `tongbu actions resolve`: `--done` keeps it settled, `--retry` sends it once.
 */
describe("follow-ups whose answers were lost", { timeout: 180_000 }, () => {
  let s: Scenario
  beforeAll(async () => {
    s = await scenario({
      customers: 12,
      erpCustomers: 0,
      seed: 5,
      mock: { faults: { name: "followups-lost", endpoints: { followUp: { ackLostRate: 1, ackLostModes: ["reset"] } } } }
    })
  }, 60_000)
  afterAll(() => s.close())

  it("are listed with what to check, then settled as delivered or sent exactly once more", async () => {
    await tongbu(s.dir, ["sync"], s.env)
    const delivered = s.erp.mock.control.followUps().length
    expect(delivered).toBeGreaterThanOrEqual(2)

    const listed = json(await tongbu(s.dir, ["actions", "--json"], s.env)).actions
    expect(listed).toHaveLength(delivered)
    expect(listed[0]).toMatchObject({
      side: "erp",
      kind: "followUp",
      reason: expect.stringContaining("may have been delivered: attempted at ")
    })
    // what a person looks at: the ERP customer by id and name, the follow-up's text, when it was attempted
    const name = listed[0].recordName
    expect(typeof name).toBe("string")
    expect(listed[0].reason).toContain(
      `check zhibang record ${listed[0].recordId} (${JSON.stringify(name)}) for a followUp with intro`
    )
    expect(listed[0].reason).toMatch(/attempted at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/)
    expect(JSON.stringify(listed)).not.toMatch(/1[3-9]\d{9}/)
    const text = await tongbu(s.dir, ["actions"], s.env)
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain("tongbu actions resolve <id> --done")
    expect(text.stdout).toContain(name)

    const [first, second] = listed
    const done = await tongbu(s.dir, ["actions", "resolve", String(first.id), "--done"], s.env)
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toContain("marked delivered")
    const again = await tongbu(s.dir, ["actions", "resolve", first.key, "--retry"], s.env)
    expect([again.code, again.stderr]).toEqual([2, expect.stringContaining("not parked")])
    const unknown = await tongbu(s.dir, ["actions", "resolve", "99999", "--done", "--json"], s.env)
    expect(unknown.code).toBe(2)
    expect(json(unknown).error.type).toBe("NotFound")
    const neither = await tongbu(s.dir, ["actions", "resolve", String(second.id)], s.env)
    expect(neither.code).toBe(2)

    const retry = json(await tongbu(s.dir, ["actions", "resolve", String(second.id), "--retry", "--json"], s.env))
    expect(retry).toMatchObject({ id: second.id, resolution: "retry" })

    s.erp.mock.control.setFaults("none")
    await tongbu(s.dir, ["sync"], s.env)
    expect(s.erp.mock.control.followUps().length).toBe(delivered + 1)
    await tongbu(s.dir, ["sync"], s.env)
    expect(s.erp.mock.control.followUps().length).toBe(delivered + 1)
    const left = json(await tongbu(s.dir, ["actions", "--json"], s.env)).actions
    expect(left.map((a: { id: number }) => a.id)).toEqual(listed.slice(2).map((a: { id: number }) => a.id))
  })
})
