import { Either, FastCheck as fc, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Create, Fields, IdempotencyKey, LinkState, RecordId, RunId, StoreRows } from "../src/index.js"

const seed = Number(process.env.TONGBU_PROP_SEED ?? 101)

const run: StoreRows.RunRow = {
  id: 7,
  kind: "sync",
  status: "completed",
  direction: "both",
  dryRun: false,
  full: true,
  target: null,
  startedAt: 1,
  finishedAt: 2,
  counts: JSON.stringify({
    created: 1,
    updated: 0,
    linked: 0,
    unchanged: 0,
    skipped: 0,
    conflicts: 0,
    actions: 0,
    failed: 0
  }),
  error: null,
  warnings: null
}

describe("StoreRows", () => {
  it("reads a run row into a run", () => {
    const decoded = StoreRows.runFromRow(run)
    expect(decoded.id).toBe(RunId.make("7"))
    expect(decoded.counts.created).toBe(1)
    expect(decoded.warnings).toEqual([])
  })

  it("names the table and row of a row that does not decode", () => {
    expect(() => StoreRows.runFromRow({ ...run, status: "half-done" })).toThrow(StoreRows.RowError)
    expect(() => StoreRows.runFromRow({ ...run, counts: "{" })).toThrow(/^run 7 cannot be read/)
  })

  it("writes a link as the row it reads back", () => {
    const link = new LinkState({
      leftId: RecordId.make("h1"),
      rightId: RecordId.make("42"),
      left: { name: "甲", score: 3 },
      right: { name: "甲" },
      rightVersion: "v2"
    })
    expect(StoreRows.linkFromRow(StoreRows.linkToRow(link))).toEqual(link)
  })

  it("keeps an enqueued operation's overwritten values when the row gives them", () => {
    const operation = StoreRows.operationFromRow({
      key: IdempotencyKey.make("k1"),
      runId: 3,
      seq: 0,
      operation: StoreRows.encodeJson(
        new Create({
          key: IdempotencyKey.make("k1"),
          side: "right",
          sourceId: RecordId.make("h1"),
          fields: { name: "乙" },
          canonical: { name: "乙" }
        })
      ),
      state: "done",
      attempts: 1,
      provisionalId: null,
      resultId: null,
      written: JSON.stringify({ name: "乙" }),
      linkBefore: null,
      overwritten: JSON.stringify({ name: "甲" }),
      lastError: null,
      updatedAt: 5
    })
    expect(operation.overwritten).toEqual({ name: "甲" })
    expect(operation.runId).toBe(RunId.make("3"))
  })

  it("refuses run ids that cannot be row ids", () => {
    expect(StoreRows.runRowId(RunId.make("12"))).toBe(12)
    expect(StoreRows.runRowId(RunId.make("012"))).toBeNull()
    expect(StoreRows.runRowId(RunId.make("99999999999999999"))).toBeNull()
  })

  it("reads field values as the Fields schema does, whatever the JSON (the one-pass check is only a shortcut)", () => {
    const viaSchema = Schema.decodeUnknownEither(Schema.parseJson(Fields))
    const value = fc.oneof(
      fc.string(),
      fc.double(),
      fc.constantFrom(0, -0, 1e308, Number.MAX_SAFE_INTEGER),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 2 }),
      fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 })
    )
    const key = fc.oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "toString", "0"))
    // JSON.stringify writes non-finite numbers as null and -0 as 0: the raw texts below bring them back
    const json = fc.oneof(
      fc.dictionary(key, value, { maxKeys: 6 }).map((fields) => JSON.stringify(fields)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.constantFrom('{"a":-0}', '{"a":1e999}', '{"__proto__":{"a":1}}', '{"a":1,"a":"x"}', "{", "", '"x"', "null")
    )
    fc.assert(
      fc.property(json, (text) => {
        const expected = viaSchema(text)
        if (Either.isLeft(expected))
          expect(() => StoreRows.decodeFields(text, "row r")).toThrow(/^row r cannot be read/)
        else expect(StoreRows.decodeFields(text, "row r")).toStrictEqual(expected.right)
      }),
      { seed, numRuns: 500 }
    )
  })
})
