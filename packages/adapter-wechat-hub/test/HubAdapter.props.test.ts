import { describe, expect, it } from "@effect/vitest"
import type { Fields, FieldValue, IdempotencyKey } from "@tongbu/core"
import { Effect, FastCheck as fc, Option } from "effect"
import { CUSTOMER_NAME, fieldKind, normalizeValue } from "../src/index.js"
import { auditUpdates, hubProcess, hubWith, listAll, numRuns, readOrDie } from "./helpers.js"

/** Each run writes a hub file: a generous budget, scaled for a soak (`TONGBU_PROP_RUNS`). */
const options = { timeout: 30_000 + numRuns * 1_000, fastCheck: { numRuns } }

const hubContent = fc.record({
  customers: fc.integer({ min: 0, max: 45 }),
  contacts: fc.integer({ min: 0, max: 12 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 })
})

const text = fc.oneof(
  fc.constant(null),
  fc.constantFrom("", "  ", "\t"),
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.string({ minLength: 1, maxLength: 8 }).map((s) => `  ${s} `),
  fc.constantFrom("重庆渝北", "  苏州工业园区 ", "🌸小美🌸", "客户A")
)
const mobile = fc.oneof(
  text,
  fc
    .tuple(
      fc.integer({ min: 3, max: 9 }),
      fc.integer({ min: 0, max: 999_999_999 }),
      fc.constantFrom("", "+86 ", "86", " ")
    )
    .map(([second, rest, prefix]) => `${prefix}1${second}${String(rest).padStart(9, "0")}`)
)
const name = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ""),
  fc.constantFrom("重庆鑫达机械有限公司", " 李晓明 ")
)
const flag = fc.oneof(fc.boolean(), fc.constantFrom<FieldValue>(0, 1, "0", "1", "true", "false"))

/** Values the ERP side may send for each writable field, messy ones included. */
const values = {
  customer_name: name,
  phone: mobile,
  email: text,
  address: text,
  wechat_nickname: text,
  wechat_remark: text,
  erp_customer_code: text,
  erp_customer_type: fc.constantFrom<FieldValue>(1, 2, "1", "2"),
  erp_customer_category: text,
  erp_follow_level: text,
  erp_source: text,
  erp_region: text,
  has_order: flag,
  has_payment: flag
}
const change = fc.record(values, { requiredKeys: [] })
const writable = Object.keys(values)

const key = (k: string) => k as IdempotencyKey
const pick = (fields: Fields, names: ReadonlyArray<string>): Fields =>
  Object.fromEntries(names.filter((n) => n in fields).map((n) => [n, fields[n] ?? null]))

describe("hub adapter properties", () => {
  it.scoped.prop(
    "reading in pages of any size returns each customer exactly once",
    [hubContent, fc.integer({ min: 1, max: 60 }), fc.boolean(), fc.option(fc.integer({ min: 0, max: 90 }))],
    ([content, pageSize, intake, sinceDaysAgo]) =>
      Effect.gen(function* () {
        const { summary, adapter } = yield* hubWith(content, { pageSize, intake })
        const since = Option.map(Option.fromNullable(sinceDaysAgo), (days) =>
          new Date(Date.UTC(2025, 9, 20) - days * 86_400_000).toISOString()
        )
        const listed = (yield* listAll(adapter, since)).map((entry) => Number(entry.id))
        const hub = yield* hubProcess(summary.path)
        const all = hub.prepare<[], number>("SELECT id FROM customers_unified ORDER BY id").pluck().all()
        expect(new Set(listed).size).toBe(listed.length)
        expect(listed).toEqual([...listed].sort((a, b) => a - b))
        if (Option.isNone(since)) expect(listed).toEqual(all)
        else for (const id of listed) expect(all).toContain(id)
      }),
    options
  )

  it.scoped.prop(
    "write-back is a fixpoint: writing what was read changes nothing, and a write reads back as written",
    [hubContent, fc.array(fc.tuple(fc.nat(), change), { maxLength: 8 })],
    ([content, edits]) =>
      Effect.gen(function* () {
        const { summary, adapter } = yield* hubWith(content)
        const hub = yield* hubProcess(summary.path)
        const audit = auditUpdates(hub)
        const records = yield* listAll(adapter)
        for (const entry of records) {
          const fields = pick(entry.record?.fields ?? {}, writable)
          yield* adapter.update({ key: key(`same:${entry.id}`), id: entry.id, changes: fields, expected: fields })
        }
        expect(audit(), "writing back what was read").toBe(0)
        if (records.length === 0) return
        for (const [index, changes] of edits) {
          const id = records[index % records.length]!.id
          const before = yield* readOrDie(adapter, id)
          yield* adapter.update({
            key: key(`edit:${id}`),
            id,
            changes,
            expected: pick(before.fields, Object.keys(changes))
          })
          const after = yield* readOrDie(adapter, id)
          for (const [field, value] of Object.entries(changes)) {
            if (field === CUSTOMER_NAME) continue
            expect(after.fields[field], field).toEqual(normalizeValue(fieldKind(field) ?? "text", value))
          }
          if (CUSTOMER_NAME in changes)
            expect(after.fields[CUSTOMER_NAME]).toBe(normalizeValue("text", changes[CUSTOMER_NAME] ?? null))
          const writes = audit()
          const again = pick(after.fields, writable)
          yield* adapter.update({ key: key(`again:${id}`), id, changes, expected: again })
          yield* adapter.update({ key: key(`back:${id}`), id, changes: again, expected: again })
          expect(audit(), "repeating the write, or writing back what was read").toBe(writes)
          expect(yield* readOrDie(adapter, id)).toEqual(after)
        }
      }),
    options
  )
})
