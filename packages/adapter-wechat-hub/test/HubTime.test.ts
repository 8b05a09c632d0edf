import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Option } from "effect"
import type { HubTimeOptions } from "../src/index.js"
import {
  formatHubTimestamp,
  formatSqliteTimestamp,
  latestPossibleEpoch,
  makeHubTimeZone,
  parseHubTimestamp
} from "../src/index.js"
import { numRuns } from "./helpers.js"

const zone = (name: string) => Option.getOrThrow(makeHubTimeZone(name))
const shanghai: HubTimeOptions = { zone: zone("Asia/Shanghai"), sqliteStampsUtc: true }
const at = (iso: string) => Date.parse(iso)
const parse = (raw: unknown, options = shanghai) => Option.getOrUndefined(parseHubTimestamp(raw, options))

describe("hub timestamps", () => {
  it("reads Python's naive stamps as local time in the configured zone", () => {
    expect(parse("2025-10-19 12:43:10.123456")).toBe(at("2025-10-19T04:43:10.123Z"))
    expect(parse("2025-10-19T12:43:10.123456")).toBe(at("2025-10-19T04:43:10.123Z"))
    expect(parse("2025-10-19T12:43:10")).toBe(at("2025-10-19T04:43:10Z"))
    expect(parse("2025-10-19")).toBe(at("2025-10-18T16:00:00Z"))
  })

  it("reads SQLite's CURRENT_TIMESTAMP and strftime('%f') forms as UTC", () => {
    expect(parse("2025-10-19 04:43:10")).toBe(at("2025-10-19T04:43:10Z"))
    expect(parse("2025-10-19 04:43:10.123")).toBe(at("2025-10-19T04:43:10.123Z"))
  })

  it("reads SQLite's forms as local time too when configured so", () => {
    expect(parse("2025-10-19 12:43:10", { ...shanghai, sqliteStampsUtc: false })).toBe(at("2025-10-19T04:43:10Z"))
  })

  it("honours an explicit offset or Z, and epoch numbers", () => {
    expect(parse("2025-10-19 12:43:10+08:00")).toBe(at("2025-10-19T04:43:10Z"))
    expect(parse("2025-10-19T04:43:10Z")).toBe(at("2025-10-19T04:43:10Z"))
    expect(parse("2025-10-18T23:43:10-0500")).toBe(at("2025-10-19T04:43:10Z"))
    expect(parse(1760848990)).toBe(1760848990000)
    expect(parse(1760848990123)).toBe(1760848990123)
  })

  it("gives none for what is not a timestamp", () => {
    for (const raw of ["", "yesterday", "19/10/2025", "2025-02-30 10:00:00", null, undefined]) {
      expect(parse(raw)).toBeUndefined()
    }
  })

  it("follows the configured zone, offsets and daylight saving included", () => {
    const newYork: HubTimeOptions = { zone: zone("America/New_York"), sqliteStampsUtc: true }
    expect(parse("2025-07-01 08:00:00.000000", newYork)).toBe(at("2025-07-01T12:00:00Z"))
    expect(parse("2025-12-01 08:00:00.000000", newYork)).toBe(at("2025-12-01T13:00:00Z"))
    expect(parse("2025-10-19 12:43:10.000000", { zone: zone("+08:00"), sqliteStampsUtc: true })).toBe(
      at("2025-10-19T04:43:10Z")
    )
    expect(Option.isNone(makeHubTimeZone("Mars/Olympus_Mons"))).toBe(true)
  })

  it.prop(
    "what the adapter writes reads back as the same instant",
    [
      fc.integer({ min: at("2000-01-01T00:00:00Z"), max: at("2040-01-01T00:00:00Z") }),
      fc.constantFrom("Asia/Shanghai", "Asia/Kolkata", "+08:00", "UTC")
    ],
    ([ms, name]) => {
      const options = { zone: zone(name), sqliteStampsUtc: true }
      expect(parse(formatHubTimestamp(ms, options.zone), options)).toBe(ms)
      expect(parse(formatSqliteTimestamp(ms), options)).toBe(Math.floor(ms / 1000) * 1000)
    },
    { fastCheck: { numRuns: numRuns * 8 } }
  )

  it.prop(
    "the latest possible reading is never earlier than the chosen one, so a change is never hidden",
    [
      fc.integer({ min: at("2000-01-01T00:00:00Z"), max: at("2040-01-01T00:00:00Z") }),
      fc.boolean(),
      fc.constantFrom("Asia/Shanghai", "America/New_York")
    ],
    ([ms, sqliteForm, name]) => {
      const options = { zone: zone(name), sqliteStampsUtc: true }
      const stamp = sqliteForm ? formatSqliteTimestamp(ms) : formatHubTimestamp(ms, options.zone)
      expect(latestPossibleEpoch(stamp, options.zone)).toBeGreaterThanOrEqual(parse(stamp, options) ?? Number.NaN)
      expect(latestPossibleEpoch(stamp, options.zone)).toBeGreaterThanOrEqual(
        parse(stamp, { ...options, sqliteStampsUtc: false }) ?? Number.NaN
      )
    },
    { fastCheck: { numRuns: numRuns * 8 } }
  )
})
