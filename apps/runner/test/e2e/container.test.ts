import { spawn } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { generateHubFile } from "@tongbu/adapter-wechat-hub"
import { containerRuntime } from "@tongbu/store-postgres/testing"
import { Effect } from "effect"
import { GenericContainer, type StartedTestContainer } from "testcontainers"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { config, json, tongbu } from "./harness.js"

const repository = resolve(import.meta.dirname, "../../../..")
const runnerDir = resolve(import.meta.dirname, "../..")

/** The mock ERP as a local process (its own CLI), when no container runtime is at hand. */
const localMock = async () => {
  const tsx = pathToFileURL(join(runnerDir, "node_modules/tsx/dist/loader.mjs")).href
  const child = spawn(
    process.execPath,
    ["--import", tsx, join(runnerDir, "node_modules/@tongbu/mock-erp/src/bin.ts"), "--port", "0", "--seed", "20"],
    {
      stdio: ["ignore", "pipe", "inherit"]
    }
  )
  const url = await new Promise<string>((found, fail) => {
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      const match = out.match(/listening on (http:\/\/\S+)/)
      if (match?.[1] !== undefined) found(match[1])
    })
    child.on("exit", () => fail(new Error(`the mock ERP did not start:\n${out}`)))
  })
  return { url, stop: async () => void child.kill("SIGTERM") }
}

describe("the end-to-end scenario against the mock ERP's Docker image", { timeout: 600_000 }, () => {
  let erp: { readonly url: string; readonly stop: () => Promise<void> }
  let where: string

  beforeAll(async () => {
    const runtime = await containerRuntime()
    if (runtime.available) {
      const image = await GenericContainer.fromDockerfile(repository, "packages/mock-erp/Dockerfile").build(
        "tongbu-mock-erp:test"
      )
      const container: StartedTestContainer = await image.withExposedPorts(46088).withCommand(["--seed", "20"]).start()
      erp = {
        url: `http://${container.getHost()}:${container.getMappedPort(46088)}`,
        stop: async () => void (await container.stop())
      }
      where = "the container built from packages/mock-erp/Dockerfile"
    } else {
      console.warn(
        `The container variant of this scenario did not run (${runtime.reason}); it runs against a local mock ERP process instead.`
      )
      erp = await localMock()
      where = "a local mock ERP process (no container runtime)"
    }
  }, 600_000)
  afterAll(() => erp?.stop())

  it("dry run, first sync as planned, a second sync that changes no customer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-container-"))
    await Effect.runPromise(generateHubFile(join(dir, "hub.db"), { customers: 60, seed: 4 }))
    writeFileSync(join(dir, "tongbu.yaml"), config(erp.url))
    const env = { TONGBU_ERP_PASSWORD: "admin123" }
    const plan = json(await tongbu(dir, ["sync", "--dry-run", "--json"], env))
    const first = json(await tongbu(dir, ["sync", "--json"], env))
    expect(first.status, where).toBe("completed")
    expect(first.counts).toEqual(plan.counts)
    expect(first.counts.created).toBeGreaterThan(0)
    const second = json(await tongbu(dir, ["sync", "--json"], env))
    expect(second.counts).toMatchObject({ created: 0, updated: 0, linked: 0, failed: 0 })
  })
})
