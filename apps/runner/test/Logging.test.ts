import { describe, expect, it } from "@effect/vitest"
import { fc, test } from "@fast-check/vitest"
import { Effect, Logger } from "effect"
import * as Logging from "../src/Logging.js"

const runs = Number(process.env.TONGBU_PROP_RUNS ?? 100)

describe("Logging", () => {
  it("masks mainland mobiles wherever they occur", () => {
    expect(Logging.maskMobiles("call 13800138000 now")).toBe("call 138****8000 now")
    expect(Logging.maskMobiles("+86 138-0013-8000")).toBe("+86 138****8000")
    expect(Logging.maskMobiles("ids 1234567890123 and 12800138000 stay")).toBe("ids 1234567890123 and 12800138000 stay")
  })

  test.prop([fc.stringMatching(/^1[3-9]\d{9}$/), fc.string(), fc.string()], { numRuns: runs })(
    "no 11-digit mobile survives masking",
    (mobile, before, after) => {
      const masked = Logging.maskMobiles(`${before} ${mobile} ${after}`)
      expect(masked).not.toContain(mobile)
      expect(masked).toContain(`${mobile.slice(0, 3)}****${mobile.slice(-4)}`)
    }
  )

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
