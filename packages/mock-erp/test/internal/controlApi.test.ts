import { describe, expect, it } from "vitest"
import { company, createCustomer, type Json, listPage, login, makeMock, post, v1 } from "../helpers.js"

const control = async (mock: ReturnType<typeof makeMock>, path: string, body?: unknown) => {
  const response = await mock.app.request(
    `/__mock${path}`,
    body === undefined ? {} : { method: "POST", body: JSON.stringify(body) }
  )
  return { status: response.status, json: (await response.json()) as Json }
}

describe("the control API (/__mock)", () => {
  it("is off unless enabled: its paths are then unknown pages", async () => {
    const mock = makeMock()
    expect((await mock.app.request("/__mock/state")).status).toBe(404)
  })

  it("dumps the state, the write log and the call counts, and takes UI edits", async () => {
    const mock = makeMock({ controlApi: true, seed: { customers: 3, seed: 9 } })
    const session = await login(mock)
    await createCustomer(mock, session, company("控制台公司", "13712340000"))
    const state = await control(mock, "/state")
    expect(state.json.customers).toHaveLength(4)
    expect((await control(mock, "/write-log")).json.map((e: Json) => e.kind)).toEqual(["allocate", "customer.create"])
    expect((await control(mock, "/call-counts")).json).toEqual({ login: 1, "customer.allocate": 1, "customer.save": 1 })
    expect((await control(mock, "/call-log")).json).toHaveLength(3)
    const inserted = await control(mock, "/customers", { fields: company("手工录入公司", "13712340001") })
    expect(inserted.json.fields.name).toBe("手工录入公司")
    const edited = await control(mock, `/customers/${inserted.json.ord}`, { fields: { intro: "改过" } })
    expect(edited.json.fields.intro).toBe("改过")
    const refused = await control(mock, "/customers", { fields: company("手工录入公司", "") })
    expect(refused).toEqual({ status: 400, json: { error: "此客户名称【手工录入公司】已存在！" } })
  })

  it("sets faults, advances the clock, ends sessions and resets", async () => {
    const mock = makeMock({ controlApi: true })
    let session = await login(mock)
    expect((await control(mock, "/faults", { profile: { name: "x", all: { transientRate: 1 } } })).status).toBe(200)
    expect((await post(mock, listPage, { session, cmdkey: "refresh" })).status).toBe(502)
    expect((await control(mock, "/faults", { profile: "none" })).status).toBe(200)
    expect((await control(mock, "/faults", { profile: "nope" })).status).toBe(400)
    const clock = await control(mock, "/clock", { advanceMs: 3 * 3600_000 })
    expect(clock.json.now).toBe(mock.control.now())
    expect((await v1(mock, listPage, session, "refresh")).header.message).toBe("会话超时，请您重新登录。")
    session = await login(mock)
    await control(mock, "/kick-sessions", {})
    expect((await v1(mock, listPage, session, "refresh")).header.status).toBe(1)
    session = await login(mock)
    await control(mock, "/expire-sessions", {})
    expect((await v1(mock, listPage, session, "refresh")).header.status).toBe(1)
    await control(mock, "/reset", {})
    expect(mock.control.callLog()).toEqual([])
    expect((await control(mock, "/captcha/admin")).json).toEqual({ captcha: null })
  })
})
