import { describe, expect, it } from "@effect/vitest"
import type { SyncAdapter } from "@tongbu/core"
import { RecordId } from "@tongbu/core"
import { Chunk, Effect, Stream } from "effect"
import { key, makeMock, withAdapter } from "./helpers.js"

// The mobiles ERP contacts hold, which the customer list does not show: what a customer's mobile must not repeat.

const callsSince = (before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([endpoint, n]) => [endpoint, n - (before[endpoint] ?? 0)] as const)
      .filter(([, n]) => n > 0)
  )

const heldMobiles = (adapter: SyncAdapter, fields: ReadonlyArray<string> = ["mobile"]) =>
  Effect.map(Stream.runCollect(adapter.heldValues!({ fields })), Chunk.toReadonlyArray)

describe("ZhibangAdapter.heldValues", () => {
  it.effect(
    "yields every contact's mobile and second mobile as held by its customer, from the contact list alone",
    () => {
      // seed 9: customers 2 and 4 have two further contacts each; the contact added below has two mobiles
      const mock = makeMock({ seed: { customers: 4, seed: 9 }, uniqueFields: [] })
      const { effect } = withAdapter(
        mock,
        (adapter) =>
          Effect.gen(function* () {
            yield* adapter.perform({
              key: key("c1"),
              id: RecordId.make("1"),
              kind: "contact",
              payload: { person_name: "周九", mobile: "135 0000 0005", mobile2: "13600000006" }
            })
            const before = mock.control.callCounts()
            const held = yield* heldMobiles(adapter)
            return { held, calls: callsSince(before, mock.control.callCounts()) }
          }),
        { adapter: { pageSize: 3 } }
      )
      return Effect.map(effect, ({ held, calls }) => {
        const expected = mock.control.contacts().flatMap((contact) =>
          [contact.fields.mobile, contact.fields.mobile2]
            .filter((mobile) => mobile !== undefined && mobile !== "")
            .map((value) => ({
              field: "mobile",
              value,
              id: String(contact.company),
              holder: `contact ${contact.ord} of ERP customer ${contact.company}`
            }))
        )
        expect(held).toEqual(expect.arrayContaining(expected))
        expect(held.length).toBe(expected.length)
        expect(held).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ value: "135 0000 0005", id: "1" }),
            expect.objectContaining({ value: "13600000006", id: "1" })
          ])
        )
        // 9 contacts (4 main, 4 further, the new one) in pages of 3, and no other call
        expect(mock.control.contacts().length).toBe(9)
        expect(calls).toEqual({ "contact.list": 3 })
      })
    }
  )

  it.effect("asks the ERP nothing when the run writes no mobile", () => {
    const mock = makeMock({ seed: { customers: 4, seed: 9 } })
    const { effect, seen } = withAdapter(mock, (adapter) => heldMobiles(adapter, ["name"]))
    return Effect.map(effect, (held) => {
      expect(held).toEqual([])
      expect(seen.filter((call) => call.path.includes("/person/"))).toEqual([])
    })
  })

  it.effect(
    "says the contact list is unavailable, naming the columns it shows, when it names no contact's customer",
    () => {
      const mock = makeMock({
        seed: { customers: 4, seed: 9 },
        contactListColumns: ["person_name", "mobile", "mobile2", "ord"]
      })
      const { effect } = withAdapter(mock, (adapter) => Effect.flip(heldMobiles(adapter)))
      return Effect.map(effect, (error) => {
        expect(error).toMatchObject({
          _tag: "AuxiliaryUnavailable",
          listing: "contacts",
          message: expect.stringContaining(
            "shows the columns 'person_name', 'mobile', 'mobile2', 'ord' but no 'company' column"
          )
        })
      })
    }
  )

  it.effect("says the contact list is unavailable when the ERP answers 未知页面 for it", () => {
    const mock = makeMock({ seed: { customers: 4, seed: 9 }, contactList: false })
    const { effect } = withAdapter(mock, (adapter) => Effect.flip(heldMobiles(adapter)))
    return Effect.map(effect, (error) => {
      expect(error).toMatchObject({
        _tag: "AuxiliaryUnavailable",
        listing: "contacts",
        message: expect.stringContaining("未知页面")
      })
    })
  })
})
