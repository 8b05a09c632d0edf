import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { ZhibangClient, ZhibangConfig } from "../src/index.js"
import type { ZhibangClientConfig } from "../src/ZhibangConfig.js"
import { clientOn, httpOn, makeMock } from "./helpers.js"

/** The client against the mock ERP's variants of the protocol (the mock is the independent witness of the spec). */
const withClient = <A, E>(
  mock: ReturnType<typeof makeMock>,
  f: (client: ZhibangClient.ZhibangClientService) => Effect.Effect<A, E>,
  config: Partial<ZhibangClientConfig> = {}
) => Effect.flatMap(ZhibangClient.ZhibangClient, f).pipe(Effect.provide(clientOn(mock, config)))

const wrongPassword = { password: Redacted.make("wrong") }

describe("ZhibangClient over the mock ERP", () => {
  it.effect("reads an enumeration's ids and names (13 = customer source); an unknown one is empty", () => {
    const mock = makeMock()
    return Effect.gen(function* () {
      const [sources, unknown] = yield* withClient(mock, (client) =>
        Effect.all([client.enumeration(13), client.enumeration(4242)])
      )
      expect(sources).toEqual([
        { id: "171", name: "网站注册" },
        { id: "172", name: "朋友介绍" },
        { id: "173", name: "陌生开发" },
        { id: "174", name: "广告宣传" },
        { id: "977", name: "VIP" }
      ])
      expect(unknown).toEqual([])
    })
  })

  it.effect("reports the envelope variants its lists showed: row shape, the empty-list form, numeric cells", () =>
    Effect.gen(function* () {
      const page = { pageIndex: 1, pageSize: 5 }
      const none = { ...page, filters: { telord: "0" } }
      const seen = (options: Parameters<typeof makeMock>[0]) =>
        withClient(makeMock(options), (client) =>
          Effect.zipRight(Effect.all([client.listCustomers(page), client.listCustomers(none)]), client.observedShapes)
        )
      const plain = yield* seen({ seed: { customers: 3, seed: 1 } })
      const other = yield* seen({
        seed: { customers: 3, seed: 1 },
        rowShape: "keyed",
        emptyList: "missing",
        numericCells: true
      })
      expect(plain).toEqual({ rowShapes: ["array"], emptyForms: ["empty"], coerced: [] })
      expect(other).toEqual({ rowShapes: ["keyed"], emptyForms: ["missing"], coerced: ["numeric cells"] })
      const wrapped = yield* seen({ seed: { customers: 3, seed: 1 }, rowShape: "object-wrapped" })
      expect(wrapped.rowShapes).toEqual(["object-wrapped"])
    })
  )

  it.effect("lists the ERP's accounts (V3 orgs/user/list) page by page: the ids assignments name", () => {
    const mock = makeMock()
    return Effect.gen(function* () {
      const [first, second] = yield* withClient(mock, (client) =>
        Effect.all([client.users({ pageIndex: 1, pageSize: 3 }), client.users({ pageIndex: 2, pageSize: 3 })])
      )
      expect(first).toEqual({
        recordCount: 5,
        users: [
          { id: "1", name: "admin", username: "admin" },
          { id: "61", name: "王晓明", username: "user61" },
          { id: "62", name: "李静", username: "user62" }
        ]
      })
      expect(second.users.map((user) => user.id)).toEqual(["63", "64"])
    })
  })

  it.effect("adds and edits a customer through the V3 endpoints (ZBAPI-Token), and reads their refusals", () => {
    const mock = makeMock()
    return Effect.gen(function* () {
      const refused = yield* withClient(mock, (client) =>
        Effect.gen(function* () {
          yield* client.v3Customer("add", {
            sort2: 1,
            name: "壬公司",
            sort: "17",
            sort1: "146",
            person_name: "冯二",
            mobile: "13300000000"
          })
          const ord = mock.control.customers()[0]!.ord
          yield* client.v3Customer("edit", {
            ord,
            sort2: 1,
            name: "壬公司",
            sort: "17",
            sort1: "146",
            person_name: "冯二",
            address: "新址"
          })
          return yield* Effect.flip(
            client.v3Customer("add", { sort2: 1, name: "癸公司", sort: "17", sort1: "146", mobile: "12345" })
          )
        })
      )
      expect(mock.control.customers().map((c) => [c.fields.name, c.fields.address ?? null])).toEqual([
        ["壬公司", "新址"]
      ])
      expect(refused).toMatchObject({ _tag: "ZhibangRejectedError", reason: "invalid", field: "mobile" })
    })
  })

  it.effect("renews a session lost with any non-zero status", () => {
    const mock = makeMock({ sessionErrorStatus: 2, seed: { customers: 3, seed: 1 } })
    return Effect.map(
      withClient(mock, (client) =>
        Effect.zipRight(
          client.listCustomers({ pageIndex: 1, pageSize: 10 }),
          Effect.zipRight(
            Effect.sync(() => mock.control.expireSessions()),
            client.listCustomers({ pageIndex: 1, pageSize: 10 })
          )
        )
      ),
      (page) => {
        expect(page.rows).toHaveLength(3)
        expect(mock.control.callCounts().login).toBe(2)
      }
    )
  })

  it.effect("stops on a refused login whether the status says so or only body.action = fail", () =>
    Effect.gen(function* () {
      for (const loginFailStatus of [1, 0]) {
        const mock = makeMock({ loginFailStatus })
        const error = yield* Effect.flip(
          withClient(mock, (client) => client.listCustomers({ pageIndex: 1, pageSize: 10 }), wrongPassword)
        )
        expect(error).toMatchObject({
          _tag: "ZhibangFatalError",
          message: expect.stringContaining("refused the login of account 'admin'")
        })
        expect(mock.control.callCounts().login).toBe(1)
      }
    })
  )

  it.effect("says a captcha is demanded once the ERP wants one, and what a person must do", () => {
    const mock = makeMock({ captchaAfter: 2 })
    const attempt = Effect.flip(
      withClient(mock, (client) => client.listCustomers({ pageIndex: 1, pageSize: 10 }), wrongPassword)
    )
    return Effect.gen(function* () {
      const errors = [yield* attempt, yield* attempt, yield* attempt]
      expect(errors[0]!.message).not.toContain("demands a captcha")
      expect(errors[2]!.message).toContain("demands a captcha")
      expect(errors[2]!.message).not.toContain("wrong")
    })
  })
})

describe("ZhibangClient.layerConfig", () => {
  it.effect("builds the client from ZHIBANG_* configuration", () => {
    const mock = makeMock({ seed: { customers: 2, seed: 4 } })
    const env = new Map([
      ["ZHIBANG_BASE_URL", "http://erp.test:8088"],
      ["ZHIBANG_USER", "admin"],
      ["ZHIBANG_PASSWORD", "admin123"],
      ["ZHIBANG_RETRY_DELAY", "0 millis"]
    ])
    const layer = ZhibangClient.layerConfig(ZhibangConfig.fromEnv).pipe(
      Layer.provide(httpOn(mock.fetch as typeof fetch))
    )
    return Effect.flatMap(ZhibangClient.ZhibangClient, (client) =>
      client.listCustomers({ pageIndex: 1, pageSize: 10 })
    ).pipe(
      Effect.provide(layer),
      Effect.withConfigProvider(ConfigProvider.fromMap(env, { pathDelim: "_" })),
      Effect.map((page) => expect(page.rows.map((row) => row.ord)).toEqual(["2", "1"]))
    )
  })
})
