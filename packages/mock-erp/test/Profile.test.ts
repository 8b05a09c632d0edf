import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { encodeProfile, type Profile, parseProfile, profileOptions } from "../src/index.js"

const profile: Profile = {
  version: 1,
  customerListColumns: ["ord", "name", "lyname"],
  contactListColumns: ["ord", "company", "mobile"]
}

const message = (text: string) => {
  const parsed = parseProfile("p.json", text)
  return Either.isLeft(parsed) ? parsed.left.message : "decoded"
}

describe("Profile", () => {
  it("reads back what it encodes, and maps onto the mock's list columns", () => {
    expect(parseProfile("p.json", encodeProfile(profile))).toEqual(Either.right(profile))
    expect(profileOptions(profile)).toEqual({
      listColumns: ["ord", "name", "lyname"],
      contactListColumns: ["ord", "company", "mobile"]
    })
  })

  it("carries an installation's enumerations, envelope variants and the absence of its contact list", () => {
    const full: Profile = {
      ...profile,
      contactListColumns: null,
      enumerations: { "13": [{ id: "301", name: "微信公众号" }], "98": [{ id: "481", name: "致电" }] },
      rowShape: "keyed",
      emptyList: "missing",
      coerced: ["numeric cells"]
    }
    expect(parseProfile("p.json", encodeProfile(full))).toEqual(Either.right(full))
    expect(profileOptions(full)).toEqual({
      listColumns: ["ord", "name", "lyname"],
      contactList: false,
      enumerations: { ly: [{ v: "301", n: "微信公众号" }], followMethod: [{ v: "481", n: "致电" }] },
      rowShape: "keyed",
      emptyList: "missing",
      numericCells: true
    })
  })

  it.each([
    ["not JSON", "{", "p.json is not a mock ERP profile: (the file): "],
    ["a missing key", JSON.stringify({ ...profile, contactListColumns: undefined }), "contactListColumns: is missing"],
    ["an unknown key", JSON.stringify({ ...profile, rows: [] }), "rows: is unexpected"],
    ["another version", JSON.stringify({ ...profile, version: 2 }), "version: Expected 1, actual 2"],
    ["no columns", JSON.stringify({ ...profile, customerListColumns: [] }), "customerListColumns.0: is missing"],
    [
      "an unknown enumeration",
      JSON.stringify({ ...profile, enumerations: { "12": [] } }),
      "enumerations.12: is unexpected"
    ],
    [
      "an enumeration value without its label",
      JSON.stringify({ ...profile, enumerations: { "13": [{ id: "301" }] } }),
      "enumerations.13.0.name: is missing"
    ],
    ["another row shape", JSON.stringify({ ...profile, rowShape: "table" }), 'rowShape: Expected "array"']
  ])("refuses %s, naming the file and the key", (_, text, expected) => {
    expect(message(text)).toContain("p.json is not a mock ERP profile")
    expect(message(text)).toContain(expected)
  })
})
