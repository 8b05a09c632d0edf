import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeContext } from "@effect/platform-node"
import { expect, layer } from "@effect/vitest"
import { SyncStore } from "@tongbu/core"
import * as TestServer from "@tongbu/store-postgres/testing"
import { ConfigProvider, Context, Effect, Either, Layer, Option, Redacted } from "effect"
import pg from "pg"
import { defaultPair } from "../src/DefaultPair.js"
import * as Layers from "../src/Layers.js"
import * as Pairs from "../src/Pairs.js"
import * as StateDatabases from "../src/StateDatabases.js"

// One pool per database per process: the pairs that name one `state.url` share it (100 pairs × 4 connections would
// exhaust PostgreSQL's default max_connections of 100).

const admin = (server: TestServer.TestServerService, database: string, text: string) =>
  Effect.promise(async () => {
    const where = new URL(server.base)
    const client = new pg.Client({
      host: where.hostname,
      port: Number(where.port),
      user: where.username,
      database,
      password: Redacted.value(server.password)
    })
    await client.connect()
    try {
      return (await client.query(text)).rows
    } finally {
      await client.end()
    }
  })

layer(TestServer.layer(), { timeout: 120_000 })("StateDatabases", (it) => {
  it.scoped("the listed pairs on one state.url share one pool of state.poolSize connections", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const url = yield* server.freshDatabase
      const ids = Array.from({ length: 12 }, (_, i) => `p${i}`)
      const dir = mkdtempSync(join(tmpdir(), "tongbu-databases-"))
      writeFileSync(join(dir, "pw"), `${Redacted.value(server.password)}\n`)
      writeFileSync(
        join(dir, "tongbu.yaml"),
        `pairs:\n${ids.map((id) => `  - id: ${id}\n    state: { url: "${url}", passwordFile: pw, poolSize: 3 }\n`).join("")}`
      )
      const found = yield* Pairs.load(defaultPair, [], Option.some(join(dir, "tongbu.yaml"))).pipe(
        Effect.provide(Layer.merge(NodeContext.layer, Layer.setConfigProvider(ConfigProvider.fromMap(new Map()))))
      )
      const registry = yield* StateDatabases.make
      const stores = yield* Effect.forEach(found.pairs, (entry) =>
        Layer.build(
          Layers.store(Either.getOrThrow(entry.settings)).pipe(
            Layer.provide(Layer.succeed(StateDatabases.StateDatabases, registry))
          )
        ).pipe(
          Effect.map((context) => Context.get(context, SyncStore)),
          Effect.provide(NodeContext.layer)
        )
      )
      yield* Effect.forEach(stores, (store, i) => store.saveCheckpoint("k", ids[i]!), { concurrency: "unbounded" })
      expect(yield* Effect.forEach(stores, (store) => store.checkpoint("k"), { concurrency: "unbounded" })).toEqual(
        ids.map(Option.some)
      )
      const name = new URL(url).pathname.slice(1)
      const sessions = yield* admin(
        server,
        name,
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'tongbu'"
      )
      expect(sessions[0]?.n).toBeGreaterThan(0)
      expect(sessions[0]?.n).toBeLessThanOrEqual(3)
      const first = yield* registry.get({ url, password: server.password, poolSize: 3 })
      expect(yield* registry.get({ url, password: server.password, poolSize: 3 })).toBe(first)
      expect(first.pool.totalCount).toBeLessThanOrEqual(3)
    })
  )

  it.scoped("a database that failed to open is opened at the next need", () =>
    Effect.gen(function* () {
      const server = yield* TestServer.TestServer
      const registry = yield* StateDatabases.make
      const config = { url: `${server.base}created_later`, password: server.password }
      const error = yield* Effect.flip(registry.get(config))
      expect(error.message).toContain('database "created_later" does not exist')
      yield* admin(server, "postgres", "create database created_later")
      const opened = yield* registry.get(config)
      expect(yield* registry.get(config)).toBe(opened)
    })
  )
})
