import { describe, expect, it } from "@effect/vitest"
import type { RecordOutcome } from "@tongbu/core"
import { Effect, Option, TestClock } from "effect"
import { formatHubTimestamp, makeHubTimeZone } from "../src/index.js"
import { auditUpdates, hubProcess, hubWith, readOrDie, rid, row } from "./helpers.js"

const RUN_TIME = Date.UTC(2025, 9, 21, 4)
const STAMP = formatHubTimestamp(RUN_TIME, Option.getOrThrow(makeHubTimeZone("Asia/Shanghai")))

const outcome = (
  id: number,
  status: RecordOutcome["status"],
  action: RecordOutcome["action"],
  reason?: string,
  linked?: number
): RecordOutcome => ({
  id: rid(id),
  status,
  action,
  reason: Option.fromNullable(reason),
  linkedId: linked === undefined ? Option.none() : Option.some(rid(linked))
})

const setup = Effect.gen(function* () {
  yield* TestClock.setTime(RUN_TIME)
  const { summary, adapter } = yield* hubWith({ customers: 30, seed: 31 })
  const hub = yield* hubProcess(summary.path)
  return { summary, adapter, hub, audit: auditUpdates(hub) }
})

describe("acknowledge", () => {
  it.scoped("shows each outcome in the hub's sync-state columns, in words a person reads", () =>
    Effect.gen(function* () {
      const { adapter, hub } = yield* setup
      yield* adapter.acknowledge([
        outcome(1, "synced", "create", undefined, 5001),
        outcome(2, "skipped", "none", "no verified mobile; name too short: 张三"),
        outcome(3, "failed", "update", "the ERP refused the mobile"),
        outcome(4, "conflict", "none", "name changed on both sides"),
        outcome(5, "synced", "link", undefined, 5005)
      ])
      expect(row(hub, 1)).toMatchObject({
        erp_sync_status: "synced",
        erp_sync_action: "create",
        erp_sync_error: null,
        erp_customer_id: 5001,
        erp_customer_code: "WX1",
        erp_last_pushed: STAMP
      })
      expect(row(hub, 2)).toMatchObject({
        erp_sync_status: "skipped",
        erp_sync_action: "skip",
        erp_sync_error: "no verified mobile; name too short: 张三",
        erp_last_pushed: null
      })
      expect(row(hub, 3)).toMatchObject({
        erp_sync_status: "failed",
        erp_sync_action: "update",
        erp_sync_error: "the ERP refused the mobile"
      })
      expect(row(hub, 4)).toMatchObject({ erp_sync_status: "pending", erp_sync_error: "name changed on both sides" })
      expect(row(hub, 5)).toMatchObject({
        erp_sync_status: "synced",
        erp_sync_action: "update",
        erp_customer_id: 5005,
        erp_customer_code: "WX5"
      })
    })
  )

  it.scoped("writes nothing when the hub already shows the outcome: a steady-state run writes nothing", () =>
    Effect.gen(function* () {
      const { adapter, audit } = yield* setup
      const outcomes = [
        outcome(1, "synced", "create", undefined, 5001),
        outcome(2, "skipped", "none", "no verified mobile")
      ]
      yield* adapter.acknowledge(outcomes)
      expect(audit()).toBe(2)
      yield* adapter.acknowledge(outcomes)
      yield* adapter.acknowledge([
        outcome(1, "synced", "none", undefined, 5001),
        outcome(2, "skipped", "none", "no verified mobile")
      ])
      expect(audit()).toBe(2)
    })
  )

  it.scoped("writes nothing for an adopted link the row already shows; shows it on a row that said otherwise", () =>
    Effect.gen(function* () {
      const { adapter, hub, audit } = yield* setup
      // Rows the hub's own code linked: row 1 shows the link as synced, row 2 was wrongly skipped by an older sync.
      hub
        .prepare(
          "UPDATE customers_unified SET erp_customer_id = 100 + id, erp_customer_code = 'C' || id, erp_sync_status = CASE id WHEN 1 THEN 'synced' ELSE 'skipped' END, erp_sync_action = CASE id WHEN 1 THEN 'create' ELSE 'skip' END, erp_sync_error = CASE id WHEN 1 THEN NULL ELSE 'old reason' END WHERE id IN (1, 2)"
        )
        .run()
      const before = row(hub, 1)
      const written = audit()
      yield* adapter.acknowledge([
        outcome(1, "synced", "link", undefined, 101),
        outcome(2, "synced", "link", undefined, 102)
      ])
      expect(row(hub, 1)).toEqual(before)
      expect(row(hub, 2)).toMatchObject({
        erp_customer_id: 102,
        erp_customer_code: "C2",
        erp_sync_status: "synced",
        erp_sync_action: "update",
        erp_sync_error: null
      })
      expect(audit()).toBe(written + 1)
    })
  )

  it.scoped("keeps a long reason to a few hundred characters", () =>
    Effect.gen(function* () {
      const { adapter, hub } = yield* setup
      yield* adapter.acknowledge([outcome(1, "failed", "create", "很长的原因".repeat(300))])
      const error = String(row(hub, 1)?.erp_sync_error)
      expect(Array.from(error).length).toBe(500)
      expect(error.endsWith("…")).toBe(true)
    })
  )

  it.scoped("never links two hub customers to one ERP customer, and skips customers that are gone", () =>
    Effect.gen(function* () {
      const { summary, adapter, hub } = yield* setup
      const linked = summary.customers.find((c) => c.case === "linked")
      if (linked === undefined) return expect.fail("a linked customer")
      hub.prepare("DELETE FROM customers_unified WHERE id = 7").run()
      yield* adapter.acknowledge([
        outcome(1, "synced", "link", undefined, 100_000 + linked.id),
        outcome(7, "synced", "create", undefined, 6007),
        { ...outcome(2, "synced", "link"), id: rid("not-a-hub-id") }
      ])
      expect(row(hub, 1)).toMatchObject({
        erp_customer_id: null,
        erp_sync_status: "failed",
        erp_sync_error: `ERP customer ${100_000 + linked.id} is already linked to hub customer ${linked.id}`
      })
      expect(row(hub, linked.id)).toMatchObject({ erp_customer_id: 100_000 + linked.id })
    })
  )

  it.scoped("invents no customer code for a row pulled from an ERP customer that has none", () =>
    Effect.gen(function* () {
      const { adapter, hub } = yield* setup
      // Row 2 as the sync inserts it from ERP customer 7002: its ord from the insert, the ERP's (empty) khid.
      hub.prepare("UPDATE customers_unified SET erp_customer_id = 7002, erp_customer_code = NULL WHERE id = 2").run()
      yield* adapter.acknowledge([outcome(2, "synced", "create", undefined, 7002)])
      expect(row(hub, 2)).toMatchObject({ erp_sync_status: "synced", erp_customer_id: 7002, erp_customer_code: null })
    })
  )

  it.scoped("leaves a skipped row the hub pulled from the ERP itself as it is; its own rows still show the skip", () =>
    Effect.gen(function* () {
      const { adapter, hub } = yield* setup
      const pulled =
        "UPDATE customers_unified SET erp_customer_id = NULL, erp_sync_status = 'synced', erp_sync_error = NULL, company_name_source = 'erp', real_name_source = 'erp', phone_source = 'erp', email_source = 'unknown', address_source = NULL WHERE id = ?"
      hub.prepare(pulled).run(2)
      // the same, but with a name the hub's own people typed in: the row is the hub's
      hub.prepare(pulled).run(3)
      hub.prepare("UPDATE customers_unified SET real_name_source = 'manual' WHERE id = 3").run()
      const before = row(hub, 2)
      const reason = 'came from right but no right record has its natural key "KH0200": it is not created on right'
      yield* adapter.acknowledge([outcome(2, "skipped", "none", reason), outcome(3, "skipped", "none", reason)])
      expect(row(hub, 2)).toEqual(before)
      expect(row(hub, 3)).toMatchObject({ erp_sync_status: "skipped", erp_sync_error: reason })
      const [two, three] = yield* Effect.all([readOrDie(adapter, 2), readOrDie(adapter, 3)])
      expect([two.fields.pulled_from_erp, three.fields.pulled_from_erp]).toEqual([true, false])
    })
  )

  it.scoped("returns what it wrote into the link columns, which update takes back exactly (a rolled-back link)", () =>
    Effect.gen(function* () {
      const { summary, adapter, hub } = yield* setup
      const linked = summary.customers.find((c) => c.case === "linked")
      if (linked === undefined) return expect.fail("a linked customer")
      // Row 1 shows a stale ERP id and no code; the linked row already shows the id it is linked to.
      hub.prepare("UPDATE customers_unified SET erp_customer_id = 4444, erp_customer_code = NULL WHERE id = 1").run()
      const before = [row(hub, 1), row(hub, linked.id)]
      const shown = yield* adapter.acknowledge([
        outcome(1, "synced", "create", undefined, 5001),
        outcome(linked.id, "synced", "link", undefined, 100_000 + linked.id)
      ])
      expect(shown).toEqual([
        {
          id: rid(1),
          linkedId: rid(5001),
          before: { erp_customer_id: 4444, erp_customer_code: null },
          written: { erp_customer_id: 5001, erp_customer_code: "WX1" }
        }
      ])
      expect(yield* adapter.acknowledge([outcome(1, "synced", "create", undefined, 5001)])).toEqual([])
      for (const link of shown) {
        yield* adapter.update({
          key: "rollback:shown" as never,
          id: link.id,
          changes: link.before,
          expected: link.written
        })
      }
      yield* adapter.acknowledge([
        outcome(1, "skipped", "none", "no longer linked to ERP customer 5001: run 3 was rolled back")
      ])
      expect(row(hub, 1)).toMatchObject({
        erp_customer_id: 4444,
        erp_customer_code: null,
        erp_sync_status: "skipped",
        erp_sync_error: "no longer linked to ERP customer 5001: run 3 was rolled back"
      })
      const keep = ["erp_customer_id", "erp_customer_code", "company_name", "real_name", "phone"]
      const pick = (r: Record<string, unknown> | undefined) => keep.map((column) => r?.[column])
      expect([pick(row(hub, 1)), pick(row(hub, linked.id))]).toEqual(before.map(pick))
    })
  )
})
