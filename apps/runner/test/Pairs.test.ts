import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Layer, Option, Redacted } from "effect"
import { defaultPair } from "../src/DefaultPair.js"
import { chosen, chosenOne } from "../src/Handler.js"
import * as Pairs from "../src/Pairs.js"
import { pair as memory } from "./fixtures/memory-pair/pair.js"

const withEnv = (env: Record<string, string>) =>
  Layer.merge(NodeContext.layer, Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

const fileWith = (text: string) => {
  const dir = mkdtempSync(join(tmpdir(), "tongbu-pairs-"))
  const file = join(dir, "tongbu.yaml")
  writeFileSync(file, text)
  return { dir, file }
}

const secret = (value: Option.Option<Redacted.Redacted<string>>) => Option.map(value, Redacted.value)

const load = (file: string) => Pairs.load(defaultPair, [memory], Option.some(file))

const two = `pairs:
  - id: acme
    erp: { url: "http://127.0.0.1:46088", user: acme }
    hub: { database: acme/hub.db }
    schedules: { push: "*/5 * * * *" }
  - id: beta-2
    erp: { url: "http://127.0.0.1:46089", user: beta, passwordFile: beta.password }
    hub: { database: beta/hub.db }
    state: { database: stores/beta.db, leaseSeconds: 5 }
daemon:
  port: 9999
log:
  level: debug
`

const settingsOf = (entry: Pairs.Entry | undefined) => {
  if (entry === undefined) throw new Error("no such entry")
  if (Either.isLeft(entry.settings)) throw new Error(entry.settings.left.message)
  // the default pair's settings, read field by field below
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the pair's own keys
  return entry.settings.right as any
}

describe("pairs: in tongbu.yaml", () => {
  it.effect(
    "lists pairs, each with its sides, its schedules and a store file of its own; daemon and log at the top",
    () =>
      Effect.gen(function* () {
        const { dir, file } = fileWith(two)
        writeFileSync(join(dir, "beta.password"), "beta-secret\n")
        const found = yield* load(file)
        expect(found.listed).toBe(true)
        expect(found.pairs.map((p) => p.id)).toEqual(["acme", "beta-2"])
        expect(found.daemon.port).toBe(9999)
        const acme = settingsOf(found.pairs[0])
        const beta = settingsOf(found.pairs[1])
        expect(acme.id).toBe("acme")
        expect(acme.state).toEqual({
          store: { _tag: "Sqlite", database: join(dir, ".tongbu/acme.sqlite") },
          leaseSeconds: 60
        })
        expect(beta.state).toEqual({
          store: { _tag: "Sqlite", database: join(dir, "stores/beta.db") },
          leaseSeconds: 5
        })
        expect(acme.schedules.push).toBe("*/5 * * * *")
        expect(beta.schedules.push).toBe("0 * * * *")
        expect(acme.hub.database).toEqual(Option.some(join(dir, "acme/hub.db")))
        expect(secret(beta.erp.password)).toEqual(Option.some("beta-secret"))
        expect(acme.log.level).toBe("debug")
        expect(acme.daemon.port).toBe(9999)
      }).pipe(Effect.provide(withEnv({})))
  )

  it.effect("each listed pair reads its own variables, TONGBU_<ID>_…, never the unprefixed ones", () =>
    Effect.gen(function* () {
      const { file } = fileWith(two)
      const found = yield* load(file).pipe(
        Effect.provide(
          withEnv({
            TONGBU_ACME_ERP_PASSWORD: "acme-secret",
            TONGBU_BETA_2_ERP_PASSWORD: "beta-from-env",
            TONGBU_BETA_2_STATE_DB: "/srv/tongbu/beta.db",
            TONGBU_ERP_PASSWORD: "whose?",
            TONGBU_STATE_DB: "/nowhere.db"
          })
        )
      )
      const acme = settingsOf(found.pairs[0])
      const beta = settingsOf(found.pairs[1])
      expect(secret(acme.erp.password)).toEqual(Option.some("acme-secret"))
      // the environment wins over erp.passwordFile, as for a single pair
      expect(secret(beta.erp.password)).toEqual(Option.some("beta-from-env"))
      expect(beta.state.store.database).toBe("/srv/tongbu/beta.db")
      expect(acme.state.store.database).not.toBe("/nowhere.db")
      expect(Pairs.variablePrefix("beta-2")).toBe("TONGBU_BETA_2_")
    }).pipe(Effect.provide(NodeContext.layer))
  )

  it.effect(
    "an entry's state.url: its password from TONGBU_<ID>_STATE_PASSWORD; errors name its key and variable",
    () =>
      Effect.gen(function* () {
        const { file } = fileWith(`pairs:
  - id: acme
    state: { url: "postgres://tongbu@db:5432/tongbu" }
  - id: beta-2
    state: { url: "postgres://tongbu@db:5432/tongbu", poolSize: 2 }
  - id: gamma
    state: { url: "postgres://tongbu:hunter2@db:5432/tongbu" }
  - id: delta
    state: { url: "postgres://tongbu@db:5432/tongbu", database: d.db }
`)
        const found = yield* load(file).pipe(
          Effect.provide(
            withEnv({
              TONGBU_ACME_STATE_PASSWORD: "acme-pg",
              TONGBU_STATE_PASSWORD: "whose?",
              TONGBU_STATE_DB: "/x.db"
            })
          )
        )
        const [acme, beta, gamma, delta] = found.pairs.map((entry) => entry.settings)
        const store = (settings: typeof acme) => settingsOf({ id: "", pair: memory, settings: settings! }).state.store
        expect(store(acme)).toMatchObject({ _tag: "Postgres", url: "postgres://tongbu@db:5432/tongbu", poolSize: 4 })
        expect(secret(store(acme).password)).toEqual(Option.some("acme-pg"))
        // the unprefixed variables are no listed pair's
        expect(store(beta)).toMatchObject({ _tag: "Postgres", password: Option.none(), poolSize: 2 })
        const messageOf = (settings: typeof acme) =>
          Either.match(settings!, { onLeft: (e) => e.message, onRight: () => "valid" })
        expect(messageOf(gamma)).toContain("key `pairs[2].state.url` in ")
        expect(messageOf(gamma)).toContain("set TONGBU_GAMMA_STATE_PASSWORD or state.passwordFile")
        expect(messageOf(gamma)).not.toContain("hunter2")
        expect(messageOf(delta)).toContain("`pairs[3].state.url`")
        expect(messageOf(delta)).toContain("`pairs[3].state.database` both name the state store")
      }).pipe(Effect.provide(NodeContext.layer))
  )

  it.effect("a pair's bad keys are its own error, named by pair and key; the other pairs are read", () =>
    Effect.gen(function* () {
      const { dir, file } = fileWith(two.replace("user: acme }", "user: acme, concurrency: four }"))
      writeFileSync(join(dir, "beta.password"), "beta-secret\n")
      const found = yield* load(file)
      const [acme, beta] = found.pairs
      expect(Either.isLeft(acme!.settings)).toBe(true)
      expect(Either.match(acme!.settings, { onLeft: (e) => e.message, onRight: () => "" })).toContain(
        'key `pairs[0].erp.concurrency`: expected a positive whole number, got "four"'
      )
      expect(Either.match(beta!.settings, { onLeft: (e) => e.message, onRight: () => "valid" })).toBe("valid")
      // a command about the bad pair fails with its error; one about the other runs
      const error = yield* Effect.flip(chosenOne(found, Option.some("acme")))
      expect(error.message).toContain("pairs[0].erp.concurrency")
      expect((yield* chosenOne(found, Option.some("beta-2"))).id).toBe("beta-2")
    }).pipe(Effect.provide(withEnv({})))
  )

  it.effect("the password in the file, a runner key in an entry, a pair's key at the top: each named", () =>
    Effect.gen(function* () {
      const entry = yield* load(fileWith(two.replace("user: beta,", "user: beta, password: x,")).file)
      expect(Either.match(entry.pairs[1]!.settings, { onLeft: (e) => e.message, onRight: () => "" })).toContain(
        "key `pairs[1].erp.password`: the password is never read from this file; set TONGBU_ERP_PASSWORD"
      )
      const misplaced = yield* load(
        fileWith(two.replace("    schedules:", "    daemon: { port: 1 }\n    schedules:")).file
      )
      expect(Either.match(misplaced.pairs[0]!.settings, { onLeft: (e) => e.message, onRight: () => "" })).toContain(
        "key `pairs[0].daemon`: the runner's, not a pair's: write it at the top of the file"
      )
      const top = yield* Effect.flip(load(fileWith(`${two}erp:\n  user: x\n`).file))
      expect(top.message).toContain(
        "key `erp`: with `pairs:`, a pair's keys go under its entry in `pairs:` (daemon and log stay here)"
      )
    }).pipe(Effect.provide(withEnv({})))
  )

  it.effect("ids are [a-z0-9-]+ and unique: a file with a bad one is refused as a whole", () =>
    Effect.gen(function* () {
      const bad = yield* Effect.flip(load(fileWith(two.replace("id: beta-2", "id: Beta_2")).file))
      expect(bad.message).toContain(
        'key `pairs[1].id`: expected the pair\'s id, lowercase letters, digits and -, got "Beta_2"'
      )
      const twice = yield* Effect.flip(load(fileWith(two.replace("id: beta-2", "id: acme")).file))
      expect(twice.message).toContain("key `pairs[1].id`: acme is the id of pairs[0] already; ids are unique")
      const none = yield* Effect.flip(load(fileWith("pairs: []\n").file))
      expect(none.message).toContain("key `pairs`")
    }).pipe(Effect.provide(withEnv({})))
  )

  it.effect("an entry's pair: names its module; an unknown one is that pair's error", () =>
    Effect.gen(function* () {
      const found = yield* load(
        fileWith(`pairs:\n  - id: mem\n    pair: memory\n  - id: lost\n    pair: ./no-such-pair.mjs\n`).file
      )
      expect(found.pairs[0]!.pair.name).toBe("memory")
      expect(Either.isRight(found.pairs[0]!.settings)).toBe(true)
      expect(Either.match(found.pairs[1]!.settings, { onLeft: (e) => e.message, onRight: () => "" })).toContain(
        "key `pairs[1].pair`"
      )
    }).pipe(Effect.provide(withEnv({})))
  )

  it.effect("a file without pairs: is the one pair `default`, read as before", () =>
    Effect.gen(function* () {
      const { dir, file } = fileWith("erp:\n  user: admin\nstate:\n  database: state.db\n")
      const found = yield* load(file)
      expect(found.listed).toBe(false)
      expect(found.pairs.map((p) => p.id)).toEqual(["default"])
      expect(settingsOf(found.pairs[0]).state.store.database).toBe(join(dir, "state.db"))
      expect(secret(settingsOf(found.pairs[0]).erp.password)).toEqual(Option.some("env-secret"))
      expect((yield* chosenOne(found, Option.none())).id).toBe("default")
      expect((yield* Effect.flip(chosenOne(found, Option.some("acme")))).message).toContain(
        "configures one pair, default, without `pairs:`"
      )
    }).pipe(Effect.provide(withEnv({ TONGBU_ERP_PASSWORD: "env-secret" })))
  )

  it.effect("a command about one pair needs --pair when several are listed; the lists take them all", () =>
    Effect.gen(function* () {
      const found = yield* load(fileWith(two).file)
      expect((yield* Effect.flip(chosenOne(found, Option.none()))).message).toContain(
        "lists 2 pairs (acme, beta-2): say which with --pair <id>"
      )
      expect((yield* Effect.flip(chosenOne(found, Option.some("gamma")))).message).toContain("--pair gamma: ")
      expect((yield* chosen(found, Option.none())).map((p) => p.id)).toEqual(["acme", "beta-2"])
    }).pipe(Effect.provide(withEnv({ TONGBU_BETA_2_ERP_PASSWORD: "b" })))
  )
})
