import { describe, expect, it } from "vitest"
import { customerPage, datas, listPage, login, loginPath, makeMock, postJson, start } from "../helpers.js"

const attempt = (mock: ReturnType<typeof makeMock>, path: string, user: string, password: string, rndcode = "") =>
  postJson(mock, path, { datas: datas({ user, password, serialnum: "txt:ABC123", rndcode }) })

const list = (mock: ReturnType<typeof makeMock>, session: string) =>
  postJson(mock, listPage, { session, cmdkey: "refresh", datas: [] })

describe("login", () => {
  it.each([loginPath, "/sysa/mobilephone/login.asp"])("succeeds at %s with txt: credentials", async (path) => {
    const mock = makeMock()
    const answer = await attempt(mock, path, "txt:admin", "txt:admin123")
    expect(answer.header).toMatchObject({ status: 0, message: "API鉴权成功.", appversion: "32.17" })
    expect(answer.header.session).toMatch(/^[0-9A-F]{20,}$/)
    expect(answer.body).toMatchObject({ model: "init", action: "sys" })
    expect(answer.body.init.info.ratebit).toBe(7200)
  })

  it("fails with status≠0 and body.action fail on bad credentials, or without the txt: prefix", async () => {
    const mock = makeMock()
    for (const [user, password] of [
      ["txt:admin", "txt:wrong"],
      ["admin", "admin123"],
      ["txt:admin", "admin123"]
    ] as const) {
      const answer = await attempt(mock, loginPath, user, password)
      expect(answer.header.status).toBe(1)
      expect(answer.body).toMatchObject({ model: "init", action: "fail", fail: { message: "用户名或密码错误！" } })
    }
  })

  it("can fail with status 0 and only body.action fail (loginFailStatus: 0)", async () => {
    const mock = makeMock({ loginFailStatus: 0 })
    const answer = await attempt(mock, loginPath, "txt:admin", "txt:bad")
    expect(answer.header.status).toBe(0)
    expect(answer.body.action).toBe("fail")
  })

  it("demands a captcha after 3 failures, with newrndcode in the failure body", async () => {
    const mock = makeMock()
    for (let k = 1; k <= 2; k++) {
      const answer = await attempt(mock, loginPath, "txt:admin", "txt:bad")
      expect(answer.body.fail.newrndcode).toBeUndefined()
    }
    const third = await attempt(mock, loginPath, "txt:admin", "txt:bad")
    expect(third.body.fail.newrndcode).toMatch(/rndcode/)
    const noCaptcha = await attempt(mock, loginPath, "txt:admin", "txt:admin123")
    expect(noCaptcha.body).toMatchObject({ action: "fail", fail: { message: "验证码错误！" } })
    expect(noCaptcha.body.fail.newrndcode).toBeDefined()
    const captcha = mock.control.captcha("admin")!
    const ok = await attempt(mock, loginPath, "txt:admin", "txt:admin123", captcha)
    expect(ok.header.status).toBe(0)
    expect(mock.control.captcha("admin")).toBeUndefined()
  })

  it("serves configured accounts", async () => {
    const mock = makeMock({ users: [{ user: "sync", password: "s3cret", id: 7 }] })
    expect(await login(mock, "sync", "s3cret")).toBeTruthy()
    expect((await attempt(mock, loginPath, "txt:admin", "txt:admin123")).header.status).toBe(1)
  })
})

describe("sessions", () => {
  it("refuses calls without a session, or with an unknown one", async () => {
    const mock = makeMock()
    expect((await list(mock, "")).header).toMatchObject({ status: 1, message: "非法访问，未登录系统。" })
    const unknown = await list(mock, "NOPE")
    expect(unknown).toEqual({ header: { status: 1, message: "会话非法", language: "cn", session: "" } })
  })

  it("times out after sessionIdleMs without calls, counted from the last call", async () => {
    let now = start
    const mock = makeMock({ now: () => now, sessionIdleMs: 1000 })
    const session = await login(mock)
    now += 900
    expect((await list(mock, session)).header.status).toBe(0)
    now += 900
    expect((await list(mock, session)).header.status).toBe(0)
    now += 1001
    expect((await list(mock, session)).header).toMatchObject({ status: 1, message: "会话超时，请您重新登录。" })
    expect((await list(mock, session)).body).toBeUndefined()
  })

  it("expires on control.advanceClock too", async () => {
    const mock = makeMock()
    const session = await login(mock)
    mock.control.advanceClock(2 * 3600_000 + 1)
    expect((await list(mock, session)).header.message).toBe("会话超时，请您重新登录。")
  })

  it("a newer login of the same user kicks the older session (switchable)", async () => {
    const mock = makeMock()
    const first = await login(mock)
    const second = await login(mock)
    expect((await list(mock, first)).header).toMatchObject({
      status: 1,
      message: "您的账号已在其它设备上登录，请您重新登录。"
    })
    expect((await list(mock, second)).header.status).toBe(0)
    const lenient = makeMock({ kickOnRelogin: false })
    const a = await login(lenient)
    await login(lenient)
    expect((await list(lenient, a)).header.status).toBe(0)
  })

  it("uses the configured failure status", async () => {
    const mock = makeMock({ sessionErrorStatus: 2 })
    expect((await list(mock, "")).header.status).toBe(2)
  })

  it("expireSessions and kickSessions end every live session", async () => {
    const mock = makeMock()
    const session = await login(mock)
    mock.control.kickSessions()
    expect((await list(mock, session)).header.message).toBe("您的账号已在其它设备上登录，请您重新登录。")
    const next = await login(mock)
    mock.control.expireSessions()
    expect((await list(mock, next)).header.message).toBe("会话超时，请您重新登录。")
  })

  it("accepts the V3 login's token as the V1 session body key", async () => {
    const mock = makeMock()
    const token = await login(mock)
    const answer = await postJson(mock, customerPage, { session: token, datas: datas({ intsort: 1 }) })
    expect(answer.body.model).toBe("bill")
  })
})

describe("logout", () => {
  it.each(["/sysa/mobilephone/logout.asp", "/webapi/v3/ov1/logout"])("%s ends the session", async (path) => {
    const mock = makeMock()
    const session = await login(mock)
    const answer = await postJson(mock, path, { session })
    expect(answer.header.status).toBe(0)
    expect(answer.body.model).toBe("message")
    expect((await list(mock, session)).header).toMatchObject({ status: 1, message: "您的账号已经下线退出。" })
    expect((await postJson(mock, path, { session })).header.status).toBe(1)
  })
})
