import { storeConformance } from "@tongbu/core/testing"
import { Effect } from "effect"
import { afterAll, beforeAll } from "vitest"
import * as PostgresStore from "../src/PostgresStore.js"
import * as TestServer from "../src/testing.js"

// One server for the file; each test a pair no other test uses, in its shared database (the store's own isolation).

let server: Awaited<ReturnType<typeof TestServer.start>> | undefined
beforeAll(async () => {
  server = await TestServer.start()
}, 120_000)
afterAll(() => server?.stop())

let pairs = 0
const database = Effect.sync(() => {
  if (server === undefined) throw new Error("the test server did not start")
  const { database: url, password } = server
  const pair = `conformance-${++pairs}`
  return { open: PostgresStore.make({ url, password, pair }) }
})

storeConformance("PostgresStore", database, {
  timeout: 60_000,
  ...(process.env.TONGBU_PROP_SEED === undefined ? {} : { seed: Number(process.env.TONGBU_PROP_SEED) })
})
