import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { generateHubFile } from "@tongbu/adapter-wechat-hub"
import Database from "better-sqlite3"
import { Effect } from "effect"
import { beforeAll, describe, expect, it } from "vitest"
import { json, tongbu } from "./harness.js"

// The hub↔sql-table pair as a team ships it: its package bundled into one module the unchanged runner imports.
const pairPackage = resolve(import.meta.dirname, "../../../../packages/pair-hub-sql-table")
const pairModule = join(pairPackage, "dist/pair.mjs")

const config = (extra = "") => `pair: ${pairModule}
hub:
  database: hub.db
table:
  path: crm.db
  table: customers
  idColumn: id
  columns: { code: code, name: full_name, mobile: mobile, email: email }
  versionColumn: row_version
  keyColumn: sync_key
state:
  database: state.db
  leaseSeconds: 2
${extra}`

const rows = (dir: string) => {
  const db = new Database(join(dir, "crm.db"), { readonly: true })
  try {
    return db.prepare("SELECT id, code, full_name, mobile FROM customers ORDER BY id").all() as Array<{
      id: number
      code: string | null
      full_name: string
      mobile: string | null
    }>
  } finally {
    db.close()
  }
}

describe("the hub↔sql-table pair, run by the unchanged runner from its configuration", { timeout: 180_000 }, () => {
  let dir = ""
  beforeAll(async () => {
    execFileSync(process.execPath, [join(pairPackage, "scripts/build.mjs")], { stdio: "pipe" })
    dir = mkdtempSync(join(tmpdir(), "tongbu-sqltable-"))
    await Effect.runPromise(generateHubFile(join(dir, "hub.db"), { customers: 40, seed: 11 }))
    const db = new Database(join(dir, "crm.db"))
    db.exec(
      "CREATE TABLE customers (id INTEGER PRIMARY KEY, code TEXT UNIQUE, full_name TEXT NOT NULL, mobile TEXT, email TEXT, row_version INTEGER NOT NULL DEFAULT 0, sync_key TEXT)"
    )
    const insert = db.prepare(
      "INSERT INTO customers (code, full_name, mobile, email, row_version) VALUES (?, ?, ?, ?, ?)"
    )
    insert.run("CRM1", "深圳市华强电子有限公司", "13900139001", "a@example.cn", 1)
    insert.run("CRM2", "广州市天河科技有限公司", "13900139002", null, 2)
    db.close()
  })

  it("init --pair writes the pair's keys; sync pushes and pulls; runs lists it", async () => {
    const init = await tongbu(dir, ["init", "--pair", pairModule, "--json"])
    expect(init.code, init.stderr).toBe(0)
    expect(json(init).pair).toBe("hub-sql-table")
    const written = readFileSync(join(dir, "tongbu.yaml"), "utf8")
    expect(written).toContain(`pair: ${JSON.stringify(pairModule)}`)
    expect(written).toContain("# table:")
    expect(written).not.toContain("erp:")

    writeFileSync(join(dir, "tongbu.yaml"), config())
    const first = await tongbu(dir, ["sync", "--json"])
    expect(first.code, first.stderr).toBe(0)
    const run = json(first)
    expect(run.status).toBe("completed")
    const pushed = rows(dir).filter((row) => row.code?.startsWith("HUB"))
    expect(pushed.length).toBeGreaterThan(0)
    expect(run.counts.created).toBe(pushed.length + 2)

    const again = json(await tongbu(dir, ["sync", "--json"]))
    expect(again.counts).toMatchObject({ created: 0, updated: 0, failed: 0 })

    const runs = json(await tongbu(dir, ["runs", "--json"]))
    expect(runs.runs.map((r: { status: string }) => r.status)).toEqual(["completed", "completed"])
  })

  it("reports name the pair's own sides: hub / table in tables and --json, 中台 / 数据表 in Chinese", async () => {
    const shown = json(await tongbu(dir, ["runs", "show", "1", "--json"]))
    const created = shown.items.find((i: { operation: string; leftId: string | null }) => i.operation === "create")
    expect(created).toEqual(
      expect.objectContaining({ leftId: expect.any(String), rightId: expect.any(String), hubId: created.leftId })
    )
    expect(created.tableId).toBe(created.rightId)
    expect(JSON.stringify(shown.items)).not.toContain("erpId")
    const text = await tongbu(dir, ["runs", "show", "1"])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/^hub +table +operation +outcome +reason$/m)
    expect(text.stdout).not.toMatch(/\berp\b/i)
    const zh = await tongbu(dir, ["runs", "show", "1", "--lang", "zh"])
    expect(zh.stdout).toMatch(/^中台 +数据表 +操作 +结果 +原因$/m)
    expect(zh.stdout).not.toContain("ERP")
  })

  it("both sides renaming one customer under `manual` parks a conflict that `conflicts` lists", async () => {
    writeFileSync(join(dir, "manual.yaml"), config("policy:\n  conflicts:\n    name: manual\n"))
    const target = rows(dir).find((row) => row.code?.startsWith("HUB"))
    if (target === undefined) throw new Error("the first sync pushed nothing")
    const hubId = Number(target.code?.slice("HUB".length))
    const hub = new Database(join(dir, "hub.db"))
    hub.prepare("UPDATE customers_unified SET company_name = ? WHERE id = ?").run("中台改的名字有限公司", hubId)
    hub.close()
    const crm = new Database(join(dir, "crm.db"))
    crm
      .prepare(
        "UPDATE customers SET full_name = ?, row_version = (SELECT max(row_version) + 1 FROM customers) WHERE id = ?"
      )
      .run("表里改的名字有限公司", target.id)
    crm.close()

    const run = json(await tongbu(dir, ["sync", "--json", "--config", "manual.yaml"]))
    expect(run.counts.conflicts).toBe(1)
    const listed = json(await tongbu(dir, ["conflicts", "--json", "--config", "manual.yaml"]))
    expect(listed.conflicts).toHaveLength(1)
    const conflict = listed.conflicts[0]
    expect(conflict).toMatchObject({
      field: "name",
      leftId: String(hubId),
      rightId: String(target.id),
      hubId: String(hubId),
      tableId: String(target.id),
      left: "中台改的名字有限公司",
      hub: "中台改的名字有限公司",
      right: "表里改的名字有限公司",
      table: "表里改的名字有限公司",
      resolution: null
    })
    expect(Object.keys(conflict.baseline).sort()).toEqual(["hub", "left", "right", "table"])
    const text = await tongbu(dir, ["conflicts", "--config", "manual.yaml"])
    expect(text.stdout).toMatch(/^id +hub +table +field +hub value +table value +baseline \(hub \/ table\) +since$/m)

    const wrong = await tongbu(dir, ["conflicts", "resolve", conflict.id, "--take", "erp", "--config", "manual.yaml"])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain(
      "--take erp: expected hub, table, left or right (the sides of the pair hub-sql-table)"
    )
    const taken = await tongbu(dir, ["conflicts", "resolve", conflict.id, "--take", "table", "--config", "manual.yaml"])
    expect(taken.code, taken.stderr).toBe(0)
    expect(taken.stdout).toContain(
      `Conflict ${conflict.id} resolved: name of hub ${hubId} / table ${target.id} takes the table value 表里改的名字有限公司`
    )
    expect(json(await tongbu(dir, ["conflicts", "--json", "--config", "manual.yaml"])).conflicts).toEqual([])
  })

  it("rollback of the first sync deletes the rows it created in the table, keeping the one a person renamed", async () => {
    const before = rows(dir)
    const renamed = before.filter((row) => row.full_name === "表里改的名字有限公司")
    expect(renamed).toHaveLength(1)
    const preview = await tongbu(dir, ["rollback", "1", "--dry-run"])
    expect(preview.code, preview.stderr).toBe(0)
    expect(preview.stdout).toMatch(/^hub +table +operation +outcome +reason$/m)
    expect(preview.stdout).not.toMatch(/\berp\b/i)
    const result = await tongbu(dir, ["rollback", "1", "--json"])
    expect(result.code, result.stderr).toBe(0)
    const report = json(result)
    expect(report.status).toBe("completed")
    expect(report.items.every((i: { tableId?: unknown; rightId: unknown }) => i.tableId === i.rightId)).toBe(true)
    const after = rows(dir)
    expect(after.filter((row) => row.code?.startsWith("HUB")).map((row) => row.id)).toEqual(renamed.map((r) => r.id))
    expect(after.filter((row) => row.code?.startsWith("CRM"))).toHaveLength(2)
  })
})
