import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { storeCopyConformance } from "@tongbu/core/testing"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect } from "effect"
import { afterAll, beforeAll } from "vitest"
import * as PostgresStore from "../src/PostgresStore.js"
import * as TestServer from "../src/testing.js"

// What `tongbu state migrate` does: a SQLite store's export imported into a pair of a PostgreSQL database.

let server: Awaited<ReturnType<typeof TestServer.start>> | undefined
beforeAll(async () => {
  server = await TestServer.start()
}, 120_000)
afterAll(() => server?.stop())

const sqlite = Effect.map(
  Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "tongbu-copy-"))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  ),
  (dir) => ({ open: SqliteStore.make({ filename: join(dir, "state.db") }) })
)

let pairs = 0
const postgres = Effect.sync(() => {
  if (server === undefined) throw new Error("the test server did not start")
  const pair = `copied-${++pairs}`
  return { open: PostgresStore.make({ url: server.database, password: server.password, pair }) }
})

storeCopyConformance("SqliteStore into PostgresStore", sqlite, postgres, { timeout: 60_000 })
