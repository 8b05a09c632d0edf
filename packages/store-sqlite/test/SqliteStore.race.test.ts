import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const tsx = join(dirname(createRequire(import.meta.url).resolve("tsx")), "esm/index.mjs")
const script = fileURLToPath(new URL("fixtures/open.ts", import.meta.url))

const open = (filename: string) =>
  new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ["--import", tsx, script, filename], { stdio: ["ignore", "ignore", "pipe"] })
    let stderr = ""
    child.stderr.on("data", (chunk) => (stderr += String(chunk)))
    child.on("close", (code) => resolve({ code, stderr }))
  })

// The race is timing-dependent: this does not lose it on every run, so it guards against a regression, not a proof
describe("a new store opened by several processes at once", () => {
  it("is created and migrated once: every process opens it", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-race-"))
    try {
      const filename = join(dir, "state.sqlite")
      const results = await Promise.all(Array.from({ length: 6 }, () => open(filename)))
      expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
