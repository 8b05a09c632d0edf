import { describe, expect, it } from "vitest"
import { company, createCustomer, type Json, login, makeMock, v1 } from "../helpers.js"

const orderPage = "/sysa/mobilephone/systemmanage/order.asp?datatype=tel"
const replyPage = "/sysa/mobilephone/systemmanage/reply.asp?datatype=tel"
const custom = "/sysa/mobilephone/salesmanage/custom"

const setup = async (options = {}) => {
  const mock = makeMock(options)
  const session = await login(mock)
  const { ord } = await createCustomer(mock, session, company("申公司", "13900000000"))
  const text = async (path: string, cmdkey: string, fields: Record<string, string | number>) =>
    ((await v1(mock, path, session, cmdkey, fields)) as Json).body.message.text as string
  return { mock, session, ord, text }
}

describe("assign (order.asp?datatype=tel)", () => {
  it("assigns to salespeople (member1 0) or opens to the public pool (member1 1)", async () => {
    const { mock, ord, text } = await setup()
    expect(await text(orderPage, "__sys_dosave", { ord, member1: 0, member2: "61,63" })).toBe("保存成功")
    expect(mock.control.customers()[0]).toMatchObject({ assignedTo: [61, 63], pool: false })
    expect(await text(orderPage, "__sys_dosave", { ord, member1: 1 })).toBe("保存成功")
    expect(mock.control.customers()[0]).toMatchObject({ assignedTo: [], pool: true })
    expect(mock.control.assignments()).toMatchObject([
      { ord, member1: 0, member2: [61, 63] },
      { ord, member1: 1, member2: [] }
    ])
    expect(mock.control.writeLog().filter((e) => e.kind === "assign").length).toBe(2)
  })

  it("validates member1, member2 and the customer", async () => {
    const { ord, text } = await setup()
    expect(await text(orderPage, "__sys_dosave", { ord })).toBe("指派方式不能为空！")
    expect(await text(orderPage, "__sys_dosave", { ord, member1: 2 })).toBe("指派方式的值【2】无效！")
    expect(await text(orderPage, "__sys_dosave", { ord, member1: 0 })).toBe("指派用户不能为空！")
    expect(await text(orderPage, "__sys_dosave", { ord, member1: 0, member2: "61,x" })).toBe("指派用户的值【x】无效！")
    expect(await text(orderPage, "__sys_dosave", { ord: 999, member1: 1 })).toBe("抱歉，您访问的单据已被删除！")
  })

  it("answers its form without a command", async () => {
    const { mock, session, ord } = await setup()
    expect((await v1(mock, orderPage, session, "", { ord })).body.model).toBe("bill")
  })
})

describe("follow-up (reply.asp?datatype=tel)", () => {
  it("records a template or free text", async () => {
    const { mock, ord, text } = await setup()
    expect(await text(replyPage, "__sys_dosave", { ord, intro: 106, sort: 481, plantype: 0 })).toBe("保存成功")
    expect(
      await text(replyPage, "__sys_dosave", { ord, intro: "客户说下周再联系", sort: 484, plantype: 0, c1: "ignored" })
    ).toBe("保存成功")
    expect(mock.control.followUps()).toMatchObject([
      { ord, template: 106, text: "谈的很好，让发合同。", user: "admin" },
      { ord, template: null, text: "客户说下周再联系" }
    ])
    expect(mock.control.followUps()[1]?.fields).not.toHaveProperty("c1")
  })

  it("validates intro, sort, plantype, and the schedule fields only when a schedule is made", async () => {
    const { ord, text } = await setup()
    expect(await text(replyPage, "__sys_dosave", { ord, sort: 481, plantype: 0 })).toBe("选择模板不能为空！")
    expect(await text(replyPage, "__sys_dosave", { ord, intro: 107, sort: 480, plantype: 0 })).toBe(
      "跟进方式的值【480】无效！"
    )
    expect(await text(replyPage, "__sys_dosave", { ord, intro: 107, sort: 481 })).toBe("日程类型不能为空！")
    expect(await text(replyPage, "__sys_dosave", { ord, intro: 107, sort: 481, plantype: 1 })).toBe(
      "是否提醒不能为空！"
    )
    expect(await text(replyPage, "__sys_dosave", { ord, intro: 107, sort: 481, plantype: 1, "@remind": 0 })).toBe(
      "开始时间不能为空！"
    )
    const schedule = { "@ret_0": "2025-01-07 09:00", "@ret_1": "2025-01-07 10:00", "@title1": "回访", "@remind": 1 }
    expect(await text(replyPage, "__sys_dosave", { ord, intro: 107, sort: 481, plantype: 1, ...schedule })).toBe(
      "保存成功"
    )
    expect(await text(replyPage, "__sys_dosave", { ord, intro: "长".repeat(1001), sort: 481, plantype: 0 })).toBe(
      "选择模板不能超过1000个字！"
    )
  })
})

describe("pool operations", () => {
  it("takeback to the pool, apply, approve (blset 1) gives it to the applicant", async () => {
    const { mock, ord, text } = await setup()
    expect(await text(`${custom}/apply.asp`, "", { ord })).toBe("该客户不在客户池中，不能申请！")
    expect(await text(`${custom}/takeback.asp`, "", { ord })).toBe("收回成功")
    expect(await text(`${custom}/apply.asp`, "", { ord })).toBe("申请成功，请等待审批！")
    expect(await text(`${custom}/apply.asp`, "", { ord })).toBe("该客户已被申请，请等待审批！")
    expect(mock.control.customers()[0]).toMatchObject({ pool: true, pendingApply: "admin" })
    expect(await text(`${custom}/approve.asp?__msgid=onsave`, "onsave", { ord, blset: "" })).toBe("审批结果不能为空！")
    expect(await text(`${custom}/approve.asp?__msgid=onsave`, "onsave", { ord, blset: 1 })).toBe("审批成功")
    expect(mock.control.customers()[0]).toMatchObject({ pool: false, pendingApply: null, assignedTo: [1] })
    expect(await text(`${custom}/approve.asp?__msgid=onsave`, "onsave", { ord, blset: 1 })).toBe(
      "该客户没有待审批的申请！"
    )
    expect(
      mock.control
        .writeLog()
        .slice(-3)
        .map((e) => e.kind)
    ).toEqual(["pool.takeback", "pool.apply", "pool.approve"])
  })

  it("approve with blset 0 rejects the application", async () => {
    const { mock, ord, text } = await setup()
    await text(`${custom}/takeback.asp`, "", { ord })
    await text(`${custom}/apply.asp`, "", { ord })
    expect(await text(`${custom}/approve.asp?__msgid=onsave`, "onsave", { ord, blset: 0 })).toBe("审批成功")
    expect(mock.control.customers()[0]).toMatchObject({ pool: true, pendingApply: null })
    expect(mock.control.writeLog().at(-1)?.kind).toBe("pool.reject")
  })

  it("protect (profect) blocks other users' edits until unprofect", async () => {
    const { mock, ord, text } = await setup({
      users: [
        { user: "admin", password: "admin123" },
        { user: "other", password: "x" }
      ]
    })
    expect(await text(`${custom}/add.asp?__msgid=profect`, "profect", { ord })).toBe("保护成功")
    const other = await login(mock, "other", "x")
    const edit = await v1(mock, `${custom}/add.asp`, other, "__sys_dosave", { ord, intro: "改" })
    expect(edit.body.message.text).toBe("客户名称【申公司】已被保护！")
    const unprotect = await v1(mock, `${custom}/add.asp`, other, "unprofect", { ord })
    expect(unprotect.body.message.text).toBe("客户名称【申公司】已被保护！")
    expect(await text(`${custom}/add.asp`, "unprofect", { ord })).toBe("取消保护成功")
    expect(mock.control.customers()[0]?.protectedBy).toBeNull()
  })

  it("answers the deleted message for an unknown customer", async () => {
    const { text } = await setup()
    expect(await text(`${custom}/takeback.asp`, "", { ord: 4242 })).toBe("抱歉，您访问的单据已被删除！")
  })
})

describe("enumerations (source.asp?enumid=N)", () => {
  it.each([
    [13, { v: "171", n: "网站注册" }],
    [14, { v: "175", n: "很高" }],
    [11, { v: "139", n: "印刷" }],
    [98, { v: "484", n: "其他" }]
  ])("serves enumid %i", async (enumid, option) => {
    const { mock, session } = await setup()
    const answer = await v1(mock, `/sysa/mobilephone/source.asp?enumid=${enumid}`, session, "")
    expect(answer.body).toMatchObject({ model: "source", action: "options", source: { type: "options" } })
    expect(answer.body.source.options).toContainEqual(option)
  })

  it("serves no options for an unknown enumid", async () => {
    const { mock, session } = await setup()
    expect((await v1(mock, "/sysa/mobilephone/source.asp?enumid=5", session, "")).body.source.options).toEqual([])
  })
})
