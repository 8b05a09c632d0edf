import { describe, expect, it } from "@effect/vitest"
import { LeftAdapter } from "@tongbu/core"
import { ConfigProvider, Effect, Layer, Option } from "effect"
import { defaultHubOptions, HubAdapter, HubConfig } from "../src/index.js"
import { hubFixture, listAll } from "./helpers.js"

const fromEnv = (env: Record<string, string>) =>
  Effect.withConfigProvider(HubConfig, ConfigProvider.fromMap(new Map(Object.entries(env))))

describe("HubConfig", () => {
  it.effect("reads the environment, with the documented defaults", () =>
    Effect.gen(function* () {
      expect(yield* fromEnv({ TONGBU_HUB_DB: "data/data.db" })).toEqual({ ...defaultHubOptions, path: "data/data.db" })
      const set = yield* fromEnv({
        TONGBU_HUB_DB: "/srv/hub/data.db",
        TONGBU_HUB_TIME_ZONE: "+08:00",
        TONGBU_HUB_INTAKE: "false",
        TONGBU_HUB_PAGE_SIZE: "100",
        TONGBU_HUB_BUSY_RETRIES: "3"
      })
      expect(set).toMatchObject({
        path: "/srv/hub/data.db",
        timeZone: "+08:00",
        intake: false,
        pageSize: 100,
        busyRetries: 3
      })
    })
  )

  it.effect("says what is wrong with a setting", () =>
    Effect.gen(function* () {
      expect(String(yield* Effect.flip(fromEnv({})))).toContain("TONGBU_HUB_DB")
      expect(String(yield* Effect.flip(fromEnv({ TONGBU_HUB_DB: "x", TONGBU_HUB_PAGE_SIZE: "0" })))).toContain(
        "TONGBU_HUB_PAGE_SIZE must be a positive whole number"
      )
    })
  )

  it.scoped("layerConfig provides the hub as the core's left side", () =>
    Effect.gen(function* () {
      const { path, customers } = yield* hubFixture({ customers: 4, seed: 1, contacts: 0 })
      const layer = HubAdapter.layerConfig().pipe(
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["TONGBU_HUB_DB", path]]))))
      )
      const listed = yield* Effect.provide(
        Effect.flatMap(LeftAdapter, (adapter) => {
          expect(adapter.name).toBe("hub")
          expect(adapter.capabilities).toEqual({
            serializeCreates: false,
            concurrency: 1,
            canDelete: true,
            idempotentActions: true
          })
          return listAll(adapter, Option.none())
        }),
        layer
      )
      expect(listed.length).toBe(customers.length)
    })
  )
})
