import { createServer } from "node:net"
import { expect, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import pg from "pg"
import * as PostgresStore from "../../src/PostgresStore.js"
import * as TestServer from "../../src/testing.js"

// `inspect` is what `tongbu check` shows of a PostgreSQL store: read-only, and each failure classed by its remedy.

const sql = (url: string, password: Redacted.Redacted<string>, text: string) =>
  Effect.promise(async () => {
    const where = new URL(url)
    const client = new pg.Client({
      host: where.hostname,
      port: Number(where.port),
      user: where.username,
      database: where.pathname.slice(1),
      password: Redacted.value(password)
    })
    await client.connect()
    try {
      return (await client.query(text)).rows
    } finally {
      await client.end()
    }
  })

const closedPort = Effect.promise(
  () =>
    new Promise<number>((found) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address()
        probe.close(() => found(typeof address === "object" && address !== null ? address.port : 1))
      })
    })
)

layer(TestServer.layer(), { timeout: 120_000 })("PostgresStore.inspect", (it) => {
  it.scoped("a new database is all pending and stays so; once opened, current; migrated further, newer", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const url = yield* server.freshDatabase
      const config = { url, password: server.password }
      expect(yield* PostgresStore.inspect(config)).toEqual({ _tag: "Pending", applied: 0, pending: 1 })
      // read-only: looking created nothing
      expect(yield* sql(url, server.password, "select to_regclass('drizzle.__drizzle_migrations') as t")).toEqual([
        { t: null }
      ])
      yield* PostgresStore.database(config)
      expect(yield* PostgresStore.inspect(config)).toEqual({ _tag: "Current", applied: 1 })
      yield* sql(
        url,
        server.password,
        `insert into drizzle.__drizzle_migrations (hash, created_at) values ('future', ${Date.UTC(2100, 0)})`
      )
      expect(yield* PostgresStore.inspect(config)).toEqual({ _tag: "Newer", known: 1 })
    })
  )

  it.effect("classes each failure by its remedy, never with the password", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const wrong = "wrong-Secret-42"
      const problem = (url: string, password = Redacted.make(wrong)) =>
        Effect.flip(PostgresStore.inspect({ url, password }))
      const auth = yield* problem(server.database)
      expect([auth.problem, auth.message]).toEqual([
        "authentication",
        `cannot read the state store at ${server.database}: password authentication failed for user "tongbu"`
      ])
      const missing = yield* problem(`${server.base}no_such_db`, server.password)
      expect(missing.problem).toBe("database")
      const port = yield* closedPort
      const refused = yield* problem(`postgres://tongbu@127.0.0.1:${port}/state`)
      expect(refused.problem).toBe("unreachable")
      expect((yield* problem("mysql://tongbu@127.0.0.1/state")).problem).toBe("invalid")
      for (const error of [auth, missing, refused]) expect(error.message).not.toContain(wrong)
    })
  )

  it.effect("a database holding tongbu's tables without their history is not a store", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const url = yield* server.freshDatabase
      yield* sql(url, server.password, "create table leases (pair_id text primary key)")
      const error = yield* Effect.flip(PostgresStore.inspect({ url, password: server.password }))
      expect([error.problem, error.message]).toEqual([
        "notAStore",
        `${url} holds tongbu's tables but no migration history: it is not a tongbu state store`
      ])
    })
  )
})
