import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { ConfigSchema, Pair } from "../src/index.js"

const minimal = Pair.make({
  name: "minimal",
  description: "two sides",
  sections: { side: ConfigSchema.section({ size: ConfigSchema.withDefault(ConfigSchema.PositiveInt, () => 3) }) },
  settings: (sections) => Effect.succeed(sections),
  policy: () => ({
    mappings: [],
    naturalKey: { left: () => null, right: () => null },
    uniqueKeys: { left: [], right: [] },
    admission: { toRight: [], toLeft: [] }
  }),
  layer: () => Layer.empty as never,
  init: { title: "two sides", environment: [], sections: "side:\n  size: 3\n", next: "sync" }
})

describe("Pair", () => {
  it("make fills in what a pair may leave out", () => {
    expect(minimal.labels).toEqual({ left: "left", right: "right" })
    expect(minimal.forbiddenKeys).toEqual({})
    expect(Option.isNone(minimal.check)).toBe(true)
    expect(minimal.metrics).toEqual([])
    expect(minimal.commands({} as never)).toEqual([])
  })

  it("labelsIn gives a language's labels, the English ones where a pair gives none for it", () => {
    const labels = { left: "hub", right: "table", zh: { left: "中台", right: "数据表" } }
    expect(Pair.labelsIn(labels, "zh")).toEqual({ left: "中台", right: "数据表" })
    expect(Pair.labelsIn(labels, "en")).toEqual({ left: "hub", right: "table" })
    expect(Pair.labelsIn({ left: "hub", right: "table" }, "zh")).toEqual({ left: "hub", right: "table" })
  })

  it("isPair knows a pair by its global symbol, also one made by another copy of this package", () => {
    expect(Pair.isPair(minimal)).toBe(true)
    expect(Pair.isPair({ ...minimal })).toBe(true)
    expect(Pair.isPair({ [Symbol.for("@tongbu/pair/Pair")]: Symbol.for("@tongbu/pair/Pair") })).toBe(true)
    for (const value of [null, undefined, 3, "pair", { name: "minimal" }, { [Symbol("@tongbu/pair/Pair")]: 1 }])
      expect(Pair.isPair(value)).toBe(false)
  })
})
