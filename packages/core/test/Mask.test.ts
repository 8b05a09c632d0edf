import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import { maskMobiles } from "../src/Mask.js"
import { propParams } from "./harness.js"

describe("maskMobiles", () => {
  it("masks a mobile written with +86, spaces or dashes, or inside text", () => {
    expect(maskMobiles("+86 138-0013-8000")).toBe("+86 138****8000")
    expect(maskMobiles("138 0013 8000")).toBe("138****8000")
    expect(maskMobiles("call13800138000now")).toBe("call138****8000now")
    expect(maskMobiles("此手机【13800138000】已存在！")).toBe("此手机【138****8000】已存在！")
    expect(maskMobiles("8613800138000, 0086 13900139000")).toBe("86138****8000, 0086 139****9000")
  })

  it("leaves longer numbers and numbers that are no mainland mobile as they are", () => {
    expect(maskMobiles("id 213800138000999")).toBe("id 213800138000999")
    expect(maskMobiles("ids 1234567890123 and 12800138000 stay")).toBe("ids 1234567890123 and 12800138000 stay")
    expect(maskMobiles("010-88886666")).toBe("010-88886666")
  })

  it.prop(
    "no mobile survives, in any of its written forms, and its first 3 and last 4 digits stay",
    [
      fc.stringMatching(/^1[3-9]\d{9}$/),
      fc.constantFrom("", "+86 ", "86", "+86-"),
      fc.constantFrom("", " ", "-"),
      fc.string(),
      fc.string()
    ],
    ([mobile, prefix, separator, before, after]) => {
      const written = `${prefix}${mobile.slice(0, 3)}${separator}${mobile.slice(3, 7)}${separator}${mobile.slice(7)}`
      const masked = maskMobiles(`${before} ${written} ${after}`)
      expect(masked).not.toContain(written)
      expect(masked).toContain(`${mobile.slice(0, 3)}****${mobile.slice(-4)}`)
    },
    { fastCheck: propParams(100) }
  )
})
