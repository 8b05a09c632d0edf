import { createServer } from "node:net"
import { expect, layer } from "@effect/vitest"
import { IdempotencyKey, LinkState, RecordId, RunId, type StartRun, StoreFenced, SyncStore, Update } from "@tongbu/core"
import { Config, ConfigProvider, Context, Effect, Layer, Option, Redacted, TestClock } from "effect"
import pg from "pg"
import * as PostgresStore from "../src/PostgresStore.js"
import * as TestServer from "../src/testing.js"

// What only the PostgreSQL store has: many pairs in one database, a fencing epoch checked by every write, migrations
// safe for runners that start at once, and errors that never carry the password.

const sync: StartRun = { kind: "sync", direction: "both", dryRun: false, full: false }
const id = (i: string) => RecordId.make(i)
const link = (left: string, right: string) =>
  new LinkState({ leftId: id(left), rightId: id(right), left: { name: left }, right: { name: right } })
const update = (k: string) =>
  new Update({
    key: IdempotencyKey.make(k),
    side: "right",
    id: id("r1"),
    otherId: id("l1"),
    changes: { name: "B" },
    before: { name: "A" },
    canonicalFields: ["name"]
  })

/** The store of `pair` in the server's shared database, built in the test's scope. */
const storeOf = (pair: string) =>
  Effect.flatMap(TestServer.TestServer, (server) =>
    Layer.build(PostgresStore.layer({ url: server.database, password: server.password, pair }))
  ).pipe(Effect.map((context) => Context.get(context, SyncStore)))

const sql = (url: string, password: Redacted.Redacted<string>, text: string, values: ReadonlyArray<unknown> = []) =>
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
      return (await client.query(text, [...values])).rows
    } finally {
      await client.end()
    }
  })

const openError = (config: PostgresStore.PostgresStoreConfig) =>
  Effect.flip(Layer.build(PostgresStore.layer(config)).pipe(Effect.scoped))

/** A port on 127.0.0.1 nothing listens on. */
const closedPort = Effect.promise(
  () =>
    new Promise<number>((found) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address()
        probe.close(() => found(typeof address === "object" && address !== null ? address.port : 1))
      })
    })
)

layer(TestServer.layer(), { timeout: 120_000 })("PostgresStore", (it) => {
  it.scoped("keeps many pairs in one database, each store seeing only its own", () =>
    Effect.gen(function* () {
      const a = yield* storeOf("isolation-a")
      const b = yield* storeOf("isolation-b")
      yield* a.saveLinks([link("l1", "r1")])
      yield* b.saveLinks([link("l1", "r2")])
      yield* a.saveCheckpoint("left:list", "a")
      const runA = yield* a.startRun(sync, [update("u1")])
      const runB = yield* b.startRun(sync, [update("u1")])
      yield* a.complete(IdempotencyKey.make("u1"), { links: [] })
      expect(yield* a.links).toEqual([link("l1", "r1")])
      expect(yield* b.links).toEqual([link("l1", "r2")])
      expect(Option.isNone(yield* b.checkpoint("left:list"))).toBe(true)
      expect([...(yield* a.settledKeys)]).toEqual(["u1"])
      expect((yield* b.unfinished).map((op) => [op.runId, op.key])).toEqual([[runB.runId, "u1"]])
      expect(Option.isNone(yield* b.run(runA.runId))).toBe(true)
      expect(yield* a.acquireLease("runner-1", 1_000)).toBe(true)
      expect(yield* b.acquireLease("runner-2", 1_000)).toBe(true)
    })
  )

  it.scoped("fences a runner that lost its lease: its writes change nothing and fail with StoreFenced", () =>
    Effect.gen(function* () {
      const first = yield* storeOf("fenced")
      const second = yield* storeOf("fenced")
      const oneOff = yield* storeOf("fenced")
      expect(yield* first.acquireLease("runner-1", 1_000)).toBe(true)
      yield* first.saveCheckpoint("k", "1")
      // Renewing one's own lease keeps the epoch: the writes go on.
      yield* TestClock.adjust(600)
      expect(yield* first.acquireLease("runner-1", 1_000)).toBe(true)
      yield* first.saveCheckpoint("k", "2")
      // runner-1 stalls past its lease; runner-2 takes it over.
      yield* TestClock.adjust(1_500)
      expect(yield* second.acquireLease("runner-2", 1_000)).toBe(true)
      const refused = yield* Effect.flip(first.saveCheckpoint("k", "3"))
      expect(refused).toBeInstanceOf(StoreFenced)
      expect(refused).toMatchObject({ holder: "runner-2" })
      expect(refused.message).toContain("another tongbu runner (holder runner-2) took this pair's lease (pair fenced)")
      expect(yield* Effect.flip(first.startRun(sync, [update("u1")]))).toBeInstanceOf(StoreFenced)
      // Nothing it tried was written; reads still work; the new holder and a store nobody leases write as usual.
      expect(yield* first.checkpoint("k")).toEqual(Option.some("2"))
      expect(yield* first.unfinished).toEqual([])
      yield* second.saveCheckpoint("k", "4")
      yield* oneOff.saveCheckpoint("other", "x")
      // Taking it back once runner-2's lapsed (another takeover, a higher epoch) lets runner-1 write again and fences
      // runner-2.
      yield* TestClock.adjust(1_500)
      expect(yield* first.acquireLease("runner-1", 1_000)).toBe(true)
      yield* first.saveCheckpoint("k", "5")
      expect(yield* Effect.flip(second.saveCheckpoint("k", "6"))).toBeInstanceOf(StoreFenced)
      expect(yield* oneOff.checkpoint("k")).toEqual(Option.some("5"))
      // Releasing ends the fencing of that store.
      yield* first.releaseLease("runner-1")
      expect(yield* oneOff.acquireLease("runner-3", 1_000)).toBe(true)
      yield* first.saveCheckpoint("k", "7")
    })
  )

  it.scoped("applies its migrations once when several runners start at once", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const url = yield* server.freshDatabase
      const stores = yield* Effect.all(
        Array.from({ length: 4 }, (_, i) =>
          Layer.build(PostgresStore.layer({ url, password: server.password, pair: `start-${i}` }))
        ),
        { concurrency: "unbounded" }
      )
      expect(stores.length).toBe(4)
      const applied = yield* sql(url, server.password, "select count(*)::int as n from drizzle.__drizzle_migrations")
      expect(applied).toEqual([{ n: 1 }])
    })
  )

  it.scoped("many pairs over one database: one pool of poolSize connections, migrations applied once", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const url = yield* server.freshDatabase
      const database = yield* PostgresStore.database({ url, password: server.password, poolSize: 2 })
      const stores = yield* Effect.forEach(
        Array.from({ length: 10 }, (_, i) => `shared-${i}`),
        (pair) =>
          Effect.map(Layer.build(PostgresStore.layerOn(database, pair)), (context) => Context.get(context, SyncStore))
      )
      yield* Effect.forEach(stores, (store, i) => store.saveCheckpoint("k", String(i)), { concurrency: "unbounded" })
      const seen = yield* Effect.forEach(stores, (store) => store.checkpoint("k"), { concurrency: "unbounded" })
      expect(seen).toEqual(stores.map((_, i) => Option.some(String(i))))
      // the pool never grew past its size, whatever the concurrency of ten pairs
      expect(database.pool.totalCount).toBeLessThanOrEqual(2)
      const sessions = yield* sql(
        url,
        server.password,
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'tongbu'"
      )
      expect(sessions[0]?.n).toBeLessThanOrEqual(2)
      const applied = yield* sql(url, server.password, "select count(*)::int as n from drizzle.__drizzle_migrations")
      expect(applied).toEqual([{ n: 1 }])
      // each pair still sees only its own rows, and is fenced on its own
      expect(yield* stores[3]!.acquireLease("runner-a", 60_000)).toBe(true)
      expect(yield* stores[4]!.acquireLease("runner-b", 60_000)).toBe(true)
    })
  )

  it.scoped("names a row that does not decode", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const store = yield* storeOf("undecodable")
      const { runId } = yield* store.startRun(sync, [update("u1")])
      yield* sql(
        server.database,
        server.password,
        "update operations set operation = $1 where pair_id = 'undecodable' and key = 'u1'",
        [JSON.stringify({ _tag: "Teleport" })]
      )
      const error = yield* Effect.flip(store.unfinished)
      expect(error.message).toContain(
        `state store ${server.database} (pair undecodable): cannot read unfinished operations: operation u1 (run ${runId}) cannot be read`
      )
    })
  )

  it.effect("says why it cannot open, never with the password: wrong password, refused, inline password", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const wrong = "wrong-Secret-42"
      const badPassword = yield* openError({ url: server.database, password: Redacted.make(wrong), pair: "p" })
      expect(badPassword.message).toBe(
        `cannot open the state store at ${server.database}: password authentication failed for user "tongbu"`
      )
      const inline = new URL(server.database)
      inline.password = wrong
      const inlineWrong = yield* openError({ url: inline.href, pair: "p" })
      const masked = new URL(server.database)
      masked.password = "***"
      expect(inlineWrong.message).toBe(
        `cannot open the state store at ${masked.href}: password authentication failed for user "tongbu"`
      )
      const port = yield* closedPort
      const refused = yield* openError({
        url: `postgres://tongbu:${wrong}@127.0.0.1:${port}/state`,
        password: Redacted.make(wrong),
        pair: "p"
      })
      expect(refused.message).toBe(
        `cannot open the state store at postgres://tongbu:***@127.0.0.1:${port}/state: connect ECONNREFUSED 127.0.0.1:${port}`
      )
      const notPostgres = yield* openError({ url: `mysql://tongbu:${wrong}@127.0.0.1/state`, pair: "p" })
      expect(notPostgres.message).toBe("the state URL mysql://tongbu:***@127.0.0.1/state is not a postgres:// URL")
      for (const error of [badPassword, inlineWrong, refused, notPostgres]) expect(error.message).not.toContain(wrong)
    })
  )

  it.scoped("is configured from the environment, the password redacted", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const provider = ConfigProvider.fromMap(
        new Map([
          ["TONGBU_STATE_URL", server.database],
          ["TONGBU_STATE_PASSWORD", Redacted.value(server.password)]
        ])
      )
      const configured = PostgresStore.layerConfig({
        url: Config.string("TONGBU_STATE_URL"),
        password: Config.redacted("TONGBU_STATE_PASSWORD"),
        pair: Config.succeed("configured")
      })
      const context = yield* Layer.build(configured).pipe(Effect.withConfigProvider(provider))
      const store = Context.get(context, SyncStore)
      yield* store.saveCheckpoint("k", "v")
      expect(yield* (yield* storeOf("configured")).checkpoint("k")).toEqual(Option.some("v"))
    })
  )

  it.scoped("fails a write with the server's reason, naming the pair and the task, and the password never", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const store = yield* storeOf("failing")
      const error = yield* Effect.flip(store.markUntold("left", [RunId.make("99")]))
      expect(error.message).toContain(
        `state store ${server.database} (pair failing): cannot record the runs left was not told: insert or update on table "untold" violates foreign key constraint`
      )
      expect(error.message).not.toContain(Redacted.value(server.password))
    })
  )
})
