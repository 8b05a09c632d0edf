import { type ChildProcess, spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { generateHubFile } from "@tongbu/adapter-wechat-hub"
import type { Served } from "@tongbu/mock-erp"
import { serveMockErp } from "@tongbu/mock-erp"
import { Effect } from "effect"
import { procOf } from "./proc.js"
import { type BenchStore, stores } from "./stores.js"
import { printTable } from "./table.js"

/**
 * The daemon's figures of issue 12, for each state store (`stores.ts`): the bundled `tongbu daemon` in its own
 * process, the mock ERPs (one per pair, each its own account and data) inside this process, so that the daemon's CPU
 * is its own.
 *
 * 1. One daemon with TONGBU_BENCH_PAIRS pairs (default 100) in steady state: once every pair's first sync is done,
 *    its CPU and resident memory over a window of TONGBU_BENCH_WINDOW seconds (default 30) while every pair runs a
 *    push every 10 s and a pull every 15 s, with nothing to do; per pair, against the same daemon with one pair
 *    measured in the same run (the baseline).
 * 2. Takeover: two daemons on 12 pairs, each pair running every second against an ERP of 30 ms per call; the first is
 *    killed with SIGKILL: for each pair, the time from the kill to the survivor's first call to its ERP, against the
 *    lease's life (a pair whose lease the dead daemon held waits for it to expire; the others, for their next tick).
 *    A daemon keeps its ERP sessions open between runs, so the ERPs cannot tell which pairs were held: the pairs that
 *    waited more than one schedule period are counted apart.
 */

const runnerDir = resolve(import.meta.dirname, "..")
const PAIRS = Number(process.env.TONGBU_BENCH_PAIRS ?? 100)
const WINDOW_S = Number(process.env.TONGBU_BENCH_WINDOW ?? 30)
const TAKEOVER_PAIRS = 12
const LEASE_S = 3
/** The takeover scenario's schedule: a push every second. */
const TICK_MS = 1000

const freePort = (): Promise<number> =>
  new Promise((found) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => found(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

interface Fleet {
  readonly dir: string
  readonly ids: ReadonlyArray<string>
  readonly env: Record<string, string>
  readonly daemon: () => Promise<{ child: ChildProcess; port: number }>
  readonly erps: ReadonlyArray<Served>
  readonly close: () => Promise<void>
}

/** `count` pairs, each a generated hub and a mock ERP of its own, in one `pairs:` file naming `store`. */
const fleet = async (
  store: BenchStore,
  count: number,
  options: { schedules: string; latencyMs: number; leaseSeconds: number }
): Promise<Fleet> => {
  const dir = mkdtempSync(join(tmpdir(), "tongbu-bench-daemon-"))
  const ids = Array.from({ length: count }, (_, i) => `p${i + 1}`)
  const erps: Array<Served> = []
  const target = await store.open(ids)
  for (const [i, id] of ids.entries()) {
    mkdirSync(join(dir, id))
    await Effect.runPromise(generateHubFile(join(dir, id, "hub.db"), { customers: 10, seed: 100 + i }))
    erps.push(
      await serveMockErp({
        port: 0,
        seed: { customers: 3, seed: 100 + i },
        ...(options.latencyMs > 0
          ? { faults: { name: "latency", all: { latencyMs: [options.latencyMs, options.latencyMs] } } }
          : {})
      })
    )
  }
  const entries = ids.map(
    (id, i) => `  - id: ${id}
    erp: { url: "${erps[i]!.url}", user: admin, concurrency: 4, requestsPerSecond: 1000 }
    hub: { database: ${id}/hub.db, intake: false }
    state: { ${target.state(id)}leaseSeconds: ${options.leaseSeconds} }
    schedules: ${options.schedules}
    mapping:
      assignment:
        top: { minScore: 80, salespeople: ["61", "62"] }
        general: { minScore: 60, salespeople: ["63", "64"] }
`
  )
  const yaml = `pairs:\n${entries.join("")}log:\n  level: warning\n`
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? dir,
    ...target.env,
    ...Object.fromEntries(ids.map((id) => [`TONGBU_${id.toUpperCase()}_ERP_PASSWORD`, "admin123"]))
  }
  // the daemons share the pairs; each its own file only for its own port
  const daemon = async () => {
    const port = await freePort()
    const file = join(dir, `tongbu-${port}.yaml`)
    writeFileSync(file, `${yaml}daemon:\n  port: ${port}\n`)
    const child = spawn(process.execPath, [join(runnerDir, "dist/tongbu.mjs"), "daemon", "--config", file], {
      cwd: dir,
      env,
      stdio: ["ignore", "ignore", "inherit"]
    })
    return { child, port }
  }
  const close = async () => {
    for (const erp of erps) await erp.close()
    await target.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return { dir, ids, env, daemon, erps, close }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const until = async (what: string, probe: () => Promise<boolean>, ms: number) => {
  const deadline = Date.now() + ms
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(500)
  }
}

interface Health {
  readonly pairs: ReadonlyArray<{ id: string; lastRun: { status: string } | null }>
}
const health = (port: number): Promise<Health | undefined> =>
  fetch(`http://127.0.0.1:${port}/healthz`)
    .then((r) => r.json() as Promise<Health>)
    .catch(() => undefined)

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`

type Row = readonly [string, string, string, string]
const rows: Array<Row> = []
const row = (scenario: string, measure: string, value: string, baseline = "") => {
  rows.push([scenario, measure, value, baseline])
  process.stderr.write(`${scenario}: ${measure} = ${value}\n`)
}

/** The daemon's CPU and memory over the window, once each pair's first run is done. */
const steadyState = async (store: BenchStore, count: number) => {
  const f = await fleet(store, count, {
    schedules: `{ push: "*/10 * * * * *", pull: "*/15 * * * * *", full: "0 0 1 1 *" }`,
    latencyMs: 0,
    leaseSeconds: 60
  })
  const { child, port } = await f.daemon()
  await until(
    `the first run of ${count} pairs`,
    async () => (await health(port))?.pairs.every((p) => p.lastRun?.status === "completed") ?? false,
    600_000
  )
  await sleep(10_000)
  const before = procOf(child.pid)
  const mockBefore = process.cpuUsage()
  let rss = 0
  for (let t = 0; t < WINDOW_S; t++) {
    await sleep(1000)
    rss = Math.max(rss, procOf(child.pid).rss)
  }
  const after = procOf(child.pid)
  const mock = process.cpuUsage(mockBefore)
  child.kill("SIGTERM")
  await new Promise((r) => child.on("close", r))
  await f.close()
  return { cpuMs: after.cpuMs - before.cpuMs, rss, peakRss: after.peakRss, mockCpuMs: (mock.user + mock.system) / 1000 }
}

/** Two daemons on the same pairs; the first killed: how long each pair waits for the survivor's first ERP call. */
const takeover = async (store: BenchStore) => {
  const f = await fleet(store, TAKEOVER_PAIRS, {
    schedules: `{ push: "* * * * * *", pull: "0 0 1 1 *", full: "0 0 1 1 *" }`,
    latencyMs: 30,
    leaseSeconds: LEASE_S
  })
  const first = await f.daemon()
  await until(
    "a first run of every pair",
    async () => (await health(first.port))?.pairs.every((p) => p.lastRun?.status === "completed") ?? false,
    300_000
  )
  const second = await f.daemon()
  await sleep(4000)
  first.child.kill("SIGKILL")
  const killedAt = Date.now()
  await until(
    "a call of every pair's ERP after the kill",
    async () => f.erps.every((erp) => erp.mock.control.callLog().some((c) => c.at > killedAt)),
    120_000
  )
  const waits = f.erps.map(
    (erp) => (erp.mock.control.callLog().find((c) => c.at > killedAt)?.at ?? Number.NaN) - killedAt
  )
  second.child.kill("SIGTERM")
  await new Promise((r) => second.child.on("close", r))
  await f.close()
  return waits
}

const median = (values: ReadonlyArray<number>) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0

for (const store of stores) {
  const one = await steadyState(store, 1)
  const many = await steadyState(store, PAIRS)
  const scenario = `${store.name}: one daemon, ${PAIRS} pairs, steady state (${WINDOW_S} s)`
  const perPairCpu = many.cpuMs / PAIRS / WINDOW_S / 10
  row(
    scenario,
    "CPU per pair, % of a core",
    `${perPairCpu.toFixed(3)}%`,
    `1 pair: ${(one.cpuMs / WINDOW_S / 10).toFixed(3)}%`
  )
  row(
    scenario,
    "resident memory: whole daemon; per pair beyond the first",
    `${mb(many.rss)}; ${mb((many.rss - one.rss) / (PAIRS - 1))}`,
    `1 pair: ${mb(one.rss)}`
  )
  row(scenario, "peak RSS (first syncs included)", mb(many.peakRss), `1 pair: ${mb(one.peakRss)}`)
  row(scenario, "mock ERPs' CPU (this process), whole window", `${(many.mockCpuMs / 1000).toFixed(1)} s`)

  const waits = await takeover(store)
  const held = waits.filter((ms) => ms > TICK_MS)
  const takeoverScenario = `${store.name}: a daemon killed (SIGKILL), ${TAKEOVER_PAIRS} pairs, 2 daemons`
  row(
    takeoverScenario,
    "kill → the survivor's first call to each pair's ERP, median / max",
    `${median(waits)} / ${Math.max(...waits)} ms`,
    `lease ${LEASE_S * 1000} ms`
  )
  row(
    takeoverScenario,
    `pairs that waited longer than a tick (${TICK_MS} ms): how many, median`,
    held.length === 0 ? "0" : `${held.length}, ${median(held)} ms`,
    `lease ${LEASE_S * 1000} ms`
  )
}

printTable(["scenario", "measure", "value", "baseline (same run)"], rows)
