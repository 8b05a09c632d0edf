import { writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { SyncStore } from "@tongbu/core"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { config, finish, type Scenario, scenario, start } from "./harness.js"

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

const get = (port: number, path: string) =>
  fetch(`http://127.0.0.1:${port}${path}`).then(
    async (r) => ({ status: r.status, text: await r.text() }),
    () => undefined
  )

const eventually = async <A>(what: string, probe: () => Promise<A | undefined>, ms: number): Promise<A> => {
  const until = Date.now() + ms
  for (;;) {
    const found = await probe()
    if (found !== undefined) return found
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

const runs = (dir: string) =>
  Effect.flatMap(SyncStore, (store) => store.runs(10_000)).pipe(
    Effect.provide(SqliteStore.layer({ filename: join(dir, "state.db") })),
    Effect.runPromise
  )

describe("two daemons on one store", { timeout: 120_000 }, () => {
  let s: Scenario
  beforeAll(async () => {
    s = await scenario({ customers: 40, erpCustomers: 10, seed: 3 })
  }, 60_000)
  afterAll(() => s.close())

  it("only the lease holder serves and runs; the other waits, then takes over when the first stops", async () => {
    const ports = [await freePort(), await freePort()] as const
    ports.forEach((port, i) => {
      writeFileSync(
        join(s.dir, `daemon${i}.yaml`),
        config(s.erp.url, `schedules:\n  push: "* * * * * *"\n  pull: "*/2 * * * * *"\ndaemon:\n  port: ${port}\n`)
      )
    })
    const first = start(s.dir, ["daemon", "--config", "daemon0.yaml"], s.env)
    const firstDone = finish(first)
    const health = await eventually("the first daemon's /healthz", () => get(ports[0], "/healthz"), 30_000)
    expect(JSON.parse(health.text)).toMatchObject({ status: "ok" })

    const second = start(s.dir, ["daemon", "--config", "daemon1.yaml"], s.env)
    const secondDone = finish(second)
    await eventually("a few scheduled runs", async () => ((await runs(s.dir)).length >= 3 ? true : undefined), 30_000)
    expect(await get(ports[1], "/healthz")).toBeUndefined()

    const metrics = await get(ports[0], "/metrics")
    expect(metrics?.text).toMatch(/tongbu_runs_total\{kind="sync",status="completed"\} \d+/)
    expect(metrics?.text).toContain("tongbu_erp_call_duration_seconds_count")

    first.kill("SIGTERM")
    const stopped = await firstDone
    expect(stopped.signal === null ? stopped.code : stopped.signal).toBe(130)
    await eventually("the second daemon taking over", () => get(ports[1], "/healthz"), 20_000)
    const before = (await runs(s.dir)).length
    await eventually(
      "a run of the second daemon",
      async () => ((await runs(s.dir)).length > before ? true : undefined),
      20_000
    )
    second.kill("SIGTERM")
    await secondDone

    const history = [...(await runs(s.dir))].sort((a, b) => a.startedAt - b.startedAt)
    history.slice(1).forEach((run, i) => {
      const previous = history[i]!
      expect(run.startedAt, `run ${run.id} started while run ${previous.id} was running`).toBeGreaterThanOrEqual(
        previous.finishedAt ?? Infinity
      )
    })
  })

  it("one ERP client for the daemon's life: a refused login is not tried again by later scheduled runs", async () => {
    const port = await freePort()
    writeFileSync(
      join(s.dir, "refused.yaml"),
      config(s.erp.url, `schedules:\n  push: "* * * * * *"\ndaemon:\n  port: ${port}\n`).replace(
        "state.db",
        "refused.db"
      )
    )
    const logins = s.erp.mock.control.callCounts().login ?? 0
    const daemon = start(s.dir, ["daemon", "--config", "refused.yaml"], { TONGBU_ERP_PASSWORD: "not-the-password" })
    const done = finish(daemon)
    // each finished job stamps /healthz's lastRun: wait for three different stamps
    const seen = new Set<string>()
    await eventually(
      "three scheduled runs",
      async () => {
        const health = await get(port, "/healthz")
        const lastRun = health === undefined ? null : JSON.parse(health.text).lastRun
        if (lastRun !== null) seen.add(lastRun.at)
        return seen.size >= 3 ? true : undefined
      },
      30_000
    )
    daemon.kill("SIGTERM")
    const stopped = await done
    expect(s.erp.mock.control.callCounts().login ?? 0, stopped.stderr).toBe(logins + 1)
    expect(stopped.stderr).not.toContain("not-the-password")
  })
})
