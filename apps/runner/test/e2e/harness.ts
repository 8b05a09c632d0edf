import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { generateHubFile, openHubDatabase } from "@tongbu/adapter-wechat-hub"
import type { Served, ServeOptions } from "@tongbu/mock-erp"
import { serveMockErp } from "@tongbu/mock-erp"
import { Effect, Exit, Scope } from "effect"

// the bundle, as `pnpm tongbu` and the packed tarball run it (built by ./bundle.ts before the tests)
const bin = join(resolve(import.meta.dirname, "../.."), "dist/tongbu.mjs")

export interface Result {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** `tongbu <args>` as a user runs it: its own Node process, in `cwd`, with `env` added to a clean environment. */
export const start = (cwd: string, args: ReadonlyArray<string>, env: Record<string, string> = {}): ChildProcess =>
  spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? cwd, ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })

export const finish = (child: ChildProcess): Promise<Result> =>
  new Promise((done, fail) => {
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
    child.on("error", fail)
    child.on("close", (code, signal) => done({ code, signal, stdout, stderr }))
  })

export const tongbu = (cwd: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  finish(start(cwd, args, env))

/** The `--json` object a command printed; fails the test with its output when there is none. */
// biome-ignore lint/suspicious/noExplicitAny: tests read the JSON field by field
export const json = (result: Result): any => {
  try {
    return JSON.parse(result.stdout)
  } catch {
    throw new Error(`no JSON on stdout (exit ${result.code}):\n${result.stdout}\n${result.stderr}`)
  }
}

/** A connection to a hub file, as the hub's own code would hold one. */
export type HubDb = Effect.Effect.Success<ReturnType<typeof openHubDatabase>>

export interface Scenario {
  readonly dir: string
  readonly hubDb: string
  readonly erp: Served
  /** The environment of every `tongbu` call: the ERP account; the rest comes from `tongbu.yaml` in `dir`. */
  readonly env: Record<string, string>
  readonly hub: HubDb
  readonly close: () => Promise<void>
}

/** The configuration the scenarios share: the mock's account, fast limits, a short lease, assignment tiers. */
export const config = (url: string, extra = "") => `erp:
  url: ${url}
  user: admin
  concurrency: 4
  requestsPerSecond: 1000
hub:
  database: hub.db
  intake: false
state:
  database: state.db
  leaseSeconds: 2
sync:
  maxAttempts: 3
mapping:
  assignment:
    top: { minScore: 80, salespeople: ["61", "62"] }
    general: { minScore: 60, salespeople: ["63", "64"] }
${extra}`

/** A generated hub file and a mock ERP on a free 127.0.0.1 port, in a fresh directory with its `tongbu.yaml`. */
export const scenario = async (options: {
  readonly customers: number
  readonly erpCustomers: number
  readonly seed: number
  readonly mock?: ServeOptions
  readonly extraConfig?: string
}): Promise<Scenario> => {
  const dir = mkdtempSync(join(tmpdir(), "tongbu-e2e-"))
  const hubDb = join(dir, "hub.db")
  await Effect.runPromise(generateHubFile(hubDb, { customers: options.customers, seed: options.seed }))
  const erp = await serveMockErp({
    port: 0,
    seed: { customers: options.erpCustomers, seed: options.seed },
    ...options.mock
  })
  writeFileSync(join(dir, "tongbu.yaml"), config(erp.url, options.extraConfig))
  const scope = await Effect.runPromise(Scope.make())
  const hub = await Effect.runPromise(Scope.extend(openHubDatabase({ path: hubDb, busyTimeoutMs: 5000 }), scope))
  return {
    dir,
    hubDb,
    erp,
    env: { TONGBU_ERP_PASSWORD: "admin123" },
    hub,
    close: async () => {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      await erp.close()
    }
  }
}
