import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { LenientJsonError, parseLenientJson } from "../../src/internal/lenientJson.js"

const runs = Number(process.env.TONGBU_PROP_RUNS ?? 100)

describe("parseLenientJson", () => {
  it("reads JavaScript object literals: unquoted keys, single quotes, trailing commas, comments", () => {
    const text = `{ session: 'abc', "cmdkey": '__sys_dosave', // a comment
      datas: [ {id:'name', val:'某公司'}, {id:'ord', val: 12}, {id:'neg', val:-1.5e2}, ], /* done */ }`
    expect(parseLenientJson(text)).toEqual({
      session: "abc",
      cmdkey: "__sys_dosave",
      datas: [
        { id: "name", val: "某公司" },
        { id: "ord", val: 12 },
        { id: "neg", val: -150 }
      ]
    })
  })

  it("reads escapes, @-keys and a leading BOM", () => {
    expect(parseLenientJson(`\uFEFF{'@ret_0': 'it\\'s', u: "\\u4e2d\\n", n: null, t: true}`)).toEqual({
      "@ret_0": "it's",
      u: "中\n",
      n: null,
      t: true
    })
  })

  it("keeps __proto__ a plain key", () => {
    const value = parseLenientJson(`{"__proto__": {"polluted": 1}}`) as Record<string, unknown>
    expect(Object.keys(value)).toEqual(["__proto__"])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it.each(["{a:", "{a 1}", "[1,,]", "{'a':1} x", "unquoted", "{a:'open}", `${"[".repeat(100)}${"]".repeat(100)}`])(
    "rejects %s with a LenientJsonError",
    (text) => {
      expect(() => parseLenientJson(text)).toThrow(LenientJsonError)
    }
  )

  test.prop([fc.jsonValue()], { numRuns: runs })("reads every strict JSON text as JSON.parse does", (value) => {
    const text = JSON.stringify(value)
    expect(parseLenientJson(text)).toEqual(JSON.parse(text))
  })

  test.prop([fc.string({ unit: "binary" })], { numRuns: runs })("throws only LenientJsonError on any text", (text) => {
    try {
      parseLenientJson(text)
    } catch (error) {
      expect(error).toBeInstanceOf(LenientJsonError)
    }
  })
})
