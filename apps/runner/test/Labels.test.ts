import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { defaultPair } from "../src/DefaultPair.js"
import * as Labels from "../src/Labels.js"

const hubTable = { left: "hub", right: "table", zh: { left: "中台", right: "数据表" } }

describe("Labels", () => {
  it("--json names the sides from the English labels, lower case, letters and digits only", () => {
    expect(Labels.jsonNames(defaultPair.labels)).toEqual(Option.some({ left: "hub", right: "erp" }))
    expect(Labels.jsonNames({ left: "Sales Force", right: "SAP-2" })).toEqual(
      Option.some({ left: "salesforce", right: "sap2" })
    )
    // no two usable names: the same name twice, a name that is not one, the other side's own word
    for (const labels of [
      { left: "db", right: "DB" },
      { left: "中台", right: "table" },
      { left: "1st", right: "table" },
      { left: "right", right: "left" }
    ])
      expect(Labels.jsonNames(labels), JSON.stringify(labels)).toEqual(Option.none())
  })

  it("keyed gives a value under left/right and under the label names", () => {
    expect(Labels.keyed(hubTable, "Id", "1", "2")).toEqual({ leftId: "1", rightId: "2", hubId: "1", tableId: "2" })
    expect(Labels.keyed({ left: "db", right: "DB" }, "", 1, 2)).toEqual({ left: 1, right: 2 })
  })

  it("a side a person names: its label name or left/right, in any case; anything else is none", () => {
    expect(Labels.parseSide(defaultPair.labels, "ERP")).toEqual(Option.some("right"))
    expect(Labels.parseSide(defaultPair.labels, "hub")).toEqual(Option.some("left"))
    expect(Labels.parseSide(hubTable, "right")).toEqual(Option.some("right"))
    expect(Labels.parseSide(hubTable, "erp")).toEqual(Option.none())
    expect(Labels.sideChoices(hubTable)).toBe("hub, table, left or right")
    expect(Labels.sideChoices({ left: "db", right: "DB" })).toBe("left or right")
    expect(Labels.sideName(hubTable, "right")).toBe("table")
    expect(Labels.sideName({ left: "db", right: "DB" }, "right")).toBe("right")
  })

  it("words around a label: English headers in lower case, a space before Chinese after a Latin label", () => {
    expect(Labels.header("ERP")).toBe("erp")
    expect(Labels.beforeChinese("ERP", "的值")).toBe("ERP 的值")
    expect(Labels.beforeChinese("中台", "的值")).toBe("中台的值")
    expect(Labels.labelOf(hubTable, "right", "zh")).toBe("数据表")
    expect(Labels.labelOf({ left: "crm", right: "table" }, "left", "zh")).toBe("crm")
  })
})
