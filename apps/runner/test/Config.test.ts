import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Layer, Option, Redacted } from "effect"
import * as Config from "../src/Config.js"
import { template, templateFor } from "../src/ConfigTemplate.js"
import { pair as memory } from "./fixtures/memory-pair/pair.js"

const withEnv = (env: Record<string, string>) =>
  Layer.merge(NodeContext.layer, Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

const message = (result: Either.Either<unknown, Config.ConfigError>) =>
  Either.match(result, { onLeft: (e) => e.message, onRight: () => "valid" })

describe("Config", () => {
  it("the init template is valid and holds exactly the defaults", () => {
    const fromTemplate = Config.parseConfigFile(template, "tongbu.yaml")
    const defaults = Config.parseConfigFile("", "empty")
    expect(Either.isRight(fromTemplate)).toBe(true)
    expect(fromTemplate).toEqual(defaults)
  })

  it("names the key, the expected value and what it got", () => {
    expect(message(Config.parseConfigFile("erp:\n  concurrency: four\n", "t.yaml"))).toBe(
      't.yaml is not a valid configuration:\nkey `erp.concurrency`: expected a positive whole number, got "four"'
    )
    expect(message(Config.parseConfigFile("policy:\n  conflicts:\n    name: erpwins\n", "t.yaml"))).toContain(
      'key `policy.conflicts.name`: expected one of erpWins, hubWins, newestWins, manual, got "erpwins"'
    )
    expect(message(Config.parseConfigFile("schedules:\n  push: every hour\n", "t.yaml"))).toContain(
      "key `schedules.push`: expected a cron expression"
    )
    expect(message(Config.parseConfigFile("erp: 3\n", "t.yaml"))).toContain(
      "key `erp`: expected a section (keys below it), got 3"
    )
  })

  it("reports every problem at once, unknown keys included", () => {
    const text = message(Config.parseConfigFile("erp:\n  concurency: 4\nstate:\n  leaseSeconds: 0\n", "t.yaml"))
    expect(text).toContain("key `erp.concurency`: unknown key")
    expect(text).toContain("key `state.leaseSeconds`: expected a positive whole number, got 0")
  })

  it("refuses a password in the file and says where it belongs", () => {
    expect(message(Config.parseConfigFile("erp:\n  password: hunter2\n", "t.yaml"))).toContain("TONGBU_ERP_PASSWORD")
    expect(message(Config.parseConfigFile("erp:\n  password: hunter2\n", "t.yaml"))).not.toContain("hunter2")
  })

  it("reports YAML syntax errors with their place", () => {
    expect(message(Config.parseConfigFile("erp:\n  url: [\n", "t.yaml"))).toMatch(/t\.yaml is not valid YAML: .*line/s)
  })

  it.effect("the environment alone is enough, and overrides the file", () =>
    Effect.gen(function* () {
      const alone = yield* Config.load(Option.none()).pipe(
        Effect.provide(
          withEnv({
            TONGBU_ERP_URL: "http://127.0.0.1:1",
            TONGBU_ERP_USER: "u",
            TONGBU_ERP_PASSWORD: "secret",
            TONGBU_HUB_DB: "/h.db",
            TONGBU_STATE_DB: "/s.db"
          })
        )
      )
      const erp = yield* Config.requireErp(alone)
      expect(erp.url).toBe("http://127.0.0.1:1")
      expect(Redacted.value(erp.password)).toBe("secret")
      expect(String(erp.password)).not.toContain("secret")
      expect(alone.state.store).toEqual({ _tag: "Sqlite", database: "/s.db" })

      const dir = mkdtempSync(join(tmpdir(), "tongbu-config-"))
      writeFileSync(join(dir, "pw"), "from-file\n")
      writeFileSync(
        join(dir, "t.yaml"),
        "erp:\n  url: http://file:2\n  user: fileuser\n  passwordFile: pw\nhub:\n  database: hub.db\n"
      )
      const fromFile = yield* Config.load(Option.some(join(dir, "t.yaml"))).pipe(
        Effect.provide(withEnv({ TONGBU_ERP_USER: "envuser" }))
      )
      const erp2 = yield* Config.requireErp(fromFile)
      expect([erp2.url, erp2.user, Redacted.value(erp2.password)]).toEqual(["http://file:2", "envuser", "from-file"])
      expect(Option.getOrThrow(fromFile.hub.database)).toBe(join(dir, "hub.db"))
      expect(fromFile.state.store).toEqual({ _tag: "Sqlite", database: join(dir, ".tongbu/state.db") })
    })
  )

  it.effect("says what is missing and how to set it", () =>
    Effect.gen(function* () {
      const settings = yield* Config.load(Option.none()).pipe(Effect.provide(withEnv({})))
      const error = yield* Effect.flip(Config.requireErp(settings))
      expect(error.message).toContain("TONGBU_ERP_URL")
      const notFound = yield* Effect.flip(
        Config.load(Option.some("/nonexistent/t.yaml")).pipe(Effect.provide(withEnv({})))
      )
      expect(notFound.message).toContain("/nonexistent/t.yaml not found")
      const badEnv = yield* Effect.flip(
        Config.load(Option.none()).pipe(Effect.provide(withEnv({ TONGBU_ERP_URL: "erp.example.com" })))
      )
      expect(badEnv.message).toContain("TONGBU_ERP_URL")
    })
  )
})

describe("Config: the state in PostgreSQL (state.url)", () => {
  const dirWith = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-config-"))
    writeFileSync(join(dir, "t.yaml"), text)
    return { dir, file: Option.some(join(dir, "t.yaml")) }
  }
  const storeOf = (file: Option.Option<string>, env: Record<string, string> = {}) =>
    Effect.map(Config.load(file).pipe(Effect.provide(withEnv(env))), (settings) => settings.state.store)
  const failure = (file: Option.Option<string>, env: Record<string, string> = {}) =>
    Effect.map(Effect.flip(Config.load(file).pipe(Effect.provide(withEnv(env)))), (error) => error.message)

  it.effect("state.url with its password from TONGBU_STATE_PASSWORD, else state.passwordFile beside the file", () =>
    Effect.gen(function* () {
      const { dir, file } = dirWith(
        "state:\n  url: postgres://tongbu@db.example:5432/tongbu\n  passwordFile: secrets/pg\n  poolSize: 8\n"
      )
      mkdirSync(join(dir, "secrets"))
      writeFileSync(join(dir, "secrets/pg"), "from-file\n")
      const fromFile = yield* storeOf(file)
      expect(fromFile).toMatchObject({ _tag: "Postgres", url: "postgres://tongbu@db.example:5432/tongbu", poolSize: 8 })
      expect(fromFile._tag === "Postgres" && Option.map(fromFile.password, Redacted.value)).toEqual(
        Option.some("from-file")
      )
      const fromEnv = yield* storeOf(file, { TONGBU_STATE_PASSWORD: "from-env" })
      expect(fromEnv._tag === "Postgres" && Option.map(fromEnv.password, Redacted.value)).toEqual(
        Option.some("from-env")
      )
      expect(String(fromEnv._tag === "Postgres" && fromEnv.password)).not.toContain("from-env")
    })
  )

  it.effect("TONGBU_STATE_URL alone names the store; the pool is 4 connections unless said", () =>
    Effect.gen(function* () {
      const store = yield* storeOf(Option.none(), { TONGBU_STATE_URL: "postgresql://u@127.0.0.1/state" })
      expect(store).toEqual({
        _tag: "Postgres",
        url: "postgresql://u@127.0.0.1/state",
        password: Option.none(),
        poolSize: 4
      })
    })
  )

  it.effect("a password inside the URL is refused, never echoed, and the message says where it belongs", () =>
    Effect.gen(function* () {
      const inFile = yield* failure(dirWith("state:\n  url: postgres://tongbu:hunter2@db:5432/tongbu\n").file)
      expect(inFile).toContain("key `state.url` in ")
      expect(inFile).toContain("carries a password")
      expect(inFile).toContain("TONGBU_STATE_PASSWORD or state.passwordFile")
      expect(inFile).not.toContain("hunter2")
      const inEnv = yield* failure(Option.none(), { TONGBU_STATE_URL: "postgres://tongbu:hunter2@db/tongbu" })
      expect(inEnv).toContain("TONGBU_STATE_URL carries a password")
      expect(inEnv).not.toContain("hunter2")
    })
  )

  it.effect("state.url with state.database is an error naming both; so is a URL that is not postgres://…/db", () =>
    Effect.gen(function* () {
      const both = yield* failure(dirWith("state:\n  url: postgres://t@db/t\n  database: s.db\n").file)
      expect(both).toContain("`state.url`")
      expect(both).toContain("`state.database`")
      expect(both).toContain("not both")
      const envBoth = yield* failure(Option.none(), { TONGBU_STATE_URL: "postgres://t@db/t", TONGBU_STATE_DB: "/s.db" })
      expect(envBoth).toContain("TONGBU_STATE_URL and TONGBU_STATE_DB both name the state store")
      expect(yield* failure(Option.none(), { TONGBU_STATE_URL: "mysql://t@db/t" })).toContain(
        "is not a postgres:// URL"
      )
      expect(yield* failure(Option.none(), { TONGBU_STATE_URL: "postgres://t@db" })).toContain("names no database")
      expect(yield* failure(Option.none(), { TONGBU_STATE_URL: "db:5432" })).toContain("is not a postgres:// URL")
      expect(yield* failure(dirWith("state:\n  passwordFile: pw\n").file)).toContain("key `state.passwordFile` in ")
      expect(yield* failure(dirWith("state:\n  url: postgres://t@db/t\n  passwordFile: nope\n").file)).toContain(
        "cannot read the state store's password file"
      )
    })
  )
})

describe("Config of another pair", () => {
  it("its sections beside the runner's: the default pair's keys are unknown there, errors name the key", () => {
    expect(Either.isRight(Config.parseConfigFile(templateFor(memory), "t.yaml", memory))).toBe(true)
    expect(Config.parseConfigFile(templateFor(memory), "t.yaml", memory)).toEqual(
      Config.parseConfigFile("", "empty", memory)
    )
    expect(message(Config.parseConfigFile("erp:\n  url: http://x\n", "t.yaml", memory))).toContain(
      "key `erp`: unknown key"
    )
    expect(message(Config.parseConfigFile("left:\n  customers: 3\n", "t.yaml", memory))).toContain(
      "key `left.customers`"
    )
    expect(templateFor(memory, "./memory.mjs")).toContain('pair: "./memory.mjs"')
  })

  it("the template's schedule comments name the pair's sides by its labels", () => {
    const push = (text: string) => text.split("\n").find((line) => line.trimStart().startsWith("push:"))
    expect(push(template)).toContain("(hub → ERP)")
    expect(push(templateFor({ ...memory, labels: { left: "hub", right: "table" } }))).toContain("(hub → table)")
    expect(templateFor({ ...memory, labels: { left: "hub", right: "table" } })).not.toMatch(/\berp\b/i)
  })

  it.effect("loadWith gives the pair its sections and the runner its own", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "tongbu-config-"))
      writeFileSync(join(dir, "t.yaml"), "pair: ./memory.mjs\nleft:\n  customers: [{ name: a, mobile: '1' }]\n")
      const settings = yield* Config.loadWith(memory)(Option.some(join(dir, "t.yaml"))).pipe(
        Effect.provide(withEnv({}))
      )
      expect(settings.left.customers).toEqual([{ name: "a", mobile: "1" }])
      expect(settings.right.customers).toEqual([])
      expect(settings.pair).toBe("./memory.mjs")
      expect(settings.state.store).toEqual({ _tag: "Sqlite", database: join(dir, ".tongbu/state.db") })
    })
  )
})
