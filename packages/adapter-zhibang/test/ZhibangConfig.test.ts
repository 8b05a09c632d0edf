import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Duration, Effect, Redacted } from "effect"
import { ZhibangConfig } from "../src/index.js"

const load = (env: Record<string, string>) =>
  Effect.withConfigProvider(
    ZhibangConfig.fromEnv,
    ConfigProvider.fromMap(new Map(Object.entries(env)), { pathDelim: "_" })
  )

describe("ZhibangConfig.fromEnv", () => {
  it.effect("reads ZHIBANG_* with polite defaults, the password as a secret", () =>
    Effect.gen(function* () {
      const config = yield* load({
        ZHIBANG_BASE_URL: "http://erp.example.cn:8088",
        ZHIBANG_USER: "sync",
        ZHIBANG_PASSWORD: "s3cret"
      })
      expect(config).toMatchObject({
        baseUrl: "http://erp.example.cn:8088",
        user: "sync",
        maxInFlight: 5,
        requestsPerSecond: 10,
        readRetries: 3
      })
      expect(Redacted.value(config.password)).toBe("s3cret")
      expect(String(config.password)).not.toContain("s3cret")
      expect(JSON.stringify(config)).not.toContain("s3cret")
      expect(Duration.toMillis(config.requestTimeout!)).toBe(30_000)
    })
  )

  it.effect("reads the limits", () =>
    Effect.map(
      load({
        ZHIBANG_BASE_URL: "https://erp.example.cn",
        ZHIBANG_USER: "sync",
        ZHIBANG_PASSWORD: "x",
        ZHIBANG_MAX_IN_FLIGHT: "2",
        ZHIBANG_REQUESTS_PER_SECOND: "3",
        ZHIBANG_REQUEST_TIMEOUT: "10 seconds",
        ZHIBANG_SERIALNUM: "ABC123"
      }),
      (config) =>
        expect(config).toMatchObject({
          maxInFlight: 2,
          requestsPerSecond: 3,
          serialnum: "ABC123",
          requestTimeout: Duration.seconds(10)
        })
    )
  )

  it.effect("refuses a bad URL, a zero limit or a long serial number, saying which", () =>
    Effect.gen(function* () {
      const base = { ZHIBANG_BASE_URL: "http://erp", ZHIBANG_USER: "u", ZHIBANG_PASSWORD: "p" }
      const messages = yield* Effect.all(
        [
          { ...base, ZHIBANG_BASE_URL: "erp.example.cn" },
          { ...base, ZHIBANG_MAX_IN_FLIGHT: "0" },
          { ...base, ZHIBANG_SERIALNUM: "x".repeat(21) },
          { ZHIBANG_BASE_URL: "http://erp", ZHIBANG_USER: "u" }
        ].map((env) => Effect.map(Effect.flip(load(env)), String))
      )
      expect(messages[0]).toContain("BASE_URL")
      expect(messages[1]).toContain("MAX_IN_FLIGHT must be greater than 0")
      expect(messages[2]).toContain("SERIALNUM")
      expect(messages[3]).toContain("PASSWORD")
    })
  )
})
