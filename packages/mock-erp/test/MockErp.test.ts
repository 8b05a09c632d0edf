import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import {
  allocate,
  customerPage,
  datas,
  type Json,
  listPage,
  login,
  loginPath,
  makeMock,
  post,
  postJson,
  v1
} from "./helpers.js"

const runs = Number(process.env.TONGBU_PROP_RUNS ?? 100)
// each run drives the whole app: allow the time a soak run (many runs) needs
const propTimeout = Math.max(5_000, runs * 50)

describe("the V1 envelope", () => {
  it("answers {header:{status,message,language,session}, body:{model,action,<model>}} with HTTP 200", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const response = await post(mock, listPage, { session, cmdkey: "refresh", datas: [] })
    expect(response.status).toBe(200)
    const answer = (await response.json()) as Json
    expect(answer.header).toEqual({ status: 0, message: "", language: "cn", session })
    expect(answer.body).toMatchObject({ model: "source", action: "table" })
    expect(answer.body.source.type).toBe("table")
  })

  it("reads the command from ?__msgid, then the body's cmdkey, then ?action", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const body = { session, datas: [] }
    expect((await postJson(mock, `${listPage}?__msgid=refresh`, { ...body, cmdkey: "none" })).body.model).toBe("source")
    expect((await postJson(mock, listPage, { ...body, cmdkey: "refresh" })).body.model).toBe("source")
    expect((await postJson(mock, `${listPage}?action=refresh`, body)).body.model).toBe("source")
    expect((await postJson(mock, `${listPage}?action=refresh`, { ...body, cmdkey: "other" })).body.model).toBe("report")
  })

  it("accepts application/zsml and JavaScript object literals (unquoted keys, single quotes)", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const response = await mock.app.request(listPage, {
      method: "POST",
      headers: { "content-type": "application/zsml; charset=utf-8" },
      body: `{session:'${session}', cmdkey:'refresh', datas:[{id:'pagesize', val:5},],}`
    })
    const answer = (await response.json()) as Json
    expect(answer.body.model).toBe("source")
  })

  it("takes val as a number or a string", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const ord = await allocate(mock, session)
    const text = async (ordVal: string | number) =>
      (
        await v1(mock, customerPage, session, "__sys_dosave", {
          ord: ordVal,
          name: `客户${ordVal}`,
          sort1: "17",
          person_name: "李四"
        })
      ).body.message.text
    expect(await text(ord)).toBe("保存成功")
    expect(await text(String(ord))).toBe("保存成功")
  })

  it("matches paths case-insensitively, as IIS does", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const answer = await postJson(mock, listPage.toUpperCase(), { session, cmdkey: "refresh" })
    expect(answer.body.model).toBe("source")
  })
})

describe("unknown pages and bad input", () => {
  it("answers IIS's 404 page for a path that does not exist, never Hono's text", async () => {
    const mock = makeMock()
    for (const path of ["/nope", "/sysa/mobilephone/nothing.asp", "/webapi/v3/nothing", "/__mock/state"]) {
      const response = await post(mock, path, {})
      expect(response.status).toBe(404)
      expect(response.headers.get("content-type")).toContain("text/html")
      expect(await response.text()).toContain("404 - 找不到文件或目录。")
    }
  })

  it("answers a status≠0 envelope for a catalog page it does not implement, and {Code:500} for a V3 one", async () => {
    const mock = makeMock()
    const page = await postJson(mock, "/sysa/mobilephone/salesmanage/chance/list.asp", { cmdkey: "refresh" })
    expect(page.header.status).not.toBe(0)
    expect(page.header.message).toContain("未实现")
    const reply = await postJson(mock, "/sysa/mobilephone/systemmanage/reply.asp?datatype=chance", {})
    expect(reply.header.status).not.toBe(0)
    expect(await postJson(mock, "/webapi/v3/orgs/dept/list", {})).toMatchObject({ Code: 500 })
  })

  it('answers the crash envelope (status "11") for a body that is not even an object literal', async () => {
    const mock = makeMock()
    for (const body of ["{session:", "[1,2]", "<xml/>", "'text'"]) {
      const answer = await postJson(mock, listPage, body)
      expect(answer.header.status).toBe("11")
      expect(answer.header.message).toMatch(/^服务程序发生错误:/)
    }
  })

  it("treats an empty body as not logged in", async () => {
    const mock = makeMock()
    const answer = await postJson(mock, listPage, "")
    expect(answer).toEqual({ header: { status: 1, message: "非法访问，未登录系统。", language: "cn", session: "" } })
  })

  it("ignores unknown fields and rejects wrong types with the field's message", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const ord = await allocate(mock, session)
    const fields = { ord, name: "类型公司", sort1: "17", person_name: "王五", nosuchfield: "x", ly: "abc" }
    const answer = await v1(mock, customerPage, session, "__sys_dosave", fields)
    expect(answer.body.message.text).toBe("客户来源必须是整数！")
  })

  test.prop(
    [
      fc.constantFrom(
        loginPath,
        listPage,
        customerPage,
        "/sysa/mobilephone/salesmanage/person/add.asp",
        "/webapi/v3/sales/customer/add",
        "/x.asp"
      ),
      fc.oneof(
        fc.string(),
        fc.json(),
        fc
          .record({
            session: fc.string(),
            cmdkey: fc.constantFrom("", "__sys_dosave", "refresh", "profect"),
            datas: fc.anything()
          })
          .map((v) => JSON.stringify(v)),
        fc
          .array(
            fc.record({
              id: fc.constantFrom("ord", "name", "edit", "intsort", "pagesize", "mobile"),
              val: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.object())
            })
          )
          .map((d) => JSON.stringify({ cmdkey: "__sys_dosave", datas: d }))
      )
    ],
    { numRuns: runs }
  )(
    "never crashes on bad input: no 500, always an answer the ERP would give",
    async (path, body) => {
      const mock = makeMock()
      const session = await login(mock)
      const withSession = body.startsWith("{") ? body.replace("{", `{"session":"${session}",`) : body
      for (const text of [body, withSession]) {
        const response = await mock.app.request(path, { method: "POST", body: text })
        expect([200, 404]).toContain(response.status)
        const raw = await response.text()
        expect(raw.length).toBeGreaterThan(0)
        if (response.status === 200) expect(() => JSON.parse(raw)).not.toThrow()
      }
    },
    propTimeout
  )
})

describe("fetch", () => {
  it("routes to app.fetch, relative or absolute", async () => {
    const mock = makeMock()
    const relative = await mock.fetch(loginPath, {
      method: "POST",
      body: JSON.stringify({ datas: datas({ user: "txt:admin", password: "txt:admin123" }) })
    })
    expect(((await relative.json()) as Json).header.status).toBe(0)
    const absolute = await mock.fetch(`http://erp.example:46088${listPage}`, { method: "POST", body: "{}" })
    expect(((await absolute.json()) as Json).header.status).toBe(1)
  })
})
