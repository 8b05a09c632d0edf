import { describe, expect, it } from "@effect/vitest"
import { excerpt, maskPhone, redactFields } from "../../src/internal/redact.js"

describe("redaction", () => {
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
