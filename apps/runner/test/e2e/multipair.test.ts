import type { ChildProcess } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { generateHubFile } from "@tongbu/adapter-wechat-hub"
import type { Run } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import type { Served } from "@tongbu/mock-erp"
import { serveMockErp } from "@tongbu/mock-erp"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect, Schedule } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { finish, json, type Result, start, tongbu } from "./harness.js"

/**
 * Three daemons on one configuration of five pairs (five hub files, five mock ERP instances), one killed with
 * SIGKILL while they run: the others take its pairs once their leases expire. Afterwards, from what the stores and
 * the mock ERPs saw (not from the runners' word): no pair had two runs at once, no customer was created twice, every
 * pair converged.
 */

const PAIRS = ["p1", "p2", "p3", "p4", "p5"] as const
const LEASE_SECONDS = 2
const SEEDED = 4

const entry = (id: string, url: string) => `  - id: ${id}
    erp: { url: "${url}", user: admin, concurrency: 4, requestsPerSecond: 1000 }
    hub: { database: ${id}/hub.db, intake: false }
    state: { leaseSeconds: ${LEASE_SECONDS} }
    sync: { maxAttempts: 3 }
    schedules: { push: "* * * * * *", pull: "*/3 * * * * *", full: "0 0 1 1 *" }
    mapping:
      assignment:
        top: { minScore: 80, salespeople: ["61", "62"] }
        general: { minScore: 60, salespeople: ["63", "64"] }
`

const runsOf = async (dir: string, id: string): Promise<ReadonlyArray<Run>> =>
  // the daemons create the stores; the test only reads them
  !existsSync(join(dir, ".tongbu", `${id}.sqlite`))
    ? []
    : Effect.flatMap(SyncStore, (store) => store.runs(10_000)).pipe(
        Effect.provide(SqliteStore.layer({ filename: join(dir, ".tongbu", `${id}.sqlite`) })),
        // a store a daemon is creating this instant may be mid-migration: read it again shortly
        Effect.retry({ times: 10, schedule: Schedule.spaced("200 millis") }),
        Effect.runPromise
      )

const eventually = async (what: string, probe: () => Promise<boolean>, ms: number): Promise<void> => {
  const until = Date.now() + ms
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

const completedSince = async (dir: string, since: number) => {
  const counts = await Promise.all(
    PAIRS.map(
      async (id) => (await runsOf(dir, id)).filter((r) => r.status === "completed" && r.startedAt > since).length
    )
  )
  return Math.min(...counts)
}

describe("three daemons share five pairs", { timeout: 120_000 }, () => {
  let dir: string
  const erps: Array<Served> = []
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "tongbu-multipair-"))
    for (const [i, id] of PAIRS.entries()) {
      mkdirSync(join(dir, id))
      await Effect.runPromise(generateHubFile(join(dir, id, "hub.db"), { customers: 12, seed: 20 + i }))
      erps.push(
        await serveMockErp({
          port: 0,
          seed: { customers: SEEDED, seed: 20 + i },
          faults: { name: "steady", all: { latencyMs: [2, 10] } }
        })
      )
    }
    const pairs = PAIRS.map((id, i) => entry(id, erps[i]!.url)).join("")
    writeFileSync(join(dir, "tongbu.yaml"), `pairs:\n${pairs}daemon:\n  port: 0\n`)
  }, 60_000)
  afterAll(async () => {
    for (const erp of erps) await erp.close()
  })

  it("a killed daemon's pairs are taken over; no pair ever ran twice at once, nothing was created twice, every pair converged", async () => {
    const env = Object.fromEntries(PAIRS.map((id) => [`TONGBU_${id.toUpperCase()}_ERP_PASSWORD`, "admin123"]))
    const daemons: Array<ChildProcess> = [0, 1, 2].map(() => start(dir, ["daemon"], env))
    const done: Array<Promise<Result>> = daemons.map(finish)
    await eventually("a completed run of every pair", async () => (await completedSince(dir, 0)) >= 1, 40_000)

    const killedAt = Date.now()
    daemons[0]!.kill("SIGKILL")
    const killed = await done[0]!
    expect(killed.signal).toBe("SIGKILL")
    await eventually(
      "every pair run again by the others",
      async () => (await completedSince(dir, killedAt)) >= 3,
      40_000
    )
    const takeover = await Promise.all(
      PAIRS.map(
        async (id) =>
          Math.min(...(await runsOf(dir, id)).filter((r) => r.startedAt > killedAt).map((r) => r.startedAt)) - killedAt
      )
    )
    process.stdout.write(
      `first run of each pair after the kill, ms after it: ${takeover.join(", ")} (lease ${LEASE_SECONDS} s)\n`
    )

    for (const daemon of daemons.slice(1)) daemon.kill("SIGTERM")
    const stopped = await Promise.all(done.slice(1))
    for (const result of stopped) expect(result.stderr).not.toContain("admin123")

    let created = 0
    for (const [i, id] of PAIRS.entries()) {
      const runs = [...(await runsOf(dir, id))].sort((a, b) => a.startedAt - b.startedAt)
      const calls = erps[i]!.mock.control.callLog()
      runs.forEach((run, k) => {
        const next = runs[k + 1]
        // a run without an end is the killed daemon's: it ran until the kill at the latest
        const end = run.finishedAt ?? killedAt
        if (next !== undefined)
          expect(end, `pair ${id}: run ${next.id} started during run ${run.id}`).toBeLessThanOrEqual(next.startedAt)
        // during a run, the ERP answered one client only: another runner's calls would carry another session
        const sessions = new Set(
          calls.filter((c) => c.at >= run.startedAt && c.at <= end && c.answer === "data").map((c) => c.session)
        )
        expect(
          sessions.size,
          `pair ${id}: run ${run.id} saw the ERP answer ${sessions.size} clients`
        ).toBeLessThanOrEqual(1)
      })
      expect(runs.filter((r) => r.finishedAt === undefined).length).toBeLessThanOrEqual(1)

      // nothing created twice, counted from the ERP's own records
      const customers = erps[i]!.mock.control.customers()
      const mobiles = customers.map((c) => c.fields.mobile).filter((m) => m !== undefined && m !== "")
      expect(new Set(mobiles).size, `pair ${id}: a mobile twice in the ERP`).toBe(mobiles.length)
      const creates = erps[i]!.mock.control.writeLog().filter((w) => w.kind === "customer.create").length
      expect(creates).toBe(customers.length - SEEDED)
      created += creates

      // converged: one more run plans nothing
      const again = await tongbu(dir, ["sync", "--pair", id, "--dry-run", "--json"], env)
      const report = json(again)
      expect(report.status, again.stderr).toBe("completed")
      expect(report.counts, `pair ${id}`).toMatchObject({ created: 0, updated: 0, linked: 0, actions: 0, failed: 0 })
    }
    // the hubs' customers were pushed: there was something to create twice
    expect(created).toBeGreaterThan(0)

    // the commands take the pair: the history of all of them names each run's; a sync must say which
    const history = json(await tongbu(dir, ["runs", "--limit", "100", "--json"], env))
    expect(new Set(history.runs.map((r: { pair: string }) => r.pair))).toEqual(new Set(PAIRS))
    const unnamed = await tongbu(dir, ["sync", "--dry-run"], env)
    expect(unnamed.code).toBe(2)
    expect(unnamed.stderr).toContain("lists 5 pairs (p1, p2, p3, p4, p5): say which with --pair <id>")
  })
})
