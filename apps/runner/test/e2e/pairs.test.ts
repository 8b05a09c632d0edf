import { spawn } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { buildFixturePair } from "./fixturePair.js"
import { finish, json, tongbu } from "./harness.js"

const fixture = resolve(import.meta.dirname, "../fixtures/memory-pair")
const seeded = readFileSync(join(fixture, "tongbu.yaml"), "utf8")
// tsx runs the team's TypeScript bin as it is, as `node --import tsx bin.ts` would from the team's repository
const tsx = join(dirname(createRequire(import.meta.url).resolve("tsx")), "esm/index.mjs")

const teamBin = (cwd: string, args: ReadonlyArray<string>) =>
  finish(
    spawn(process.execPath, ["--import", tsx, join(fixture, "bin.ts"), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: cwd },
      stdio: ["ignore", "pipe", "pipe"]
    })
  )

describe("a pair module defined outside packages/", { timeout: 120_000 }, () => {
  it("runs through the library entry point: a team's 6-line bin has sync and runs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-library-"))
    writeFileSync(join(dir, "tongbu.yaml"), seeded)
    const version = await teamBin(dir, ["--version"])
    expect(version.stdout.trim()).toBe("1.0.0")
    const synced = await teamBin(dir, ["sync", "--json"])
    expect(synced.code, synced.stderr).toBe(0)
    expect(json(synced).counts.created).toBe(3)
    const runs = await teamBin(dir, ["runs", "--json"])
    expect(runs.code, runs.stderr).toBe(0)
    expect(json(runs).runs.map((run: { status: string }) => run.status)).toEqual(["completed"])
    const demo = await teamBin(dir, ["demo"])
    expect(demo.code).toBe(2)
    expect(demo.stderr).toContain("demo is not available for the pair memory")
  })
})

describe("pair: in tongbu.yaml, loaded by the bundled runner at run time", { timeout: 120_000 }, () => {
  let dir = ""
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "tongbu-pair-"))
    await buildFixturePair(join(dir, "memory.mjs"))
  })

  it("init --pair writes that pair's keys and `pair:`; sync and runs run it", async () => {
    const init = await tongbu(dir, ["init", "--pair", "./memory.mjs", "--json"])
    expect(init.code, init.stderr).toBe(0)
    expect(json(init).pair).toBe("memory")
    const written = readFileSync(join(dir, "tongbu.yaml"), "utf8")
    expect(written).toContain('pair: "./memory.mjs"')
    expect(written).toContain("left:\n  customers: []")
    expect(written).not.toContain("erp:")
    writeFileSync(join(dir, "tongbu.yaml"), `pair: ./memory.mjs\n${seeded}`)
    const synced = await tongbu(dir, ["sync", "--json"])
    expect(synced.code, synced.stderr).toBe(0)
    expect(json(synced).counts.created).toBe(3)
    const runs = await tongbu(dir, ["runs", "--json"])
    expect(json(runs).runs).toHaveLength(1)
    const mock = await tongbu(dir, ["mock-erp"])
    expect(mock.code).toBe(2)
    expect(mock.stderr).toContain("mock-erp is not available for the pair memory")
  })

  it("a module that is not a pair, or is not there, is named with the key and the file", async () => {
    writeFileSync(join(dir, "not-a-pair.mjs"), "export default { name: 'x' }\n")
    for (const [spec, why] of [
      ["./not-a-pair.mjs", "the module exports no pair"],
      ["./missing.mjs", "cannot load it"],
      ["no-such-pair-package", "no such package is installed"]
    ] as const) {
      const file = join(dir, `${spec.replace(/\W/g, "")}.yaml`)
      writeFileSync(file, `pair: ${spec}\n`)
      const result = await tongbu(dir, ["sync", "--config", file])
      expect(result.code, spec).toBe(2)
      expect(result.stderr).toContain(`key \`pair\` in ${file} names the pair ${spec}: ${why}`)
    }
  })

  it("a configuration without pair:, or naming hub-zhibang, runs the hub↔ERP pair, as before", async () => {
    for (const head of ["", "pair: hub-zhibang\n"]) {
      const file = join(dir, "default.yaml")
      writeFileSync(file, `${head}erp:\n  concurrency: 2\n`)
      const result = await tongbu(dir, ["sync", "--config", file])
      expect(result.code, head).toBe(2)
      expect(result.stderr).toContain("the hub database is not configured: set TONGBU_HUB_DB")
    }
  })
})
