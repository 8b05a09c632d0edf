import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Option, Schema } from "effect"
import {
  assignmentFor,
  defaultMapping,
  followUpPayload,
  followUpTemplate,
  hubIdOfKhid,
  jzForScore,
  khidFor,
  ZhibangMapping
} from "../src/index.js"

const numRuns = Number(process.env.TONGBU_PROP_RUNS ?? 100)
const decode = Schema.decodeUnknownEither(ZhibangMapping)
const mappingWith = (input: unknown) => Either.getOrThrow(decode(input))

describe("ZhibangMapping", () => {
  it("decodes {} to sync-rules' defaults", () => {
    expect(defaultMapping).toMatchObject({
      khidPrefix: "WX",
      ly: 171,
      sort1: "17,146",
      followUp: { defaultTemplate: 120, sort: 484, plantype: 0 },
      assignment: { top: { minScore: 80, salespeople: [] }, general: { minScore: 60, salespeople: [] } }
    })
  })

  it("overrides one nested value and keeps the other defaults", () => {
    const mapping = mappingWith({
      followUp: { sort: 481 },
      assignment: { general: { minScore: 50, salespeople: ["7"] } }
    })
    expect(mapping.followUp).toMatchObject({ sort: 481, plantype: 0, defaultTemplate: 120 })
    expect(mapping.followUp.templates).toHaveLength(5)
    expect(mapping.assignment.top).toEqual({ minScore: 80, salespeople: [] })
  })

  it("refuses a jz scale without a final else step", () => {
    expect(Either.isLeft(decode({ jzScale: [{ min: 10, jz: 175 }] }))).toBe(true)
    expect(Either.isLeft(decode({ jzScale: [{ else: 290 }, { min: 10, jz: 175 }] }))).toBe(true)
  })
})

describe("jzForScore", () => {
  it.each([
    [100, 175],
    [90, 175],
    [89.9, 289],
    [75, 289],
    [60, 176],
    [45, 177],
    [44, 290],
    [0, 290]
  ])("score %d → jz %d", (score, jz) => expect(jzForScore(defaultMapping, score)).toBe(jz))

  it.prop(
    "never gives a higher value to a lower score",
    [fc.double({ min: 0, max: 100, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true })],
    ([a, b]) => {
      const rank = (jz: number) => [175, 289, 176, 177, 290].indexOf(jz)
      const [low, high] = a <= b ? [a, b] : [b, a]
      expect(rank(jzForScore(defaultMapping, low))).toBeGreaterThanOrEqual(rank(jzForScore(defaultMapping, high)))
    },
    { fastCheck: { numRuns } }
  )
})

describe("followUpTemplate", () => {
  it.each([
    ["客户说谈的很好，让发合同", 106],
    ["打了两次，电话未接", 107],
    ["他们还没考虑好", 108],
    ["约了下周见面", 109],
    ["还在研究一下方案", 120],
    ["随便聊聊", 120]
  ])("'%s' → %d", (text, id) => expect(followUpTemplate(defaultMapping, text)).toBe(id))

  it("follows the templates' order when several match, and the configured templates", () => {
    expect(followUpTemplate(defaultMapping, "很好，约面谈")).toBe(106)
    expect(
      followUpTemplate(
        mappingWith({ followUp: { templates: [{ id: 300, keywords: ["报价"] }], defaultTemplate: 301 } }),
        "要报价"
      )
    ).toBe(300)
  })

  it.prop(
    "always gives a configured template id",
    [fc.string()],
    ([text]) => {
      const ids = [...defaultMapping.followUp.templates.map((t) => t.id), defaultMapping.followUp.defaultTemplate]
      expect(ids).toContain(followUpTemplate(defaultMapping, text))
    },
    { fastCheck: { numRuns } }
  )

  it("makes the follow-up action's payload", () => {
    expect(followUpPayload(defaultMapping, "电话无人接听")).toEqual({ intro: "107", sort: 484, plantype: 0 })
  })
})

describe("assignmentFor", () => {
  const mapping = mappingWith({
    assignment: {
      top: { minScore: 80, salespeople: ["61", "62"] },
      general: { minScore: 60, salespeople: ["63", "64", "65"] }
    }
  })

  it("gives top scores to every top salesperson, middle ones to one general salesperson, the rest to the pool", () => {
    expect(assignmentFor(mapping, 85, 1)).toEqual({ member1: 0, member2: "61,62" })
    expect(assignmentFor(mapping, 70, 1)).toEqual({ member1: 0, member2: "64" })
    expect(assignmentFor(mapping, 59, 1)).toEqual({ member1: 1, member2: "" })
  })

  it("falls through a tier without salespeople", () => {
    expect(assignmentFor(defaultMapping, 95, 1)).toEqual({ member1: 1, member2: "" })
    expect(
      assignmentFor(mappingWith({ assignment: { general: { minScore: 60, salespeople: ["9"] } } }), 95, 1)
    ).toEqual({ member1: 0, member2: "9" })
  })

  it.prop(
    "shares general customers round-robin: n consecutive turns reach every general salesperson once",
    [fc.integer({ min: -1000, max: 1000 })],
    ([turn]) => {
      const picked = [0, 1, 2].map((k) => assignmentFor(mapping, 70, turn + k).member2).sort()
      expect(picked).toEqual(["63", "64", "65"])
    },
    { fastCheck: { numRuns } }
  )
})

describe("khidFor", () => {
  it("makes WX + hub id", () => expect(khidFor(defaultMapping, 1024)).toBe("WX1024"))

  it.prop(
    "round-trips through hubIdOfKhid, for any prefix",
    [fc.string({ minLength: 1 }), fc.string({ minLength: 1 })],
    ([prefix, hubId]) => {
      const mapping = mappingWith({ khidPrefix: prefix })
      expect(hubIdOfKhid(mapping, khidFor(mapping, hubId))).toEqual(Option.some(hubId))
    },
    { fastCheck: { numRuns } }
  )

  it("reads no hub id from a khid made otherwise", () => {
    expect(hubIdOfKhid(defaultMapping, "KH000123")).toEqual(Option.none())
    expect(hubIdOfKhid(defaultMapping, "WX")).toEqual(Option.none())
  })
})
