import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import type { Table } from "../../../src/internal/wire/answer.js"
import {
  billFields,
  decodeEnvelope,
  decodeV3,
  fieldValue,
  isRequired,
  zipRows
} from "../../../src/internal/wire/answer.js"

/** Answers written by hand from the examples of zhibang-wire.md, one per variant. */
const decode = (value: unknown) => Option.getOrThrow(decodeEnvelope(JSON.stringify(value)))

describe("decodeEnvelope", () => {
  it("reads a numeric status and a string one alike", () => {
    expect(decode({ header: { status: 0, message: "", session: "S1" } }).header?.status).toBe("0")
    expect(decode({ header: { status: "11", message: "服务程序发生错误:x" } }).header?.status).toBe("11")
  })

  it("tolerates missing header, body and keys", () => {
    expect(decode({})).toEqual({})
    expect(decode({ header: {} }).header).toEqual({})
    expect(decode({ header: { status: 0 }, body: null }).body).toBeNull()
  })

  it("strips a byte-order mark", () => {
    expect(Option.isSome(decodeEnvelope(`\uFEFF${JSON.stringify({ header: { status: 0 } })}`))).toBe(true)
  })

  it("refuses what is not JSON: a plain-text notice, an HTML page, an empty body, a JSON array", () => {
    for (const text of [
      "系统【服务端】未正常启动，请检查服务器环境是否正常。",
      "<html><body><h1>502 Bad Gateway</h1></body></html>",
      "",
      "[1,2]"
    ]) {
      expect(Option.isNone(decodeEnvelope(text))).toBe(true)
    }
  })

  it("reads a save message (spec §2)", () => {
    const envelope = decode({
      header: { status: 0, message: "", session: "S1" },
      body: {
        model: "message",
        action: "",
        message: { title: "", text: "保存成功", url: "x", wait: 0, target: "self", uitype: "", data: "" }
      }
    })
    expect(envelope.body?.message?.text).toBe("保存成功")
  })
})

describe("bills (spec §4.3)", () => {
  const bill = {
    id: "custom",
    value: 12345,
    groups: [
      {
        id: "base",
        fields: [
          { id: "name", caption: "客户名称", text: "某公司", value: "某公司", notnull: true, maxl: 100 },
          {
            id: "ly",
            caption: "客户来源",
            text: "陌生开发",
            value: 173,
            source: { type: "options", options: [{ n: "陌生开发", v: "173" }] }
          },
          { id: "jz", caption: "价值评估", text: "很高", source: { type: "options", options: [] } },
          { id: "khid", caption: "客户编号", text: "WX1" },
          { id: "address" }
        ]
      },
      { id: "empty" }
    ]
  }

  it("gives each field's stored value: value, or text only for a field that is not an enumeration", () => {
    const fields = billFields(decode({ body: { model: "bill", bill } }).body!.bill!)
    expect(Object.fromEntries(fields.map((f) => [f.id, fieldValue(f)]))).toEqual({
      name: "某公司",
      ly: "173",
      jz: null,
      khid: "WX1",
      address: null
    })
    expect(fields.filter(isRequired).map((f) => f.id)).toEqual(["name"])
  })

  it("reads the allocated id, numeric or text", () => {
    expect(decode({ body: { bill: { value: 77 } } }).body?.bill?.value).toBe("77")
    expect(decode({ body: { bill: { value: "78" } } }).body?.bill?.value).toBe("78")
  })
})

describe("tables (spec §4.4)", () => {
  const table = (value: unknown): Table =>
    decode({ body: { model: "source", source: { type: "table", table: value } } }).body!.source!.table!

  it("zips positional rows by column id, never by position", () => {
    const rows = zipRows(
      table({
        page: { recordcount: "2" },
        cols: [{ id: "name" }, { id: "ord" }],
        rows: [
          ["甲", "574"],
          ["乙", 575]
        ]
      })
    )
    expect(rows).toEqual([
      { name: "甲", ord: "574" },
      { name: "乙", ord: "575" }
    ])
  })

  it("unwraps rows that arrive as objects wrapping value", () => {
    const rows = zipRows(table({ cols: [{ id: "ord" }, { id: "name" }], rows: [{ value: ["9", "丙"] }] }))
    expect(rows).toEqual([{ ord: "9", name: "丙" }])
  })

  it("reads a short row's missing cells as null and empty cells as null", () => {
    expect(zipRows(table({ cols: [{ id: "ord" }, { id: "mobile" }, { id: "phone" }], rows: [["9", ""]] }))).toEqual([
      { ord: "9", mobile: null, phone: null }
    ])
  })

  it("reads an empty list whether its members are empty or missing", () => {
    expect(zipRows(table({ page: {}, cols: [], rows: [] }))).toEqual([])
    expect(zipRows(table({}))).toEqual([])
    expect(table({ page: { recordcount: "0", pagecount: "" } }).page).toEqual({ recordcount: 0, pagecount: null })
  })
})

describe("decodeV3", () => {
  it("reads Code as a number or a numeric string", () => {
    expect(Option.getOrThrow(decodeV3('{"Code":200,"Msg":"ok"}')).Code).toBe(200)
    expect(Option.getOrThrow(decodeV3('{"Code":"300","Msg":"客户名称不能为空！"}'))).toEqual({
      Code: 300,
      Msg: "客户名称不能为空！"
    })
    expect(Option.isNone(decodeV3("<html></html>"))).toBe(true)
  })
})
