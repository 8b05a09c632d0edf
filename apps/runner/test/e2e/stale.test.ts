import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { Run } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import { PostgresStore } from "@tongbu/store-postgres"
import * as TestServer from "@tongbu/store-postgres/testing"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect, type Layer, Redacted, Schedule } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { finish, json, type Scenario, scenario, start, tongbu } from "./harness.js"

/** A scenario's store: the `state:` keys naming it, what the runner's environment adds, and the test's own view. */
interface StaleStore {
  readonly state: string
  readonly env: Record<string, string>
  /** The store, once the runners created it. */
  readonly reader: (dir: string) => Layer.Layer<SyncStore, unknown> | undefined
}

const runsIn = (dir: string, store: StaleStore): Promise<ReadonlyArray<Run>> => {
  const reader = store.reader(dir)
  return reader === undefined
    ? Promise.resolve([])
    : Effect.flatMap(SyncStore, (s) => s.runs(10_000)).pipe(
        Effect.provide(reader),
        Effect.retry({ times: 10, schedule: Schedule.spaced("200 millis") }),
        Effect.runPromise
      )
}

const eventually = async (what: string, probe: () => Promise<boolean>, ms: number): Promise<void> => {
  const until = Date.now() + ms
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const staleTest = (name: string, prepare: () => Promise<StaleStore & { readonly close?: () => Promise<void> }>) =>
  describe(`a stalled daemon, ${name}`, { timeout: 120_000 }, () => {
    let s: Scenario
    let store: StaleStore & { readonly close?: () => Promise<void> }
    const runs = (dir: string) => runsIn(dir, store)
    beforeAll(async () => {
      store = await prepare()
      const scenarioOf = await scenario({
        customers: 80,
        erpCustomers: 10,
        seed: 9,
        mock: { faults: { name: "slow", all: { latencyMs: [20, 40] } } },
        extraConfig: `schedules:\n  push: "* * * * * *"\n  pull: "0 0 1 1 *"\n  full: "0 0 1 1 *"\ndaemon:\n  port: 0\n`
      })
      const file = join(scenarioOf.dir, "tongbu.yaml")
      writeFileSync(file, readFileSync(file, "utf8").replace("  database: state.db\n", `${store.state}\n`))
      s = { ...scenarioOf, env: { ...scenarioOf.env, ...store.env } }
    }, 60_000)
    afterAll(async () => {
      await s?.close()
      await store?.close?.()
    })

    it("paused (SIGSTOP) past its lease while it runs, then resumed: another took the pair, its writes are refused and the data stays intact", async () => {
      const first = start(s.dir, ["daemon"], s.env)
      const firstDone = finish(first)
      let said = ""
      first.stderr?.on("data", (chunk: Buffer) => (said += chunk.toString()))
      await eventually("a run in progress", async () => (await runs(s.dir)).some((r) => r.status === "running"), 40_000)
      first.kill("SIGSTOP")
      const stoppedAt = Date.now()
      const second = start(s.dir, ["daemon"], s.env)
      const secondDone = finish(second)
      await eventually(
        "a completed run of the second daemon",
        async () => (await runs(s.dir)).some((r) => r.status === "completed" && r.startedAt > stoppedAt),
        40_000
      )
      first.kill("SIGCONT")
      await eventually(
        "the first daemon noticing it lost the pair",
        async () => said.includes("another runner took pair default"),
        20_000
      )
      first.kill("SIGTERM")
      second.kill("SIGTERM")
      const [a] = await Promise.all([firstDone, secondDone])
      expect(a.stderr).toContain("another runner took pair default")
      process.stdout.write(`${a.stderr.split("\n").find((l) => l.includes("another runner took pair")) ?? ""}\n`)
      // the pair's data is intact: nothing created twice, and one more run plans nothing
      const customers = s.erp.mock.control.customers()
      const mobiles = customers.map((c) => c.fields.mobile).filter((m) => m !== undefined && m !== "")
      expect(new Set(mobiles).size).toBe(mobiles.length)
      expect(s.erp.mock.control.writeLog().filter((w) => w.kind === "customer.create").length).toBe(
        customers.length - 10
      )
      const again = json(await tongbu(s.dir, ["sync", "--direction", "push", "--dry-run", "--json"], s.env))
      expect(again.counts).toMatchObject({ created: 0, updated: 0, linked: 0, actions: 0, failed: 0 })
    })
  })

staleTest("SQLite store", async () => ({
  state: "  database: state.db",
  env: {},
  reader: (dir) =>
    existsSync(join(dir, "state.db")) ? SqliteStore.layer({ filename: join(dir, "state.db") }) : undefined
}))

staleTest("PostgreSQL store", async () => {
  const server = await TestServer.start()
  return {
    state: `  url: ${server.database}`,
    env: { TONGBU_STATE_PASSWORD: Redacted.value(server.password) },
    reader: () => PostgresStore.layer({ url: server.database, password: server.password, pair: "default" }),
    close: server.stop
  }
})
