import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { excerpt, maskMobiles, maskPhone, redactFields } from "../../src/internal/redact.js"

const numRuns = Number(process.env.TONGBU_PROP_RUNS ?? 100)
const mobile = fc.tuple(fc.constantFrom("13", "15", "18", "19"), fc.stringMatching(/^\d{9}$/)).map(([a, b]) => a + b)

describe("redaction", () => {
  it("masks mainland mobiles wherever they are, and nothing longer", () => {
    expect(maskMobiles("此手机【13800138000】已存在！")).toBe("此手机【138****8000】已存在！")
    expect(maskMobiles("id 213800138000999")).toBe("id 213800138000999")
  })

  it.prop(
    "leaves no whole mobile in a text",
    [fc.string(), mobile, fc.string()],
    ([before, number, after]) => {
      expect(maskMobiles(`${before} ${number} ${after}`)).not.toContain(number)
    },
    { fastCheck: { numRuns } }
  )

  it("masks any phone but its first 3 and last 4 digits", () => {
    expect(maskPhone("13800138000")).toBe("138****8000")
    expect(maskPhone("010-88886666")).toBe("010-****6666")
  })

  it("traces personal fields as their length, phones masked, the rest as they are", () => {
    expect(
      redactFields({ name: "张三", mobile: "13800138000", ord: 5, sort1: "17,146", password: "txt:x", skip: undefined })
    ).toEqual({
      name: "‹2 chars›",
      mobile: "138****8000",
      ord: 5,
      sort1: "17,146",
      password: "‹5 chars›"
    })
  })

  it("shows a short, flat excerpt of an HTML page", () => {
    expect(excerpt("<html><body><h1>502 Bad Gateway</h1>\n<p>nginx</p></body></html>")).toBe("502 Bad Gateway nginx")
    expect(excerpt("x".repeat(200))).toHaveLength(81)
  })
})
