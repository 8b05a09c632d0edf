import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { performance } from "node:perf_hooks"
import { generateHubFile, openHubDatabase } from "@tongbu/adapter-wechat-hub"
import { Effect, Exit, Scope } from "effect"
import { procOf } from "./proc.js"
import { printTable } from "./table.js"

/**
 * End-to-end scenarios of `tongbu sync`, each the bundled command (`dist/tongbu.mjs`, built first when stale) in its
 * own process against the bundled mock ERP (`dist/mock-erp.mjs`, its own process too) and a generated hub file. For
 * each size N of TONGBU_BENCH_SIZES (default 10000; e.g. 10000,30000,100000 for the growth of memory):
 *
 * 1. first sync of N hub customers into an empty ERP, no latency: customers per second (the process's start-up is
 *    measured apart and taken out), the runner's CPU and peak RSS, and the mock's CPU apart;
 * 2. the run after it (the first run's follow-ups): detail reads of the customers the first run created;
 * 3. a steady-state run over the linked customers with nothing changed: wall time, ERP calls by endpoint, hub rows
 *    written.
 *
 * Then, with 20 ms per ERP call, a first sync of TONGBU_BENCH_LATENCY_CUSTOMERS (default 1000; 0 skips it) as a
 * fraction of the bound the configuration sets: creates are one at a time (allocate → save must not interleave), every
 * other call runs `concurrency` at once. The table prints each target of issue 13 beside what was measured. Not a
 * test: nothing here fails.
 */

const sizes = (process.env.TONGBU_BENCH_SIZES ?? "10000").split(",").map(Number)
const latencyCustomers = Number(process.env.TONGBU_BENCH_LATENCY_CUSTOMERS ?? 1000)
const CONCURRENCY = 8
const LATENCY_MS = 20

const runnerDir = resolve(import.meta.dirname, "..")
const built = spawnSync(process.execPath, [join(runnerDir, "scripts/build.mjs"), "--if-stale"], { stdio: "inherit" })
if (built.status !== 0) throw new Error("building the bundles failed")

const node = (cwd: string, bundle: string, args: ReadonlyArray<string>): ChildProcess =>
  spawn(process.execPath, [join(runnerDir, "dist", bundle), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd },
    stdio: ["ignore", "pipe", "pipe"]
  })

interface Ran {
  readonly ms: number
  readonly peakRss: number
  /** Sampled every 20 ms while it ran: short by at most that. */
  readonly cpuMs: number
  readonly stdout: string
}

const run = (child: ChildProcess): Promise<Ran> =>
  new Promise((done, fail) => {
    const started = performance.now()
    let stdout = ""
    let stderr = ""
    const last = { cpuMs: 0, peakRss: 0 }
    // an exited process not yet reaped still shows its CPU, but no longer its memory
    const sample = () => {
      const now = procOf(child.pid)
      last.cpuMs = Math.max(last.cpuMs, now.cpuMs)
      last.peakRss = Math.max(last.peakRss, now.peakRss)
    }
    const sampler = setInterval(sample, 20)
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("exit", sample)
    child.on("close", (code) => {
      clearInterval(sampler)
      if (code !== 0) fail(new Error(`tongbu exited with ${code}:\n${stderr}`))
      else done({ ms: performance.now() - started, ...last, stdout })
    })
  })

/** The mock ERP in its own process, with its control API for call counts. */
const startMock = async (dir: string) => {
  const child = node(dir, "mock-erp.mjs", ["--port", "0", "--control"])
  const url = await new Promise<string>((found, fail) => {
    let out = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      const match = out.match(/listening on (http:\/\/\S+)/)
      if (match?.[1] !== undefined) found(match[1])
    })
    child.on("exit", () => fail(new Error(`the mock ERP did not start:\n${out}`)))
  })
  const control = (path: string, body?: unknown) =>
    fetch(
      `${url}/__mock${path}`,
      body === undefined
        ? {}
        : { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } }
    ).then((r) => r.json() as Promise<Record<string, number>>)
  return { url, control, cpuMs: () => procOf(child.pid).cpuMs, stop: () => child.kill("SIGTERM") }
}

const configOf = (url: string) => `erp:
  url: ${url}
  user: admin
  passwordFile: erp-password
  concurrency: ${CONCURRENCY}
  requestsPerSecond: 1000000
hub:
  database: hub.db
  intake: false
state:
  database: state.db
mapping:
  assignment:
    top: { minScore: 80, salespeople: ["61", "62"] }
    general: { minScore: 60, salespeople: ["63", "64"] }
log:
  level: warning
`

/** Each hub row's content, to count the rows a run wrote. */
const hubSnapshot = async (path: string): Promise<Map<number, string>> => {
  const scope = await Effect.runPromise(Scope.make())
  const db = await Effect.runPromise(Scope.extend(openHubDatabase({ path, busyTimeoutMs: 5000 }), scope))
  const rows = db.prepare("SELECT * FROM customers_unified").all() as Array<Record<string, unknown>>
  await Effect.runPromise(Scope.close(scope, Exit.void))
  return new Map(rows.map((row) => [Number(row.id), createHash("sha1").update(JSON.stringify(row)).digest("hex")]))
}

const setup = async (customers: number, latencyMs: number) => {
  const dir = mkdtempSync(join(tmpdir(), "tongbu-bench-"))
  await Effect.runPromise(generateHubFile(join(dir, "hub.db"), { customers, seed: 42 }))
  const mock = await startMock(dir)
  if (latencyMs > 0)
    await mock.control("/faults", {
      profile: { name: `latency${latencyMs}`, all: { latencyMs: [latencyMs, latencyMs] } }
    })
  writeFileSync(join(dir, "erp-password"), "admin123\n")
  writeFileSync(join(dir, "tongbu.yaml"), configOf(mock.url))
  const tongbu = (...args: Array<string>) => run(node(dir, "tongbu.mjs", args))
  /** A run of the command, with the mock's CPU and the ERP calls while it ran. */
  const measured = async (...args: Array<string>) => {
    const [calls, cpu] = [await mock.control("/call-counts"), mock.cpuMs()]
    const ran = await tongbu(...args)
    return { ...ran, mockCpuMs: mock.cpuMs() - cpu, calls: diff(await mock.control("/call-counts"), calls) }
  }
  const done = () => {
    mock.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  return { dir, mock, tongbu, measured, done }
}

const sum = (counts: Record<string, number>, ...endpoints: Array<string>) =>
  endpoints.reduce((n, e) => n + (counts[e] ?? 0), 0)
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)
const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)] as const)
      .filter(([, v]) => v > 0)
  )
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`

type Row = readonly [scenario: string, measure: string, value: string, target: string, met: string]
const rows: Array<Row> = []
const row = (scenario: string, measure: string, value: string, target = "", met?: boolean) => {
  rows.push([scenario, measure, value, target, met === undefined ? "" : met ? "met" : "NOT MET"])
  process.stderr.write(`${scenario}: ${measure} = ${value}\n`)
}

process.stderr.write(
  `bench: sizes ${sizes.join(", ")}; latency run ${latencyCustomers > 0 ? `${latencyCustomers} customers` : "skipped"}\n`
)
const peaks = new Map<number, number>()
for (const n of sizes) {
  const { dir, tongbu, measured, done } = await setup(n, 0)
  const startup = await tongbu("runs", "--json")
  const first = await measured("sync", "--json")
  const created = JSON.parse(first.stdout).items.filter((i: { operation: string }) => i.operation === "create").length
  const scenario = `first sync, ${n} hub customers, 0 ms`
  const netMs = first.ms - startup.ms
  peaks.set(n, first.peakRss)
  row(
    scenario,
    "hub customers/s, wall (start-up taken out)",
    (n / (netMs / 1000)).toFixed(0),
    "≥ 1000",
    n / (netMs / 1000) >= 1000
  )
  row(scenario, "hub customers/s, runner CPU", (n / (first.cpuMs / 1000)).toFixed(0))
  row(scenario, "wall (start-up alone)", `${seconds(first.ms)} (${seconds(startup.ms)})`)
  row(scenario, "CPU: runner / mock ERP", `${seconds(first.cpuMs)} / ${seconds(first.mockCpuMs)}`)
  row(scenario, "ERP customers created", String(created))
  row(scenario, "peak RSS of the runner", mb(first.peakRss), "≤ 300 MB", first.peakRss <= 300 * 2 ** 20)
  row(
    scenario,
    "ERP calls per created customer: allocate + save + assign",
    (sum(first.calls, "customer.allocate", "customer.save", "assign") / created).toFixed(2),
    "≤ 3"
  )
  row(scenario, "ERP calls per created customer: all", (total(first.calls) / created).toFixed(2))

  // the follow-ups of the customers the first run linked go out with the next run; the run after it is steady
  const second = await measured("sync", "--json")
  const details = second.calls["customer.detail"] ?? 0
  row(`run after it`, "detail reads (customers created before)", `${details} (${created})`, "0", details === 0)
  row(
    `run after it`,
    "wall; CPU runner / mock",
    `${seconds(second.ms)}; ${seconds(second.cpuMs)} / ${seconds(second.mockCpuMs)}`
  )

  const hubBefore = await hubSnapshot(join(dir, "hub.db"))
  const steady = await measured("sync", "--json")
  const hubAfter = await hubSnapshot(join(dir, "hub.db"))
  const written = [...hubAfter].filter(([id, hash]) => hubBefore.get(id) !== hash).length
  const linked = JSON.parse(steady.stdout).counts.unchanged
  const lists = sum(steady.calls, "customer.list", "contact.list", "login", "logout")
  const steadyScenario = `steady state, ${linked} linked, nothing changed`
  row(steadyScenario, "wall", seconds(steady.ms), "< 3 s", steady.ms < 3000)
  row(steadyScenario, "CPU: runner / mock ERP", `${seconds(steady.cpuMs)} / ${seconds(steady.mockCpuMs)}`)
  row(
    steadyScenario,
    "ERP calls",
    JSON.stringify(steady.calls),
    "list pages + login/logout",
    lists === total(steady.calls)
  )
  row(steadyScenario, "hub rows written", String(written), "0", written === 0)
  done()
}
const [smallest, largest] = [Math.min(...peaks.keys()), Math.max(...peaks.keys())]
if (largest > smallest) {
  const growth = peaks.get(largest)! / peaks.get(smallest)! - 1
  row(
    `peak RSS, ${largest} vs ${smallest} customers`,
    "growth",
    `${(100 * growth).toFixed(0)}%`,
    "≤ 20%",
    growth <= 0.2
  )
}

if (latencyCustomers > 0) {
  const { tongbu, measured, done } = await setup(latencyCustomers, LATENCY_MS)
  const startup = await tongbu("runs", "--json")
  const first = await measured("sync", "--json")
  const serial = sum(first.calls, "customer.allocate", "customer.save")
  const boundMs = serial * LATENCY_MS + ((total(first.calls) - serial) * LATENCY_MS) / CONCURRENCY
  const netMs = first.ms - startup.ms
  const scenario = `first sync, ${latencyCustomers} hub customers, ${LATENCY_MS} ms/call`
  row(scenario, "hub customers/s", (latencyCustomers / (netMs / 1000)).toFixed(0))
  row(
    scenario,
    `bound (creates serial, ${CONCURRENCY} other calls at once) / wall`,
    `${seconds(boundMs)} / ${seconds(netMs)}`
  )
  row(scenario, "fraction of the bound", `${((100 * boundMs) / netMs).toFixed(0)}%`, "≥ 85%", boundMs / netMs >= 0.85)
  done()
}
row(
  "outbox and planner",
  "see @tongbu/core's bench (same `pnpm bench`)",
  "",
  "outbox ≥ 30% of raw inserts; planner full 100k < 300 ms, < 300 MB"
)

printTable(["scenario", "measure", "value", "target", "met"], rows)
