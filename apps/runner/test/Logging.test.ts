import { describe, expect, it } from "@effect/vitest"
import { Effect, Logger } from "effect"
import * as Logging from "../src/Logging.js"

describe("Logging", () => {
  it.effect("a masked logger never sees the mobile, in the message or the annotations", () =>
    Effect.gen(function* () {
      const seen: Array<unknown> = []
      const capture = Logging.masked(
        Logger.make(({ message, annotations }) => seen.push(message, Object.fromEntries(annotations)))
      )
      yield* Effect.logInfo("pushed", { mobile: "13800138000" }).pipe(
        Effect.annotateLogs("phone", "13900139000"),
        Effect.provide(Logger.replace(Logger.defaultLogger, capture))
      )
      expect(JSON.stringify(seen)).not.toMatch(/13800138000|13900139000/)
      expect(JSON.stringify(seen)).toContain("138****8000")
    })
  )
})
