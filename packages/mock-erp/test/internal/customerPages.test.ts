import { describe, expect, it } from "vitest"
import { allocate, company, createCustomer, customerPage, type Json, login, makeMock, v1 } from "../helpers.js"

const save = (
  mock: ReturnType<typeof makeMock>,
  session: string,
  fields: Record<string, string | number>,
  intsort = 1
) =>
  v1(mock, `${customerPage}?intsort=${intsort}`, session, "__sys_dosave", fields).then(
    (a: Json) => a.body.message.text as string
  )

const detail = (mock: ReturnType<typeof makeMock>, session: string, ord: number) =>
  v1(mock, `${customerPage}?edit=1`, session, "", { ord })

const fieldOf = (bill: Json, id: string) =>
  bill.groups.flatMap((group: Json) => group.fields).find((field: Json) => field.id === id)

describe("allocate a customer id (add.asp without cmdkey)", () => {
  it("answers a bill whose value is the new ord, with a proposed khid, and logs the allocation", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const answer = await v1(mock, customerPage, session, "", { intsort: 1, edit: "0", ord: "0" })
    expect(answer.header.status).toBe(0)
    expect(answer.body).toMatchObject({ model: "bill", action: "init" })
    const ord = answer.body.bill.value
    expect(Number.isInteger(ord)).toBe(true)
    expect(fieldOf(answer.body.bill, "khid").text).toMatch(/^KH/)
    expect(fieldOf(answer.body.bill, "name").value).toBe("")
    expect(mock.control.writeLog()).toMatchObject([{ kind: "allocate", ord, endpoint: "customer.allocate" }])
    expect(mock.control.customers()).toEqual([])
  })

  it("invalidates the same user's earlier unsaved placeholder (switchable)", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const first = await allocate(mock, session)
    const second = await allocate(mock, session)
    expect(second).not.toBe(first)
    expect(await save(mock, session, { ord: first, ...company("甲公司", "13800000001") })).toBe(
      "抱歉，您访问的单据已被删除！"
    )
    expect(await save(mock, session, { ord: second, ...company("甲公司", "13800000001") })).toBe("保存成功")

    const lenient = makeMock({ invalidatePlaceholders: false })
    const s = await login(lenient)
    const a = await allocate(lenient, s)
    await allocate(lenient, s)
    expect(await save(lenient, s, { ord: a, ...company("乙公司", "13800000002") })).toBe("保存成功")
  })

  it("keeps other users' placeholders", async () => {
    const mock = makeMock({
      users: [
        { user: "a", password: "1" },
        { user: "b", password: "2" }
      ]
    })
    const sa = await login(mock, "a", "1")
    const sb = await login(mock, "b", "2")
    const mine = await allocate(mock, sa)
    await allocate(mock, sb)
    expect(await save(mock, sa, { ord: mine, ...company("丙公司", "13800000003") })).toBe("保存成功")
  })
})

describe("save (__sys_dosave)", () => {
  it("adds a company (intsort 1) with its main contact, then edits it", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const { ord, text } = await createCustomer(
      mock,
      session,
      company("杭州华信科技有限公司", "13912345678", { khid: "WX1", ly: 171, jz: 175 })
    )
    expect(text).toBe("保存成功")
    const [customer] = mock.control.customers()
    expect(customer).toMatchObject({ ord, intsort: 1, owner: "admin" })
    expect(customer?.fields).toMatchObject({
      name: "杭州华信科技有限公司",
      khid: "WX1",
      ly: "171",
      mobile: "13912345678",
      person_name: "张三"
    })
    expect(customer?.fields.date1).toBe("2025-01-06 10:00:00")
    expect(mock.control.contacts()).toMatchObject([
      { company: ord, main: true, fields: { person_name: "张三", mobile: "13912345678" } }
    ])

    expect(await save(mock, session, { ord, address: "杭州市文三路1号" })).toBe("保存成功")
    expect(mock.control.customers()[0]?.fields).toMatchObject({
      name: "杭州华信科技有限公司",
      address: "杭州市文三路1号"
    })
    expect(mock.control.writeLog().map((entry) => entry.kind)).toEqual([
      "allocate",
      "customer.create",
      "customer.update"
    ])
    expect(mock.control.writeLog()[2]?.fields).toEqual({ address: "杭州市文三路1号" })
  })

  it("adds a person (intsort 2) without person_name; the customer is its own contact", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const { text } = await createCustomer(mock, session, { name: "李小龙", sort1: "16", mobile: "13700000000" }, 2)
    expect(text).toBe("保存成功")
    expect(mock.control.customers()[0]?.intsort).toBe(2)
    expect(mock.control.contacts()[0]?.fields).toMatchObject({ person_name: "李小龙", mobile: "13700000000" })
  })

  it("fails an unknown ord like a deleted record", async () => {
    const mock = makeMock()
    const session = await login(mock)
    for (const ord of [0, 999, "abc", ""]) {
      expect(await save(mock, session, { ord, ...company("丁公司", "") })).toBe("抱歉，您访问的单据已被删除！")
    }
  })

  it.each([
    [{ name: "" }, "客户名称不能为空！"],
    [{ sort1: "" }, "客户分类不能为空！"],
    [{ person_name: "" }, "联系人姓名不能为空！"],
    [{ name: "长".repeat(101) }, "客户名称不能超过100个字！"],
    [{ address: "路".repeat(201) }, "客户地址不能超过200个字！"],
    [{ ly: 999 }, "客户来源的值【999】无效！"],
    [{ jz: "abc" }, "价值评估必须是整数！"],
    [{ date1: "2025-13-01" }, "添加时间不是有效的日期！"]
  ])("rejects %o with status 0 and the message %s", async (patch, message) => {
    const mock = makeMock()
    const session = await login(mock)
    const ord = await allocate(mock, session)
    const answer = await v1(mock, `${customerPage}?intsort=1`, session, "__sys_dosave", {
      ord,
      ...company("戊公司", ""),
      ...patch
    })
    expect(answer.header.status).toBe(0)
    expect(answer.body).toMatchObject({ model: "message", action: "", message: { text: message } })
    expect(mock.control.customers()).toEqual([])
  })

  it("counts lengths in characters, not bytes", async () => {
    const mock = makeMock()
    const session = await login(mock)
    expect((await createCustomer(mock, session, company("名".repeat(100), ""))).text).toBe("保存成功")
  })

  it("takes the required fields from configuration", async () => {
    const mock = makeMock({ requiredFields: { company: ["name", "mobile"] } })
    const session = await login(mock)
    expect((await createCustomer(mock, session, { name: "己公司" })).text).toBe("手机不能为空！")
    expect((await createCustomer(mock, session, { name: "己公司", mobile: "13600000000" })).text).toBe("保存成功")
  })

  it("rejects duplicates: name, then mobile (also a contact's mobile2); first hit wins", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const { ord } = await createCustomer(mock, session, company("庚公司", "13500000000"))
    expect((await createCustomer(mock, session, company("庚公司", "13500000000"))).text).toBe(
      "此客户名称【庚公司】已存在！"
    )
    expect((await createCustomer(mock, session, company("辛公司", "13500000000"))).text).toBe(
      "此手机【13500000000】已存在！"
    )
    await v1(mock, "/sysa/mobilephone/salesmanage/person/add.asp", session, "__sys_dosave", {
      company: ord,
      person_name: "赵六",
      mobile2: "13511111111"
    })
    expect((await createCustomer(mock, session, company("壬公司", "13511111111"))).text).toBe(
      "此手机【13511111111】已存在！"
    )
    // exact equality only, and an edit does not collide with itself
    expect((await createCustomer(mock, session, company("庚公司 ", "135000000001"))).text).toBe("保存成功")
    expect(await save(mock, session, { ord, name: "庚公司", mobile: "13500000000" })).toBe("保存成功")
  })

  it("checks the configured unique fields only", async () => {
    const mock = makeMock({ uniqueFields: ["khid", "weixinAcc"] })
    const session = await login(mock)
    await createCustomer(mock, session, company("癸公司", "13400000000", { khid: "WX9", weixinAcc: "wx_a" }))
    expect((await createCustomer(mock, session, company("癸公司", "13400000000", { khid: "WX10" }))).text).toBe(
      "保存成功"
    )
    expect((await createCustomer(mock, session, company("子公司", "", { khid: "WX9" }))).text).toBe(
      "此客户编号【WX9】已存在！"
    )
    expect((await createCustomer(mock, session, company("丑公司", "", { weixinAcc: "wx_a" }))).text).toBe(
      "此微信【wx_a】已存在！"
    )
  })
})

describe("detail (add.asp?edit=1)", () => {
  it("answers a bill with groups of fields: text and value, enum options", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const { ord } = await createCustomer(mock, session, company("寅公司", "13300000000", { ly: 173 }))
    const answer = await detail(mock, session, ord)
    expect(answer.body).toMatchObject({ model: "bill", action: "init" })
    const bill = answer.body.bill
    expect(bill.value).toBe(ord)
    expect(bill.groups.map((group: Json) => group.id)).toEqual(["base", "contact", "more"])
    expect(fieldOf(bill, "name")).toMatchObject({
      caption: "客户名称",
      dbtype: "string",
      text: "寅公司",
      value: "寅公司",
      notnull: true,
      maxl: 100
    })
    expect(fieldOf(bill, "ly")).toMatchObject({ text: "陌生开发", value: "173" })
    expect(fieldOf(bill, "ly").source.options).toContainEqual({ n: "陌生开发", v: "173" })
    expect(fieldOf(bill, "sort1")).toMatchObject({ text: "意向客户,初步接触", value: "17,146" })
    expect(fieldOf(bill, "mobile")).toMatchObject({ value: "13300000000" })
    expect(fieldOf(bill, "email")).toMatchObject({ text: "", value: "" })
  })

  it("drops empty keys when dropEmptyKeys is on", async () => {
    const mock = makeMock({ dropEmptyKeys: true })
    const session = await login(mock)
    const { ord } = await createCustomer(mock, session, company("卯公司", "13300000001"))
    const bill = (await detail(mock, session, ord)).body.bill
    expect(fieldOf(bill, "email")).not.toHaveProperty("text")
    expect(fieldOf(bill, "email")).not.toHaveProperty("value")
    expect(fieldOf(bill, "name")).toHaveProperty("value", "卯公司")
  })

  it("answers the deleted-record message for an unknown ord or an unsaved placeholder", async () => {
    const mock = makeMock()
    const session = await login(mock)
    const placeholder = await allocate(mock, session)
    for (const ord of [placeholder, 12345]) {
      expect((await detail(mock, session, ord)).body.message.text).toBe("抱歉，您访问的单据已被删除！")
    }
  })
})

describe("UI edits through the control handle", () => {
  it("inserts and edits as a person would, with the ERP's checks", async () => {
    const mock = makeMock()
    const customer = mock.control.insertCustomer(company("辰公司", "13200000000"))
    expect(mock.control.editCustomer(customer.ord, { intro: "手工备注" }).fields.intro).toBe("手工备注")
    expect(() => mock.control.insertCustomer(company("辰公司", ""))).toThrow("此客户名称【辰公司】已存在！")
    expect(() => mock.control.editCustomer(999, {})).toThrow("抱歉，您访问的单据已被删除！")
    expect(mock.control.writeLog().map((entry) => [entry.endpoint, entry.kind])).toEqual([
      ["ui", "customer.create"],
      ["ui", "customer.update"]
    ])
  })
})
