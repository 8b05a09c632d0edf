import { describe, expect, it } from "@effect/vitest"
import { RecordId, RightAdapter } from "@tongbu/core"
import { Effect, Option, Stream } from "effect"
import { adapterOn, faultAt, firstOf, isListPage, listIds, makeMock, withAdapter } from "./helpers.js"

const ords = (mock: ReturnType<typeof makeMock>) => mock.control.customers().map((c) => String(c.ord))

describe("ZhibangAdapter.list", () => {
  it.effect("pages through every customer once, costing only the list pages (no detail call)", () => {
    const mock = makeMock({ seed: { customers: 45, seed: 7 } })
    const { effect } = withAdapter(mock, listIds, { adapter: { pageSize: 20 } })
    return Effect.map(effect, (ids) => {
      expect(ids).toEqual(ords(mock))
      expect(mock.control.callCounts()).toEqual({ login: 1, "customer.list": 3, logout: 1 })
    })
  })

  it.effect("gives versions that change only when a visible field of the row changes", () => {
    const mock = makeMock({ seed: { customers: 3, seed: 7 } })
    const versions = (adapter: Parameters<Parameters<typeof withAdapter>[1]>[0]) =>
      Effect.map(Stream.runCollect(adapter.list({ since: Option.none() })), (entries) =>
        Array.from(entries, (e) => e.version)
      )
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.gen(function* () {
        const before = yield* versions(adapter)
        expect(yield* versions(adapter)).toEqual(before)
        mock.control.editCustomer(2, { phone: "010-12345678" })
        const after = yield* versions(adapter)
        expect([after[0] === before[0], after[1] === before[1], after[2] === before[2]]).toEqual([true, false, true])
      })
    )
    return effect
  })

  it.effect("zips rows by column id, whatever the installation's column order", () => {
    const mock = makeMock({ seed: { customers: 4, seed: 3 }, listColumns: ["mobile", "ord", "name", "catename"] })
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.gen(function* () {
        expect(yield* listIds(adapter)).toEqual(ords(mock))
        const record = Option.getOrThrow(yield* adapter.read(RecordId.make("2")))
        expect(record.fields.name).toBe(mock.control.customers()[1]!.fields.name)
      })
    )
    return effect
  })

  it.effect("reads rows that arrive as objects wrapping value", () => {
    const mock = makeMock({ seed: { customers: 25, seed: 3 }, rowShape: "object-wrapped" })
    return Effect.map(withAdapter(mock, listIds, { adapter: { pageSize: 10 } }).effect, (ids) =>
      expect(ids).toEqual(ords(mock))
    )
  })

  it.effect.each(["empty", "missing"] as const)("reads a zero-row list whose members are %s", (emptyList) => {
    const mock = makeMock({ emptyList })
    return Effect.map(withAdapter(mock, listIds).effect, (ids) => expect(ids).toEqual([]))
  })

  it.effect("survives a session that expires between pages: one new login, every customer once", () => {
    const mock = makeMock({ seed: { customers: 30, seed: 5 } })
    const pageTwo = firstOf(isListPage(2))
    const { effect } = withAdapter(mock, listIds, {
      adapter: { pageSize: 10 },
      hook: (seen, n) => {
        if (pageTwo(seen, n)) mock.control.expireSessions()
      }
    })
    return Effect.map(effect, (ids) => {
      expect(ids).toEqual(ords(mock))
      expect(mock.control.callCounts().login).toBe(2)
    })
  })

  it.effect("survives a session kicked by a login elsewhere between pages", () => {
    const mock = makeMock({ seed: { customers: 30, seed: 5 } })
    const pageThree = firstOf(isListPage(3))
    const { effect } = withAdapter(mock, listIds, {
      adapter: { pageSize: 10 },
      hook: (seen, n) => {
        if (pageThree(seen, n)) mock.control.kickSessions()
      }
    })
    return Effect.map(effect, (ids) => {
      expect(ids).toEqual(ords(mock))
      expect(mock.control.callLog().filter((c) => c.answer === "session")).toHaveLength(1)
    })
  })

  it.effect.each(["crash", "proxy502", "proxy504", "backendDown"] as const)(
    "retries a list page answered by a %s",
    (kind) => {
      const mock = makeMock({ seed: { customers: 30, seed: 5 } })
      const { effect } = withAdapter(mock, listIds, {
        adapter: { pageSize: 10 },
        hook: faultAt(mock, isListPage(2), { transientRate: 1, transientKinds: [kind] })
      })
      return Effect.map(effect, (ids) => {
        expect(ids).toEqual(ords(mock))
        expect(mock.control.callLog().filter((c) => c.answer === "fault")).toHaveLength(1)
      })
    }
  )

  it.effect("never yields a customer twice when customers are added while the list is read", () => {
    const mock = makeMock({ seed: { customers: 25, seed: 9 } })
    const before = ords(mock)
    const { effect } = withAdapter(mock, listIds, {
      adapter: { pageSize: 10 },
      hook: (seen) => {
        if (seen.path.endsWith("/custom/list.asp"))
          mock.control.insertCustomer({ name: `新客户${seen.datas.pageindex}`, sort1: "17,146", person_name: "王" })
      }
    })
    return Effect.map(effect, (ids) => {
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids).toEqual(expect.arrayContaining(before))
    })
  })

  it.effect(
    "yields each customer once from an installation that ignores the sort (newest first), while customers are added",
    () => {
      const mock = makeMock({ seed: { customers: 25, seed: 9 } })
      const before = ords(mock)
      let added = 0
      const fetch = async (input: string | URL | Request, init?: RequestInit) => {
        const body = JSON.parse(new TextDecoder().decode(init?.body as Uint8Array))
        if (String(input).endsWith("/custom/list.asp")) {
          body.datas = body.datas.filter((pair: { id: string }) => pair.id !== "_rpt_sort")
          mock.control.insertCustomer({ name: `新客户${++added}`, sort1: "17,146", person_name: "王" })
        }
        return mock.fetch(input, { ...init, body: JSON.stringify(body) })
      }
      const listed = Effect.flatMap(RightAdapter, listIds).pipe(
        Effect.provide(adapterOn(mock, {}, { pageSize: 10 }, fetch as typeof globalThis.fetch))
      )
      return Effect.map(listed, (ids) => {
        expect(new Set(ids).size).toBe(ids.length)
        expect(ids).toEqual(expect.arrayContaining(before))
      })
    }
  )

  it.effect("fails, naming the columns, when the installation's list does not show the customer id", () => {
    const mock = makeMock({ seed: { customers: 2, seed: 1 }, listColumns: ["name", "mobile"] })
    return Effect.map(Effect.flip(withAdapter(mock, listIds).effect), (error) => {
      expect(error._tag).toBe("FatalError")
      expect(error.message).toContain("no 'ord' column (columns: name, mobile)")
    })
  })
})

describe("ZhibangAdapter.read", () => {
  it.effect("reads the detail, with the list's views (salesperson, category names) and the entry's version", () => {
    const mock = makeMock({ seed: { customers: 3, seed: 2 } })
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.gen(function* () {
        const entries = Array.from(yield* Stream.runCollect(adapter.list({ since: Option.none() })))
        const record = Option.getOrThrow(yield* adapter.read(entries[0]!.id))
        const customer = mock.control.customers()[0]!
        expect(record.version).toBe(entries[0]!.version)
        expect(record.fields).toMatchObject({
          name: customer.fields.name,
          sort1: customer.fields.sort1,
          intsort: customer.intsort
        })
        expect(record.fields.sortname).toEqual(expect.any(String))
        expect(mock.control.callCounts()["customer.list"]).toBe(1)
      })
    )
    return effect
  })

  it.effect("reads empty members as null when the ERP leaves their keys out", () => {
    const mock = makeMock({ dropEmptyKeys: true })
    const customer = mock.control.insertCustomer({ name: "甲公司", sort1: "17,146", person_name: "王" })
    const { effect } = withAdapter(mock, (adapter) => adapter.read(RecordId.make(String(customer.ord))))
    return Effect.map(effect, (record) => {
      const fields = Option.getOrThrow(record).fields
      expect(fields).toMatchObject({ name: "甲公司", sort1: "17,146", khid: null, mobile: null, intsort: 1 })
    })
  })

  it.effect("reads a person customer as intsort 2, and a missing one as none", () => {
    const mock = makeMock()
    const person = mock.control.insertCustomer({ name: "李四", sort1: "17,146" }, { intsort: 2 })
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.all([adapter.read(RecordId.make(String(person.ord))), adapter.read(RecordId.make("999"))])
    )
    return Effect.map(effect, ([found, missing]) => {
      expect(Option.getOrThrow(found).fields.intsort).toBe(2)
      expect(missing).toEqual(Option.none())
    })
  })
})
