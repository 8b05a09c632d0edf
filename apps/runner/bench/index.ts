import { type ChildProcess, spawn } from "node:child_process"
import { createHash } from "node:crypto"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { performance } from "node:perf_hooks"
import { pathToFileURL } from "node:url"
import { generateHubFile, openHubDatabase } from "@tongbu/adapter-wechat-hub"
import { Effect, Exit, Scope } from "effect"

/**
 * End-to-end scenarios of `tongbu sync`, each the real command in its own process against the mock ERP (its own
 * process too) and a generated hub file:
 *
 * 1. first sync of N hub customers into an empty ERP, no latency: customers per second (the process's start-up is
 *    measured apart and taken out) and peak RSS of the runner;
 * 2. the same with 20 ms per ERP call, as a fraction of the bound the configuration sets: creates are one at a time
 *    (allocate → save must not interleave), every other call runs `concurrency` at once;
 * 3. ERP calls per created customer (allocate + save + assignment), against 5 for the flow of the user's documents;
 * 4. a steady-state run over the linked customers with nothing changed: ERP calls by endpoint, hub rows written.
 *
 * N is TONGBU_BENCH_CUSTOMERS (default 10000). Not a test: nothing here fails; it prints a table.
 */

const N = Number(process.env.TONGBU_BENCH_CUSTOMERS ?? 10_000)
const CONCURRENCY = 8
const LATENCY_MS = 20

const runnerDir = resolve(import.meta.dirname, "..")
const tsx = pathToFileURL(join(runnerDir, "node_modules/tsx/dist/loader.mjs")).href
const node = (
  cwd: string,
  script: string,
  args: ReadonlyArray<string>,
  env: Record<string, string> = {}
): ChildProcess =>
  spawn(process.execPath, ["--import", tsx, script, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })

/** Peak resident memory of a running process (Linux: VmHWM), sampled until it exits. */
const peakRss = (pid: number | undefined): number => {
  if (pid === undefined) return 0
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmHWM:\s+(\d+) kB/m)
    return line?.[1] === undefined ? 0 : Number(line[1]) * 1024
  } catch {
    return 0
  }
}

interface Ran {
  readonly ms: number
  readonly peakRss: number
  readonly stdout: string
  readonly code: number | null
}

const run = (child: ChildProcess): Promise<Ran> =>
  new Promise((done) => {
    const started = performance.now()
    let stdout = ""
    let stderr = ""
    let peak = 0
    const sampler = setInterval(() => (peak = Math.max(peak, peakRss(child.pid))), 50)
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("close", (code) => {
      clearInterval(sampler)
      if (code !== 0) process.stderr.write(stderr)
      done({ ms: performance.now() - started, peakRss: peak, stdout, code })
    })
  })

/** The mock ERP in its own process, with its control API for call counts and faults. */
const startMock = async (dir: string) => {
  const child = node(dir, join(runnerDir, "node_modules/@tongbu/mock-erp/src/bin.ts"), ["--port", "0", "--control"])
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
  return { url, control, stop: () => child.kill("SIGTERM") }
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

const setup = async (latencyMs: number) => {
  const dir = mkdtempSync(join(tmpdir(), "tongbu-bench-"))
  await Effect.runPromise(generateHubFile(join(dir, "hub.db"), { customers: N, seed: 42 }))
  const mock = await startMock(dir)
  if (latencyMs > 0)
    await mock.control("/faults", {
      profile: { name: `latency${latencyMs}`, all: { latencyMs: [latencyMs, latencyMs] } }
    })
  writeFileSync(join(dir, "erp-password"), "admin123\n")
  writeFileSync(join(dir, "tongbu.yaml"), configOf(mock.url))
  const tongbu = (...args: Array<string>) => run(node(dir, join(runnerDir, "src/bin.ts"), args))
  return { dir, mock, tongbu }
}

const sum = (counts: Record<string, number>, ...endpoints: Array<string>) =>
  endpoints.reduce((n, e) => n + (counts[e] ?? 0), 0)
const diff = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, v - (before[k] ?? 0)])
      .filter(([, v]) => Number(v) > 0)
  )

const rows: Array<[string, string, string, string]> = []
const row = (scenario: string, measure: string, value: string, target: string) => {
  rows.push([scenario, measure, value, target])
  process.stderr.write(`${scenario}: ${measure} = ${value}\n`)
}

// 1 + 3 + 4: no latency
{
  const { dir, mock, tongbu } = await setup(0)
  const startup = await tongbu("runs", "--json")
  const first = await tongbu("sync", "--json")
  const report = JSON.parse(first.stdout)
  const created = report.items.filter(
    (i: { operation: string; hubId: string | null; erpId: string | null }) => i.operation === "create"
  ).length
  const netMs = first.ms - startup.ms
  row(
    `first sync, ${N} hub customers, 0 ms`,
    "hub customers/s (start-up taken out)",
    (N / (netMs / 1000)).toFixed(0),
    "≥ 1000"
  )
  row(`first sync, ${N} hub customers, 0 ms`, "ERP customers created", String(created), "")
  row(
    `first sync, ${N} hub customers, 0 ms`,
    "wall time (start-up)",
    `${(first.ms / 1000).toFixed(1)} s (${(startup.ms / 1000).toFixed(1)} s)`,
    ""
  )
  row(
    `first sync, ${N} hub customers, 0 ms`,
    "peak RSS of the runner",
    `${(first.peakRss / 2 ** 20).toFixed(0)} MB`,
    "≤ 300 MB"
  )
  const calls = await mock.control("/call-counts")
  const perCreate = sum(calls, "customer.allocate", "customer.save", "assign") / created
  row("ERP calls per created customer", "allocate + save + assign", perCreate.toFixed(2), "≤ 3 (documented flow: 5)")
  row(
    "ERP calls per created customer",
    "every call of the run",
    (Object.values(calls).reduce((a, b) => a + b, 0) / created).toFixed(2),
    ""
  )
  // the follow-ups of the customers the first run linked go out with the next run; the run after it is steady
  await tongbu("sync", "--json")
  const before = await mock.control("/call-counts")
  const hubBefore = await hubSnapshot(join(dir, "hub.db"))
  const steady = await tongbu("sync", "--json")
  const hubAfter = await hubSnapshot(join(dir, "hub.db"))
  const steadyCalls = diff(await mock.control("/call-counts"), before)
  const written = [...hubAfter].filter(([id, hash]) => hubBefore.get(id) !== hash).length
  const linked = JSON.parse(steady.stdout).counts.unchanged
  row(
    `steady state, ${linked} linked, nothing changed`,
    "ERP calls",
    JSON.stringify(steadyCalls),
    "list pages (+ login) only"
  )
  row(`steady state, ${linked} linked, nothing changed`, "hub rows written", String(written), "0")
  row(`steady state, ${linked} linked, nothing changed`, "wall time", `${(steady.ms / 1000).toFixed(1)} s`, "")
  mock.stop()
}

// 2: 20 ms per ERP call
{
  const { mock, tongbu } = await setup(LATENCY_MS)
  const startup = await tongbu("runs", "--json")
  const first = await tongbu("sync", "--json")
  const calls = await mock.control("/call-counts")
  const serial = sum(calls, "customer.allocate", "customer.save")
  const parallel = Object.values(calls).reduce((a, b) => a + b, 0) - serial
  const boundMs = serial * LATENCY_MS + (parallel * LATENCY_MS) / CONCURRENCY
  const netMs = first.ms - startup.ms
  row(`first sync, ${N} hub customers, ${LATENCY_MS} ms/call`, "hub customers/s", (N / (netMs / 1000)).toFixed(0), "")
  row(
    `first sync, ${N} hub customers, ${LATENCY_MS} ms/call`,
    `fraction of the bound (creates serial, ${CONCURRENCY} other calls at once)`,
    `${((100 * boundMs) / netMs).toFixed(0)}%`,
    "≥ 85%"
  )
  mock.stop()
}

const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...[["scenario", "measure", "value", "target"], ...rows].map((r) => r[i]!.length))
)
const line = (r: ReadonlyArray<string>) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")
console.log(
  [
    "",
    line(["scenario", "measure", "value", "target"]),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line)
  ].join("\n")
)
