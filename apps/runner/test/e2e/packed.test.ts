import { execFileSync, spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { buildFixturePair } from "./fixturePair.js"
import { finish, json } from "./harness.js"

const runnerDir = resolve(import.meta.dirname, "../..")
const { version } = JSON.parse(readFileSync(join(runnerDir, "package.json"), "utf8"))

// an empty directory with an empty npm cache and --offline: nothing can come from a registry or a compiler
const install = (tarball: string) => {
  const dir = mkdtempSync(join(tmpdir(), "tongbu-packed-"))
  execFileSync(
    "npm",
    ["install", "--offline", "--no-audit", "--no-fund", "--cache", join(dir, ".npm-cache"), tarball],
    { cwd: dir, env: { PATH: process.env.PATH ?? "", HOME: dir }, stdio: "pipe" }
  )
  return dir
}

const installed = (dir: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  finish(
    spawn(join(dir, "node_modules/.bin/tongbu"), args, {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: dir, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
  )

describe("the packed runner", { timeout: 120_000 }, () => {
  let dir = ""
  beforeAll(() => {
    const tarball = execFileSync(process.execPath, [join(runnerDir, "scripts/pack.mjs")], { cwd: runnerDir })
      .toString()
      .trim()
    expect(tarball).toBe(join(runnerDir, "dist", `tongbu-${version}.tgz`))
    dir = install(tarball)
  }, 120_000)

  it("installs offline into an empty directory with its native module and runs as `tongbu`", async () => {
    expect(
      existsSync(join(dir, "node_modules/tongbu/node_modules/better-sqlite3/build/Release/better_sqlite3.node"))
    ).toBe(true)
    // both stores' migrations travel beside the bundle (the PostgreSQL driver is inside it)
    for (const store of ["store-sqlite", "store-postgres"])
      expect(existsSync(join(dir, "node_modules/tongbu/migrations", store, "meta/_journal.json")), store).toBe(true)
    const result = await installed(dir, ["--version"])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout.trim()).toBe(version)
  })

  it("syncs a generated hub with the mock ERP both ways, then reads its history from the store", async () => {
    const demo = join(dir, "demo")
    const result = await installed(dir, ["demo", "--json", "--dir", demo, "--customers", "60", "--erp-customers", "10"])
    expect(result.code, result.stderr).toBe(0)
    const out = json(result)
    expect(out.first.status).toBe("completed")
    expect(out.first.counts.created).toBeGreaterThan(10)
    expect(out.erp.customers).toBeGreaterThan(10)
    expect(out.secondRun).toEqual({ erpWrites: 0, hubRowsWritten: 0 })

    const runs = await installed(dir, ["runs", "--json", "--config", join(demo, "tongbu.yaml")])
    expect(runs.code, runs.stderr).toBe(0)
    expect(json(runs).runs.map((r: { status: string }) => r.status)).toEqual(["completed", "completed", "completed"])

    // a Chinese locale gets Chinese text by default; --lang and TONGBU_LANG choose otherwise
    const config = ["--config", join(demo, "tongbu.yaml")]
    const zh = await installed(dir, ["runs", ...config], { LANG: "zh_CN.UTF-8" })
    expect(zh.code, zh.stderr).toBe(0)
    expect(zh.stdout.split("\n")[0]).toMatch(/^运行 +类型 +方向 +状态 +开始时间/)
    expect(zh.stdout).toContain("同步")
    const en = await installed(dir, ["runs", "--lang", "en", ...config], { LANG: "zh_CN.UTF-8" })
    expect(en.stdout.split("\n")[0]).toMatch(/^run +kind +direction +status/)
    const shown = await installed(dir, ["runs", "show", "1", ...config], { LC_ALL: "C", TONGBU_LANG: "zh" })
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toContain("运行 1: 完成")
    expect(shown.stdout).toContain("没有已验证的手机号")
  })

  it("runs a pair module named by pair: in tongbu.yaml, imported at run time", async () => {
    const team = join(dir, "team")
    await buildFixturePair(join(team, "memory.mjs"))
    const seeded = readFileSync(resolve(import.meta.dirname, "../fixtures/memory-pair/tongbu.yaml"), "utf8")
    writeFileSync(join(team, "tongbu.yaml"), `pair: ./memory.mjs\n${seeded}`)
    const synced = await installed(dir, ["sync", "--json", "--config", join(team, "tongbu.yaml")])
    expect(synced.code, synced.stderr).toBe(0)
    expect(json(synced).counts.created).toBe(3)
  })
})
