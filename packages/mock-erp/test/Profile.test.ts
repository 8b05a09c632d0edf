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

  it.each([
    ["not JSON", "{", "p.json is not a mock ERP profile: (the file): "],
    ["a missing key", JSON.stringify({ ...profile, contactListColumns: undefined }), "contactListColumns: is missing"],
    ["an unknown key", JSON.stringify({ ...profile, rows: [] }), "rows: is unexpected"],
    ["another version", JSON.stringify({ ...profile, version: 2 }), "version: Expected 1, actual 2"],
    ["no columns", JSON.stringify({ ...profile, customerListColumns: [] }), "customerListColumns.0: is missing"]
  ])("refuses %s, naming the file and the key", (_, text, expected) => {
    expect(message(text)).toContain("p.json is not a mock ERP profile")
    expect(message(text)).toContain(expected)
  })
})
