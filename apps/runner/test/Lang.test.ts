import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Option } from "effect"
import * as Lang from "../src/Lang.js"

const resolveWith = (env: Record<string, string>, flag: Option.Option<Lang.Lang> = Option.none()) =>
  Lang.resolve(flag).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))

describe("Lang", () => {
  it("the locale decides: LC_ALL, else LC_MESSAGES, else LANG; zh_* is Chinese, anything else English", () => {
    expect(Lang.fromLocale({ LANG: "zh_CN.UTF-8" })).toBe("zh")
    expect(Lang.fromLocale({ LANG: "zh_TW" })).toBe("zh")
    expect(Lang.fromLocale({ LANG: "en_US.UTF-8" })).toBe("en")
    expect(Lang.fromLocale({})).toBe("en")
    expect(Lang.fromLocale({ LANG: "C.UTF-8" })).toBe("en")
    expect(Lang.fromLocale({ LC_ALL: "en_US.UTF-8", LANG: "zh_CN.UTF-8" })).toBe("en")
    expect(Lang.fromLocale({ LC_MESSAGES: "zh_CN.UTF-8", LANG: "en_US" })).toBe("zh")
    // an empty variable is not set (POSIX)
    expect(Lang.fromLocale({ LC_ALL: "", LANG: "zh_CN.UTF-8" })).toBe("zh")
  })

  it.effect("--lang wins over TONGBU_LANG, which wins over the locale", () =>
    Effect.gen(function* () {
      expect(yield* resolveWith({ LANG: "zh_CN.UTF-8" })).toBe("zh")
      expect(yield* resolveWith({ LANG: "zh_CN.UTF-8", TONGBU_LANG: "en" })).toBe("en")
      expect(yield* resolveWith({ LANG: "en_US.UTF-8", TONGBU_LANG: "zh" })).toBe("zh")
      expect(yield* resolveWith({ TONGBU_LANG: "zh" }, Option.some("en"))).toBe("en")
      expect(yield* resolveWith({})).toBe("en")
    })
  )

  it.effect("a TONGBU_LANG that is neither en nor zh is a configuration error naming it", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(resolveWith({ TONGBU_LANG: "fr" }))
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit)) {
        const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
        expect(error?._tag).toBe("ConfigError")
        expect(error?.message).toBe(`TONGBU_LANG must be en or zh, got "fr"`)
      }
    })
  )
})
