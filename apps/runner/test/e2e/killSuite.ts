import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { SyncStore } from "@tongbu/core"
import type { MockControl } from "@tongbu/mock-erp"
import type { Layer } from "effect"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { finish, json, type Scenario, scenario, start, tongbu } from "./harness.js"

// A fixed default keeps CI deterministic; a soak varies TONGBU_KILL_SEED.
const seed = Number(process.env.TONGBU_KILL_SEED ?? 32330)
const kills = Number(process.env.TONGBU_KILLS ?? 3)

/** A small deterministic generator of the kill moments, so a failure can be replayed with TONGBU_KILL_SEED. */
const moments = (n: number, from: number, to: number): Array<number> => {
  let state = seed
  return Array.from({ length: n }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return from + (state % (to - from))
  })
}

const options = {
  customers: 300,
  erpCustomers: 30,
  seed: 5,
  // a few milliseconds per ERP call, so that a run lasts long enough to be killed in the middle of it
  mock: { faults: { name: "latency", all: { latencyMs: [2, 6] as const } } }
}

/** What a person would compare: ERP customers by code, with their assignments and follow-ups; hub rows by id. */
const erpState = (control: MockControl) => {
  const customers = control.customers()
  const codeOf = new Map(customers.map((c) => [c.ord, c.fields.khid ?? `name:${c.fields.name}`]))
  const assignments = new Map<string, number>()
  for (const a of control.assignments())
    assignments.set(codeOf.get(a.ord) ?? "?", (assignments.get(codeOf.get(a.ord) ?? "?") ?? 0) + 1)
  const followUps = control.followUps().map((f) => `${codeOf.get(f.ord)}:${f.text}`)
  return {
    customers: customers
      .map((c) => `${codeOf.get(c.ord)}|${c.fields.name}|${c.fields.mobile ?? ""}|${c.intsort}`)
      .sort(),
    assignments,
    followUps: followUps.sort()
  }
}

const hubState = (s: Scenario) =>
  (
    s.hub
      .prepare(
        "SELECT id, company_name, real_name, phone, erp_customer_code, erp_customer_id IS NOT NULL AS linked, erp_sync_status FROM customers_unified ORDER BY id"
      )
      .all() as Array<Record<string, unknown>>
  ).map((row) => JSON.stringify(row))

const parkedOperations = (layer: Layer.Layer<SyncStore, unknown>) =>
  Effect.gen(function* () {
    const store = yield* SyncStore
    const runs = yield* store.runs(1000)
    const operations = yield* Effect.forEach(runs, (run) => store.operations(run.id))
    return operations.flat().filter((op) => op.state === "parked")
  }).pipe(Effect.provide(layer), Effect.runPromise)

/** A fresh state store for one scenario: how the runner reaches it and how the test reads it afterwards. */
export interface KillStore {
  /** The `state:` keys that point the runner at it, besides `leaseSeconds` (YAML lines indented by two spaces). */
  readonly state: string
  /** Added to the runner's environment (a password, say). */
  readonly env?: Record<string, string>
  /** The same store, for the test's own reading. */
  readonly layer: Layer.Layer<SyncStore, unknown>
  readonly close?: () => Promise<void>
}

const withStore = async (store: (dir: string) => Promise<KillStore>): Promise<[Scenario, KillStore]> => {
  const s = await scenario(options)
  const prepared = await store(s.dir)
  const file = join(s.dir, "tongbu.yaml")
  const yaml = readFileSync(file, "utf8")
  if (!yaml.includes("  database: state.db\n")) throw new Error("the scenario's tongbu.yaml no longer names state.db")
  writeFileSync(file, yaml.replace("  database: state.db\n", `${prepared.state}\n`))
  return [{ ...s, env: { ...s.env, ...prepared.env } }, prepared]
}

/**
 * Registers the kill test over the store `store(dir)` prepares for each scenario's directory (two scenarios: the one
 * killed, and a clean one to compare with).
 */
export const killTest = (name: string, store: (dir: string) => Promise<KillStore>): void => {
  describe(`kill -9 in the middle of a large sync, ${name} (seed ${seed})`, { timeout: 240_000 }, () => {
    let killed: Scenario
    let clean: Scenario
    let killedStore: KillStore
    let cleanStore: KillStore

    beforeAll(async () => {
      ;[[killed, killedStore], [clean, cleanStore]] = await Promise.all([withStore(store), withStore(store)])
    }, 60_000)
    afterAll(async () => {
      await Promise.all([killed?.close(), clean?.close(), killedStore?.close?.(), cleanStore?.close?.()])
    })

    it("restarted after each kill, it ends where a clean run ends: no duplicate, nothing lost", async () => {
      const writes = () => killed.erp.mock.control.writeLog().length
      for (const moment of moments(kills, 20, 400)) {
        const target = writes() + moment
        const child = start(killed.dir, ["sync", "--json"], killed.env)
        const done = finish(child)
        while (writes() < target && child.exitCode === null) await new Promise((r) => setTimeout(r, 10))
        child.kill("SIGKILL")
        const result = await done
        expect(
          result.signal === "SIGKILL" || result.code === 0,
          `exit ${result.code}:\n${result.stdout}\n${result.stderr}`
        ).toBe(true)
      }
      // restarted: it finishes what the killed runs left, then a steady run
      for (const s of [killed, clean]) {
        const first = await tongbu(s.dir, ["sync", "--json"], s.env)
        expect(first.code, first.stderr).toBe(0)
        expect(json(first).status).toBe("completed")
        expect((await tongbu(s.dir, ["sync", "--json"], s.env)).code).toBe(0)
      }

      const after = erpState(killed.erp.mock.control)
      const reference = erpState(clean.erp.mock.control)
      const codes = after.customers.map((c) => c.split("|")[0])
      expect(new Set(codes).size, "an ERP customer was created twice").toBe(codes.length)
      expect(after.customers).toEqual(reference.customers)
      for (const [code, n] of after.assignments) expect(n, `customer ${code} was assigned ${n} times`).toBe(1)
      // one customer may get the same template twice (a summary and a message); never more often than in a clean run
      const tally = (list: ReadonlyArray<string>) =>
        list.reduce((m, f) => m.set(f, (m.get(f) ?? 0) + 1), new Map<string, number>())
      const cleanTally = tally(reference.followUps)
      for (const [f, n] of tally(after.followUps))
        expect(n, `follow-up ${f} recorded ${n} times`).toBeLessThanOrEqual(cleanTally.get(f) ?? 0)
      // an action whose answer was lost with the process cannot be known to have happened: it is parked for a person,
      // never repeated; every other action of the clean run happened
      const parked = (await parkedOperations(killedStore.layer)).filter((op) => op.operation._tag === "Action").length
      const missing =
        reference.assignments.size - after.assignments.size + reference.followUps.length - after.followUps.length
      expect(missing).toBeGreaterThanOrEqual(0)
      expect(missing).toBeLessThanOrEqual(parked)
      expect(hubState(killed)).toEqual(hubState(clean))
    })
  })
}
