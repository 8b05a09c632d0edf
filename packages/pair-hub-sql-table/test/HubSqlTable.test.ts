import { describe, expect, it } from "@effect/vitest"
import { ConfigError } from "@tongbu/pair"
import { ConfigProvider, Effect, Option, Schema } from "effect"
import { Policy, pair, Sections, Settings } from "../src/index.js"

const context = {
  file: Option.some("/etc/tongbu/tongbu.yaml"),
  resolve: (path: string) => `/etc/tongbu/${path}`,
  missing: (what: string, key: string, variable: string) =>
    new ConfigError({ message: `${what} is not configured: set ${variable} or \`${key}\`` })
}

const decode = Schema.decodeUnknownSync(Schema.Struct(Sections.sections))

const settingsOf = (input: unknown, env: Record<string, string> = {}) =>
  Settings.resolve(decode(input), context).pipe(
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )

const table = {
  path: "crm.db",
  table: "customers",
  idColumn: "id",
  columns: { code: "code", name: "full_name", mobile: "mobile" },
  versionColumn: "row_version"
}

describe("the hub↔sql-table pair", () => {
  it.effect("paths are relative to the file, the environment wins", () =>
    Effect.gen(function* () {
      const fromFile = yield* settingsOf({ hub: { database: "hub.db" }, table })
      expect(Option.getOrThrow(fromFile.hub.database)).toBe("/etc/tongbu/hub.db")
      expect((yield* Settings.requireTable(fromFile)).path).toBe("/etc/tongbu/crm.db")
      const fromEnv = yield* settingsOf({ table }, { TONGBU_SQL_TABLE_PATH: "/srv/crm.db", TONGBU_HUB_DB: "/h.db" })
      expect((yield* Settings.requireTable(fromEnv)).path).toBe("/srv/crm.db")
      expect(yield* Settings.requireHub(fromEnv)).toBe("/h.db")
    })
  )

  it.effect("a missing table section, file or required column is named", () =>
    Effect.gen(function* () {
      const none = yield* Effect.flip(Settings.requireTable(yield* settingsOf({})))
      expect(none.message).toContain("add a `table` section")
      const noPath = yield* Effect.flip(
        Settings.requireTable(yield* settingsOf({ table: { ...table, path: undefined } }))
      )
      expect(noPath.message).toContain("TONGBU_SQL_TABLE_PATH")
      const noMobile = yield* Effect.flip(
        Settings.requireTable(yield* settingsOf({ table: { ...table, columns: { code: "c", name: "n" } } }))
      )
      expect(noMobile.message).toBe("key `table.columns` must name the column of code, name, mobile: mobile missing")
    })
  )

  it.effect("the policy syncs the fields the table names, under the configured rules", () =>
    Effect.gen(function* () {
      const settings = yield* settingsOf({ table, policy: { conflicts: { name: "manual" } } })
      const policy = pair.policy(settings)
      expect(policy.mappings.map((m) => m.name)).toEqual(["code", "name", "mobile"])
      expect(policy.mappings.find((m) => m.name === "name")?.conflict).toBe("manual")
      expect(policy.mappings.find((m) => m.name === "mobile")?.conflict).toBe("right")
      const wider = Policy.make(settings, ["code", "name", "mobile", "wechat", "email"])
      expect(wider.mappings.find((m) => m.name === "wechat")?.fillIn).toBe(true)
      expect(wider.mappings.map((m) => m.name)).not.toContain("address")
    })
  )

  it("a table section the adapter refuses is named by its key", () => {
    expect(() => decode({ table: { ...table, table: "customer list" } })).toThrow(
      /"customer list" is not a plain SQL name/
    )
  })
})
