import { describe, expect, it } from "@effect/vitest"
import type { SyncAdapter } from "@tongbu/core"
import { RecordId } from "@tongbu/core"
import { Effect, Option, Redacted } from "effect"
import { ZhibangClient } from "../src/index.js"
import { clientOn, customerFields, faultAt, isSave, key, makeMock, reserving, withAdapter } from "./helpers.js"

/** The hub customer the creates copy (the ERP adapter keeps no record of it). */
const source = RecordId.make("1")

const create = (
  adapter: SyncAdapter,
  fields: ReturnType<typeof customerFields> | Record<string, string | number>,
  reserve = reserving()
) =>
  adapter.create({
    key: key(`create:${fields.khid ?? fields.name}`),
    sourceId: source,
    fields,
    reserve: reserve.reserve
  })

describe("ZhibangAdapter.create", () => {
  it.effect("allocates, records the id before the save makes it real, then saves under it", () => {
    const mock = makeMock()
    const liveAtReserve: Array<boolean> = []
    const { effect } = withAdapter(mock, (adapter) =>
      adapter.create({
        key: key("c1"),
        sourceId: source,
        fields: customerFields(1),
        reserve: (id) =>
          Effect.sync(() => void liveAtReserve.push(mock.control.customers().some((c) => String(c.ord) === id)))
      })
    )
    return Effect.map(effect, ({ id, version }) => {
      expect(liveAtReserve).toEqual([false])
      const [customer] = mock.control.customers()
      expect(String(customer!.ord)).toBe(id)
      // the save answers only the id: no version (see the adapter's README)
      expect(version).toBeUndefined()
      expect(customer!.fields).toMatchObject({
        name: "测试1号科技有限公司",
        khid: "WX1",
        ly: "171",
        sort1: "17,146",
        mobile: "13900000001"
      })
    })
  })

  for (const [field, clash] of [
    ["mobile", { mobile: "13900000001" }],
    ["name", { name: "测试1号科技有限公司" }]
  ] as const) {
    it.effect(`turns the ERP's duplicate ${field} refusal into a collision naming the other customer`, () => {
      const mock = makeMock()
      const existing = mock.control.insertCustomer({
        name: "测试1号科技有限公司",
        sort1: "17,146",
        person_name: "王",
        mobile: "13900000001"
      })
      const { effect } = withAdapter(mock, (adapter) =>
        Effect.flip(create(adapter, { ...customerFields(2), ...clash }))
      )
      return Effect.map(effect, (error) => {
        expect(error).toMatchObject({ _tag: "CollisionError", field, collidingId: String(existing.ord) })
        expect(error.message).not.toContain("13900000001")
        expect(mock.control.customers()).toHaveLength(1)
      })
    })
  }

  it.effect("refuses a field longer than the ERP allows before allocating, naming field, limit and length", () => {
    const mock = makeMock()
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.flip(create(adapter, { ...customerFields(1), address: "路".repeat(201) }))
    )
    return Effect.map(effect, (error) => {
      expect(error).toMatchObject({ _tag: "RejectedError", field: "address" })
      expect(error.message).toContain("201")
      expect(error.message).toContain("200")
      expect(mock.control.callCounts()["customer.allocate"]).toBeUndefined()
    })
  })

  it.effect("cuts a field the configuration names as truncatable", () => {
    const mock = makeMock()
    const { effect } = withAdapter(
      mock,
      (adapter) => create(adapter, { ...customerFields(1), intro: "注".repeat(4100) }),
      {
        adapter: { truncatable: ["intro"] }
      }
    )
    return Effect.map(effect, () => expect([...mock.control.customers()[0]!.fields.intro!]).toHaveLength(4000))
  })

  it.effect("reports the ERP's own refusal of a required field with its text and field", () => {
    const mock = makeMock()
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.flip(create(adapter, { name: "乙公司", intsort: 1, person_name: "王" }))
    )
    return Effect.map(effect, (error) =>
      expect(error).toMatchObject({
        _tag: "RejectedError",
        field: "sort1",
        message: expect.stringContaining("客户分类不能为空")
      })
    )
  })

  it.effect.each(["reset", "proxy502"] as const)(
    "after an ack lost on the save (%s), findCreated finds the customer that landed",
    (mode) => {
      const mock = makeMock()
      const fields = customerFields(3)
      const reserve = reserving()
      const { effect } = withAdapter(
        mock,
        (adapter) =>
          Effect.gen(function* () {
            const error = yield* Effect.flip(create(adapter, fields, reserve))
            expect(error._tag).toBe("TransientError")
            expect(error.message).toContain("may have landed")
            return yield* adapter.findCreated({
              key: key("c3"),
              sourceId: source,
              fields,
              provisionalId: Option.some(reserve.reserved[0]!)
            })
          }),
        { hook: faultAt(mock, isSave, { ackLostRate: 1, ackLostModes: [mode] }) }
      )
      return Effect.map(effect, (found) => {
        expect(found).toEqual(Option.some(String(mock.control.customers()[0]!.ord)))
        expect(mock.control.customers()).toHaveLength(1)
      })
    }
  )

  it.effect(
    "after a save that never reached the ERP (crash envelope), findCreated says none and a new create lands once",
    () => {
      const mock = makeMock()
      const fields = customerFields(4)
      const reserve = reserving()
      const { effect } = withAdapter(
        mock,
        (adapter) =>
          Effect.gen(function* () {
            expect((yield* Effect.flip(create(adapter, fields, reserve)))._tag).toBe("TransientError")
            expect(
              yield* adapter.findCreated({
                key: key("c4"),
                sourceId: source,
                fields,
                provisionalId: Option.some(reserve.reserved[0]!)
              })
            ).toEqual(Option.none())
            return yield* create(adapter, fields)
          }),
        { hook: faultAt(mock, isSave, { transientRate: 1, transientKinds: ["crash"] }) }
      )
      return Effect.map(effect, ({ id }) => expect(mock.control.customers().map((c) => String(c.ord))).toEqual([id]))
    }
  )

  it.effect("findCreated finds a landed create by its khid when no id was recorded, checking the khid exactly", () => {
    const mock = makeMock()
    mock.control.insertCustomer({ name: "近似", khid: "WX50", sort1: "17,146", person_name: "王" })
    const target = mock.control.insertCustomer({ name: "目标", khid: "WX5", sort1: "17,146", person_name: "王" })
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.all([
        adapter.findCreated({
          key: key("c5"),
          sourceId: source,
          fields: { khid: "WX5" },
          provisionalId: Option.none()
        }),
        adapter.findCreated({ key: key("c6"), sourceId: source, fields: { khid: "WX" }, provisionalId: Option.none() })
      ])
    )
    return Effect.map(effect, ([found, none]) => {
      expect(found).toEqual(Option.some(String(target.ord)))
      expect(none).toEqual(Option.none())
    })
  })

  it.effect(
    "an allocation invalidated by another allocation of the account is found not landed, and the create then lands once",
    () => {
      // a second program on the same account allocates (and saves) between this create's allocation and its save
      const mock = makeMock()
      const fields = customerFields(7)
      const reserve = reserving()
      const other = Effect.flatMap(ZhibangClient.ZhibangClient, (client) =>
        client.createCustomer({ intsort: 1, fields: { ...customerFields(8), ly: 171 }, beforeSave: () => Effect.void })
      ).pipe(Effect.provide(clientOn(mock)))
      const { effect } = withAdapter(mock, (adapter) =>
        Effect.gen(function* () {
          const first = yield* Effect.flip(
            adapter.create({
              key: key("c7"),
              sourceId: source,
              fields,
              reserve: (id) => Effect.zipRight(reserve.reserve(id), Effect.orDie(other))
            })
          )
          expect(first).toMatchObject({
            _tag: "TransientError",
            message: expect.stringContaining("was invalidated before its save")
          })
          expect(
            yield* adapter.findCreated({
              key: key("c7"),
              sourceId: source,
              fields,
              provisionalId: Option.some(reserve.reserved[0]!)
            })
          ).toEqual(Option.none())
          return yield* create(adapter, fields)
        })
      )
      return Effect.map(effect, () => {
        expect(mock.control.customers().map((c) => c.fields.khid)).toEqual(["WX8", "WX7"])
      })
    }
  )
})

describe("ZhibangAdapter.update", () => {
  const setup = () => {
    const mock = makeMock()
    const customer = mock.control.insertCustomer({
      name: "丙公司",
      khid: "WX9",
      sort1: "17,146",
      person_name: "赵六",
      mobile: "13700000009",
      address: "旧地址"
    })
    return { mock, id: RecordId.make(String(customer.ord)) }
  }

  it.effect("re-sends the fields the ERP requires and only the changed ones", () => {
    const { mock, id } = setup()
    const { effect, seen } = withAdapter(mock, (adapter) =>
      adapter.update({
        key: key("u1"),
        id,
        changes: { address: "新地址", name: "丙公司" },
        expected: { address: "旧地址", name: "丙公司" }
      })
    )
    return Effect.map(effect, () => {
      const save = seen.find(isSave)!
      expect(save.datas).toEqual({
        name: "丙公司",
        sort1: "17,146",
        person_name: "赵六",
        address: "新地址",
        ord: Number(id)
      })
      expect(mock.control.customers()[0]!.fields).toMatchObject({
        address: "新地址",
        mobile: "13700000009",
        khid: "WX9"
      })
    })
  })

  it.effect("fails with StaleError naming the field a person changed since the sync read it", () => {
    const { mock, id } = setup()
    mock.control.editCustomer(Number(id), { address: "人工改的" })
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.flip(
        adapter.update({ key: key("u2"), id, changes: { address: "新地址" }, expected: { address: "旧地址" } })
      )
    )
    return Effect.map(effect, (error) => {
      expect(error).toMatchObject({ _tag: "StaleError", field: "address" })
      expect(mock.control.customers()[0]!.fields.address).toBe("人工改的")
    })
  })

  it.effect("succeeds without a save when the ERP already holds the changes", () => {
    const { mock, id } = setup()
    const { effect, seen } = withAdapter(mock, (adapter) =>
      adapter.update({ key: key("u3"), id, changes: { address: "旧地址", ly: 171 }, expected: { address: null } })
    )
    mock.control.editCustomer(Number(id), { ly: "171" })
    return Effect.map(effect, () => expect(seen.filter(isSave)).toEqual([]))
  })

  it.effect("clears a field changed to null, and refuses a customer that no longer exists or a field it lacks", () => {
    const { mock, id } = setup()
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.gen(function* () {
        yield* adapter.update({ key: key("u4"), id, changes: { address: null }, expected: { address: "旧地址" } })
        const missing = yield* Effect.flip(
          adapter.update({ key: key("u5"), id: RecordId.make("999"), changes: { address: "x" }, expected: {} })
        )
        const unknown = yield* Effect.flip(
          adapter.update({ key: key("u6"), id, changes: { nosuch: "x" }, expected: {} })
        )
        return [missing, unknown] as const
      })
    )
    return Effect.map(effect, ([missing, unknown]) => {
      expect(mock.control.customers()[0]!.fields.address ?? "").toBe("")
      expect(missing).toMatchObject({ _tag: "RejectedError", message: expect.stringContaining("no longer exists") })
      expect(unknown).toMatchObject({ _tag: "RejectedError", field: "nosuch" })
    })
  })

  it.effect("a duplicate refusal on update is a collision too", () => {
    const { mock, id } = setup()
    const other = mock.control.insertCustomer({
      name: "丁公司",
      sort1: "17,146",
      person_name: "钱七",
      mobile: "13600000000"
    })
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.flip(adapter.update({ key: key("u7"), id, changes: { name: "丁公司" }, expected: { name: "丙公司" } }))
    )
    return Effect.map(effect, (error) =>
      expect(error).toMatchObject({ _tag: "CollisionError", field: "name", collidingId: String(other.ord) })
    )
  })
})

describe("ZhibangAdapter.perform", () => {
  const setup = () => {
    const mock = makeMock()
    const customer = mock.control.insertCustomer({ name: "戊公司", sort1: "17,146", person_name: "孙八" })
    return { mock, id: RecordId.make(String(customer.ord)) }
  }

  it.effect("records a follow-up with the configured method and no schedule by default", () => {
    const { mock, id } = setup()
    const { effect } = withAdapter(mock, (adapter) =>
      adapter.perform({ key: key("f1"), id, kind: "followUp", payload: { intro: "106" } })
    )
    return Effect.map(effect, () =>
      expect(mock.control.followUps()).toMatchObject([
        { ord: Number(id), template: 106, fields: { sort: "484", plantype: "0" } }
      ])
    )
  })

  it.effect("assigns to salespeople or to the public pool", () => {
    const { mock, id } = setup()
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.zipRight(
        adapter.perform({ key: key("a1"), id, kind: "assign", payload: { member1: 0, member2: "61,62" } }),
        adapter.perform({ key: key("a2"), id, kind: "assign", payload: { member1: "1", member2: "" } })
      )
    )
    return Effect.map(effect, () =>
      expect(mock.control.assignments().map((a) => [a.member1, a.member2])).toEqual([
        [0, [61, 62]],
        [1, []]
      ])
    )
  })

  it.effect("adds a contact to the customer", () => {
    const { mock, id } = setup()
    const { effect } = withAdapter(mock, (adapter) =>
      adapter.perform({
        key: key("p1"),
        id,
        kind: "contact",
        payload: { person_name: "周九", mobile: "13500000005", weixinAcc: "wx_zhou" }
      })
    )
    return Effect.map(effect, () =>
      expect(mock.control.contacts().find((c) => !c.main)).toMatchObject({
        company: Number(id),
        fields: { person_name: "周九", mobile: "13500000005", weixinAcc: "wx_zhou" }
      })
    )
  })

  it.effect("refuses an unknown action, a follow-up without text and a contact without a name, sending nothing", () => {
    const { mock, id } = setup()
    const { effect, seen } = withAdapter(mock, (adapter) =>
      Effect.all(
        [
          adapter.perform({ key: key("x1"), id, kind: "delete", payload: {} }),
          adapter.perform({ key: key("x2"), id, kind: "followUp", payload: {} }),
          adapter.perform({ key: key("x3"), id, kind: "contact", payload: { mobile: "1" } }),
          adapter.perform({ key: key("x4"), id, kind: "assign", payload: { member1: 0 } })
        ].map(Effect.flip)
      )
    )
    return Effect.map(effect, (errors) => {
      expect(errors.map((e) => [e._tag, "field" in e ? e.field : undefined])).toEqual([
        ["RejectedError", undefined],
        ["RejectedError", "intro"],
        ["RejectedError", "person_name"],
        ["RejectedError", "member2"]
      ])
      expect(seen).toEqual([])
    })
  })
})

describe("ZhibangAdapter.compensateCreate", () => {
  it.effect("moves the customer to the public pool and marks its notes once, and says a person must delete it", () => {
    const mock = makeMock()
    const customer = mock.control.insertCustomer({
      name: "己公司",
      sort1: "17,146",
      person_name: "吴十",
      intro: "原备注"
    })
    const id = RecordId.make(String(customer.ord))
    const written = { name: "己公司", sort1: "17,146", person_name: "吴十" }
    const { effect } = withAdapter(mock, (adapter) =>
      Effect.all([
        adapter.compensateCreate({ id, key: key("c"), written, version: Option.none() }),
        adapter.compensateCreate({ id, key: key("c"), written, version: Option.none() })
      ])
    )
    return Effect.map(effect, ([first, second]) => {
      expect(first).toMatchObject({ _tag: "Withdrawn", note: expect.stringContaining("a person must delete it") })
      expect(second).toEqual(first)
      expect(mock.control.customers()[0]!.fields.intro).toBe("【同步回滚：已撤回，请人工删除】\n原备注")
      expect(mock.control.assignments().map((a) => a.member1)).toEqual([1, 1])
    })
  })

  it.effect("keeps a customer someone changed in the ERP since the sync wrote it: no pool move, no note", () => {
    const mock = makeMock()
    const customer = mock.control.insertCustomer({
      name: "辛公司",
      sort1: "17,146",
      person_name: "钱二",
      intro: "原备注"
    })
    const id = RecordId.make(String(customer.ord))
    const written = { name: "辛公司（同步写入）", sort1: "17,146", person_name: "钱二" }
    const { effect } = withAdapter(mock, (adapter) =>
      adapter.compensateCreate({ id, key: key("c"), written, version: Option.none() })
    )
    return Effect.map(effect, (result) => {
      expect(result).toEqual({
        _tag: "Kept",
        note: `ERP customer ${id} was changed in the ERP since the sync wrote it (name); kept as it is`
      })
      expect(mock.control.customers()[0]!.fields.intro).toBe("原备注")
      expect(mock.control.assignments()).toEqual([])
    })
  })

  it.effect("follows the configuration: no pool move, another note", () => {
    const mock = makeMock()
    const customer = mock.control.insertCustomer({ name: "庚公司", sort1: "17,146", person_name: "郑一" })
    const { effect } = withAdapter(
      mock,
      (adapter) =>
        adapter.compensateCreate({
          id: RecordId.make(String(customer.ord)),
          key: key("c"),
          written: {},
          version: Option.none()
        }),
      {
        adapter: { withdraw: { toPublicPool: false, note: "[withdrawn]" } }
      }
    )
    return Effect.map(effect, () => {
      expect(mock.control.customers()[0]!.fields.intro).toBe("[withdrawn]")
      expect(mock.control.assignments()).toEqual([])
    })
  })
})

describe("ZhibangAdapter: stopping the run", () => {
  it.effect("bad credentials are fatal for every operation, with one login attempt only", () => {
    const mock = makeMock()
    const { effect } = withAdapter(
      mock,
      (adapter) =>
        Effect.all([Effect.flip(adapter.read(RecordId.make("1"))), Effect.flip(create(adapter, customerFields(1)))]),
      { client: { password: Redacted.make("wrong-password") } }
    )
    return Effect.map(effect, (errors) => {
      for (const error of errors)
        expect(error).toMatchObject({ _tag: "FatalError", message: expect.stringContaining("'admin'") })
      expect(mock.control.callCounts().login).toBe(1)
    })
  })
})
