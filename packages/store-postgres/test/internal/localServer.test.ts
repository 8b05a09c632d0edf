import { chmodSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import pg from "pg"
import { afterAll, describe, expect, it } from "vitest"
import { startLocal } from "../../src/internal/localServer.js"

// The local test server: from the package's binaries, on 127.0.0.1, in a directory of its own that goes with it,
// whether it stopped or failed to start.

const parent = mkdtempSync(join(tmpdir(), "tongbu-local-server-test-"))
// As root the server runs as nobody, who must be able to enter it, as any other user can enter the system's tmpdir.
chmodSync(parent, 0o755)
afterAll(() => rmSync(parent, { recursive: true, force: true }))

const query = async (port: number, password: string) => {
  const client = new pg.Client({ host: "127.0.0.1", port, user: "tongbu", password, database: "postgres" })
  await client.connect()
  try {
    return (await client.query("select current_user as who, current_setting('listen_addresses') as listens")).rows
  } finally {
    await client.end()
  }
}

describe("the local PostgreSQL server", { timeout: 120_000 }, () => {
  it("serves on 127.0.0.1 with password authentication, and leaves nothing behind once stopped", async () => {
    const server = await startLocal("tongbu", "s3cret-for-test", false, parent)
    expect(readdirSync(parent)).toHaveLength(1)
    expect(await query(server.port, "s3cret-for-test")).toEqual([{ who: "tongbu", listens: "127.0.0.1" }])
    await expect(query(server.port, "wrong")).rejects.toThrow('password authentication failed for user "tongbu"')
    await server.stop()
    expect(readdirSync(parent)).toEqual([])
    await expect(query(server.port, "s3cret-for-test")).rejects.toThrow("ECONNREFUSED")
  })

  it("removes its directory when it cannot start, and says why", async () => {
    // PostgreSQL reserves role names starting with pg_: initdb refuses to make one.
    await expect(startLocal("pg_refused", "x", false, parent)).rejects.toThrow(/initdb failed \(exit 1\):[\s\S]*pg_/)
    expect(readdirSync(parent)).toEqual([])
  })
})
