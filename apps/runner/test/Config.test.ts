import { mkdtempSync, writeFileSync } from "node:fs"
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
      expect(alone.state.database).toBe("/s.db")

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
      expect(fromFile.state.database).toBe(join(dir, ".tongbu/state.db"))
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
      expect(settings.state.database).toBe(join(dir, ".tongbu/state.db"))
    })
  )
})
