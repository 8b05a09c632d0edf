import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { serveMockErp } from "../src/index.js"

const loginBody = JSON.stringify({
  datas: [
    { id: "user", val: "txt:admin" },
    { id: "password", val: "txt:admin123" }
  ]
})

describe("serveMockErp", () => {
  it("listens on 127.0.0.1, answers over HTTP, and closes", async () => {
    const served = await serveMockErp({ port: 0 })
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const response = await fetch(`${served.url}/webapi/v3/ov1/login`, { method: "POST", body: loginBody })
      const answer = (await response.json()) as { header: { status: number; session: string } }
      expect(answer.header.status).toBe(0)
      expect((await fetch(`${served.url}/missing.asp`)).status).toBe(404)
    } finally {
      await served.close()
    }
    await expect(fetch(`${served.url}/webapi/v3/ov1/login`, { method: "POST", body: loginBody })).rejects.toThrow()
  })

  it("drops the connection on an ack-lost reset, after the write committed", async () => {
    const served = await serveMockErp({
      port: 0,
      faults: { name: "reset", endpoints: { "customer.allocate": { ackLostRate: 1 } } }
    })
    try {
      const login = await fetch(`${served.url}/webapi/v3/ov1/login`, { method: "POST", body: loginBody })
      const { header } = (await login.json()) as { header: { session: string } }
      const allocate = fetch(`${served.url}/sysa/mobilephone/salesmanage/custom/add.asp`, {
        method: "POST",
        body: JSON.stringify({ session: header.session, datas: [] })
      })
      await expect(allocate).rejects.toThrow("fetch failed")
      expect(served.mock.control.writeLog()).toMatchObject([{ kind: "allocate" }])
    } finally {
      await served.close()
    }
  })
})

describe("the CLI (src/bin.ts)", () => {
  it("prints the base URL and the account, and exits cleanly on SIGTERM", async () => {
    const cwd = fileURLToPath(new URL("..", import.meta.url))
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/bin.ts", "--port", "0", "--seed", "5", "--faults", "flaky"],
      {
        cwd,
        stdio: ["ignore", "pipe", "pipe"]
      }
    )
    let out = ""
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line: ${out}`)), 20_000)
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString()
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
        if (match?.[1] && out.includes("account: admin / admin123")) {
          clearTimeout(timer)
          resolve(match[1])
        }
      })
      child.stderr.on("data", (chunk: Buffer) => {
        out += chunk.toString()
      })
      child.on("exit", () => reject(new Error(`exited early: ${out}`)))
    })
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const code = new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)))
    child.kill("SIGTERM")
    expect(await code).toBe(0)
  }, 30_000)

  it("refuses an unknown fault profile", async () => {
    const cwd = fileURLToPath(new URL("..", import.meta.url))
    const child = spawn(process.execPath, ["--import", "tsx", "src/bin.ts", "--faults", "nope"], { cwd, stdio: "pipe" })
    let err = ""
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString()
    })
    const code = await new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)))
    expect(code).toBe(2)
    expect(err).toContain("unknown fault profile: nope")
  }, 30_000)
})
