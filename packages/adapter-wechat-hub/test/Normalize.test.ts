import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Option } from "effect"
import {
  cleanFlag,
  cleanInteger,
  cleanMobile,
  cleanNumber,
  cleanText,
  maskMobile,
  normalizeMobile
} from "../src/index.js"
import { numRuns } from "./helpers.js"

const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }))
  .map(([second, rest]) => `1${second}${rest.join("")}`)

/** The ways people write a mobile in the hub: spaces, dashes, country prefixes, full-width digits. */
const messyMobile = fc
  .tuple(mobile, fc.constantFrom("", "+86", "+86 ", "86", "0086"), fc.constantFrom("", " ", "-"), fc.boolean())
  .map(([m, prefix, sep, wide]) => {
    const text = `${prefix}${m.slice(0, 3)}${sep}${m.slice(3, 7)}${sep}${m.slice(7)}`
    return { mobile: m, text: wide ? text.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))) : text }
  })

describe("normalizeMobile", () => {
  it.each([
    ["13800138000", "13800138000"],
    ["138 0013 8000", "13800138000"],
    ["+86 138-0013-8000", "13800138000"],
    ["8613800138000", "13800138000"],
    ["0086 13800138000", "13800138000"],
    ["(+86)138.0013.8000", "13800138000"],
    ["１３８００１３８０００", "13800138000"]
  ])("reads %s as %s", (raw, expected) => expect(normalizeMobile(raw)).toEqual(Option.some(expected)))

  it.each([["1380013800"], ["023-68888888"], ["12800138000"], ["138001380001"], ["abc"], [""], ["86"]])(
    "rejects %s",
    (raw) => expect(normalizeMobile(raw)).toEqual(Option.none())
  )

  it.prop(
    "every messy way of writing a mobile normalizes to it",
    [messyMobile],
    ([{ mobile: m, text }]) => {
      expect(normalizeMobile(text)).toEqual(Option.some(m))
    },
    { fastCheck: { numRuns: numRuns * 8 } }
  )

  it.prop(
    "is idempotent",
    [
      fc.oneof(
        messyMobile.map((x) => x.text),
        fc.string()
      )
    ],
    ([raw]) => {
      const once = cleanMobile(raw)
      expect(cleanMobile(once)).toEqual(once)
      Option.map(normalizeMobile(raw), (normalized) =>
        expect(normalizeMobile(normalized)).toEqual(Option.some(normalized))
      )
    },
    { fastCheck: { numRuns: numRuns * 8 } }
  )
})

describe("maskMobile", () => {
  it("shows the first three and last four digits of a mobile", () => {
    expect(maskMobile("13800138000")).toBe("138****8000")
    expect(maskMobile("+86 138 0013 8000")).toBe("138****8000")
  })

  it.prop(
    "never reveals the middle four digits of a mobile, however it is written",
    [messyMobile],
    ([{ mobile: m, text }]) => {
      expect(maskMobile(text)).toBe(`${m.slice(0, 3)}****${m.slice(7)}`)
    },
    { fastCheck: { numRuns: numRuns * 8 } }
  )

  it.prop(
    "hides at least four characters of anything",
    [fc.string({ minLength: 0, maxLength: 30 })],
    ([raw]) => {
      const masked = maskMobile(raw)
      const shown = Array.from(masked.replace("****", "")).length
      const length = Array.from(raw.normalize("NFKC").replace(/\s+/g, "")).length
      expect(masked).toContain("****")
      expect(shown).toBeLessThanOrEqual(Math.max(0, Math.min(7, length - 4)))
    },
    { fastCheck: { numRuns: numRuns * 8 } }
  )
})

describe("clean values", () => {
  it("reads blank text as null and trims the rest", () => {
    expect(cleanText("")).toBeNull()
    expect(cleanText("   ")).toBeNull()
    expect(cleanText(null)).toBeNull()
    expect(cleanText("  重庆某某贸易有限公司 ")).toBe("重庆某某贸易有限公司")
    expect(cleanText(42)).toBe("42")
  })

  it("reads the hub's flags, however stored", () => {
    for (const yes of [1, "1", "true", "True", true, 2]) expect(cleanFlag(yes)).toBe(true)
    for (const no of [0, "0", "false", "False", "", null, false]) expect(cleanFlag(no)).toBe(false)
  })

  it("reads numbers stored as text, and keeps what is not a number", () => {
    expect(cleanNumber("88")).toBe(88)
    expect(cleanNumber(" 88.5 ")).toBe(88.5)
    expect(cleanNumber("")).toBeNull()
    expect(cleanNumber("高")).toBe("高")
    expect(cleanInteger("2")).toBe(2)
    expect(cleanInteger(1.5)).toBe("1.5")
  })
})
