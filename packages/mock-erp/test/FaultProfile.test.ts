import { describe, expect, it } from "vitest"
import { type FaultProfile, faultProfiles } from "../src/index.js"
import { allocate, company, customerPage, datas, listPage, login, loginPath, makeMock, post, v1 } from "./helpers.js"

const always = (spec: FaultProfile["all"]): FaultProfile => ({ name: "test", all: spec ?? {} })

const listCall = (mock: ReturnType<typeof makeMock>, session: string) =>
  post(mock, listPage, { session, cmdkey: "refresh", datas: [] })

describe("fault injection", () => {
  it("adds latency through the injected sleep", async () => {
    const mock = makeMock({ faults: always({ latencyMs: [100, 200] }) })
    await login(mock)
    expect(mock.slept).toHaveLength(1)
    expect(mock.slept[0]).toBeGreaterThanOrEqual(100)
    expect(mock.slept[0]).toBeLessThanOrEqual(200)
    expect(mock.control.callLog()[0]?.faults).toEqual(["latency"])
  })

  it.each([
    ["proxy502", 502, "text/html", "502 Bad Gateway"],
    ["proxy504", 504, "text/html", "504 Gateway Time-out"],
    ["backendDown", 200, "text/plain", "系统【服务端】未正常启动，请检查服务器环境是否正常。"],
    ["crash", 200, "application/json", '"status":"11"']
  ] as const)("fails transiently with %s, before the page runs (nothing written)", async (kind, status, type, body) => {
    const mock = makeMock()
    const session = await login(mock)
    mock.control.setFaults(always({ transientRate: 1, transientKinds: [kind] }))
    const response = await post(mock, customerPage, { session, datas: datas({ intsort: 1 }) })
    expect(response.status).toBe(status)
    expect(response.headers.get("content-type")).toContain(type)
    expect(await response.text()).toContain(body)
    expect(mock.control.writeLog()).toEqual([])
    expect(mock.control.callLog().at(-1)).toMatchObject({ faults: [kind], answer: "fault" })
  })

  it("expires the caller's session mid-run", async () => {
    const mock = makeMock()
    const session = await login(mock)
    mock.control.setFaults(always({ sessionExpiryRate: 1 }))
    expect(((await (await listCall(mock, session)).json()) as { header: { message: string } }).header.message).toBe(
      "会话超时，请您重新登录。"
    )
    mock.control.setFaults("none")
    expect(((await (await listCall(mock, session)).json()) as { header: { status: number } }).header.status).toBe(1)
  })

  it("loses the answer after the write committed: fetch rejects like a reset connection", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const ord = await allocate(mock, session)
    mock.control.setFaults({ name: "ack", endpoints: { "customer.save": { ackLostRate: 1, ackLostModes: ["reset"] } } })
    const body = JSON.stringify({
      session,
      cmdkey: "__sys_dosave",
      datas: datas({ ord, ...company("酉公司", "13900000009") })
    })
    await expect(mock.fetch(customerPage, { method: "POST", body })).rejects.toThrow("fetch failed")
    expect(mock.control.customers().map((c) => c.ord)).toEqual([ord])
    expect(mock.control.writeLog().at(-1)).toMatchObject({ kind: "customer.create", ord })
    // a retry of the same save now edits: the write is not applied twice as a second customer
    mock.control.setFaults("none")
    const retry = await (await mock.fetch(customerPage, { method: "POST", body })).json()
    expect((retry as { body: { message: { text: string } } }).body.message.text).toBe("保存成功")
    expect(mock.control.writeLog().filter((e) => e.kind === "customer.create")).toHaveLength(1)
  })

  it("loses the answer as a proxy 502 in the other mode; app.request sees the reset as a marked 502", async () => {
    const mock = makeMock()
    const session = await login(mock)
    mock.control.setFaults({
      name: "ack",
      endpoints: { "customer.allocate": { ackLostRate: 1, ackLostModes: ["proxy502"] } }
    })
    const response = await post(mock, customerPage, { session, datas: [] })
    expect(response.status).toBe(502)
    expect(await response.text()).toContain("502 Bad Gateway")
    expect(mock.control.writeLog()).toMatchObject([{ kind: "allocate" }])
    mock.control.setFaults({
      name: "ack",
      endpoints: { "customer.allocate": { ackLostRate: 1, ackLostModes: ["reset"] } }
    })
    const reset = await post(mock, customerPage, { session, datas: [] })
    expect(reset.status).toBe(502)
    expect(reset.headers.get("x-mock-erp-reset")).toBe("1")
  })

  it("answers slowly after the page ran", async () => {
    const mock = makeMock()
    const session = await login(mock)
    mock.control.setFaults(always({ slowRate: 1, slowMs: 45_000 }))
    const answer = await (await post(mock, customerPage, { session, datas: [] })).json()
    expect((answer as { body: { model: string } }).body.model).toBe("bill")
    expect(mock.slept).toEqual([45_000])
    expect(mock.control.callLog().at(-1)?.faults).toEqual(["slow"])
  })

  it("applies an endpoint's own spec there and `all` elsewhere", async () => {
    const mock = makeMock({ faults: { name: "mixed", all: {}, endpoints: { "customer.list": { transientRate: 1 } } } })
    const session = await login(mock)
    expect((await listCall(mock, session)).status).toBe(502)
    expect((await post(mock, customerPage, { session, datas: [] })).status).toBe(200)
  })

  it.each(Object.keys(faultProfiles))("profile %s is deterministic under a seed", async (name) => {
    const run = async () => {
      const mock = makeMock({ faults: name as keyof typeof faultProfiles, faultSeed: 42 })
      const outcomes: Array<string> = []
      for (let k = 0; k < 60; k++) {
        const response = await post(mock, k % 3 === 0 ? loginPath : listPage, {
          datas: datas({ user: "txt:admin", password: "txt:admin123" })
        })
        outcomes.push(`${response.status}:${mock.control.callLog().at(-1)?.faults.join("+")}`)
      }
      return { outcomes, slept: mock.slept }
    }
    expect(await run()).toEqual(await run())
  })

  it("the named profiles fault what they say", async () => {
    const counts = async (name: keyof typeof faultProfiles, path: string) => {
      const mock = makeMock({ faultSeed: 7 })
      const session = await login(mock)
      mock.control.setFaults(name)
      for (let k = 0; k < 200; k++)
        await v1(mock, path, session, path === listPage ? "refresh" : "", {}).catch(() => undefined)
      return mock.control.callLog().flatMap((call) => call.faults)
    }
    expect(await counts("none", listPage)).toEqual([])
    expect(
      (await counts("flaky", listPage)).some((f) => f === "proxy502" || f === "crash" || f === "backendDown")
    ).toBe(true)
    expect(await counts("sessions", listPage)).toContain("sessionExpiry")
    expect(await counts("ack-lost", listPage)).toEqual([])
    expect(await counts("ack-lost", customerPage)).toContain("ackLost")
    expect(await counts("slow", listPage)).toContain("slow")
  })
})
