import { PostgresStore } from "@tongbu/store-postgres"
import * as TestServer from "@tongbu/store-postgres/testing"
import { Redacted } from "effect"
import { afterAll } from "vitest"
import { killTest } from "./killSuite.js"

// The kill test of kill.test.ts with the state in PostgreSQL: one server for the file, a database per scenario.
let server: Promise<Awaited<ReturnType<typeof TestServer.start>>> | undefined
afterAll(async () => {
  await (await server)?.stop()
})

killTest("PostgreSQL store", async () => {
  server ??= TestServer.start()
  const running = await server
  const url = await running.freshDatabase()
  return {
    state: `  url: ${url}`,
    env: { TONGBU_STATE_PASSWORD: Redacted.value(running.password) },
    layer: PostgresStore.layer({ url, password: running.password, pair: "default" })
  }
})
