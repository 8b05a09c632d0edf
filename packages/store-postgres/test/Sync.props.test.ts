import { syncProperties } from "@tongbu/core/testing"
import { Effect } from "effect"
import { afterAll, beforeAll } from "vitest"
import * as PostgresStore from "../src/PostgresStore.js"
import * as TestServer from "../src/testing.js"

// The core's sync properties (it converges, keeps its policies, is crash safe, rolls back) over this store: each world
// a pair of its own in one server's database. A failing case prints its seed and path; TONGBU_PROP_SEED and
// TONGBU_PROP_PATH replay it, TONGBU_PROP_RUNS soaks.

let server: Awaited<ReturnType<typeof TestServer.start>> | undefined
beforeAll(async () => {
  server = await TestServer.start()
}, 120_000)
afterAll(() => server?.stop())

let worlds = 0
const store = Effect.suspend(() => {
  if (server === undefined) return Effect.dieMessage("the test server did not start")
  return PostgresStore.make({ url: server.database, password: server.password, pair: `world-${++worlds}` })
})

syncProperties("PostgresStore", store, {
  numRuns: Number(process.env.TONGBU_PROP_RUNS ?? 15),
  seed: Number(process.env.TONGBU_PROP_SEED ?? 101),
  ...(process.env.TONGBU_PROP_PATH === undefined ? {} : { path: process.env.TONGBU_PROP_PATH })
})
