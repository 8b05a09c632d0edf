import { describe, expect, it } from "vitest"
import { company, createCustomer, type Json, login, makeMock, v1 } from "../helpers.js"

const addPage = "/sysa/mobilephone/salesmanage/person/add.asp"
const listPage = "/sysa/mobilephone/salesmanage/person/list.asp"

const setup = async () => {
  const mock = makeMock()
  const session = await login(mock)
  const { ord } = await createCustomer(mock, session, company("未公司", "13000000000"))
  return { mock, session, ord }
}

describe("contacts (person/add.asp, person/list.asp)", () => {
  it("saves a new contact, edits it, and shows its detail", async () => {
    const { mock, session, ord } = await setup()
    const saved = await v1(mock, addPage, session, "__sys_dosave", {
      company: ord,
      person_name: "周七",
      mobile: "13000000001",
      weixinAcc: "wx_zhou"
    })
    expect(saved.body.message.text).toBe("保存成功")
    const contact = mock.control.contacts().find((c) => !c.main)!
    expect(contact).toMatchObject({ company: ord, fields: { person_name: "周七", weixinAcc: "wx_zhou" } })
    expect(
      (await v1(mock, addPage, session, "__sys_dosave", { ord: contact.ord, job: "经理" })).body.message.text
    ).toBe("保存成功")
    const detail = await v1(mock, `${addPage}?edit=1`, session, "", { ord: contact.ord })
    const fields = detail.body.bill.groups[0].fields
    expect(fields.find((f: Json) => f.id === "job").value).toBe("经理")
    expect(fields.find((f: Json) => f.id === "company")).toMatchObject({ value: String(ord), text: "未公司" })
    expect(
      mock.control
        .writeLog()
        .slice(-2)
        .map((e) => e.kind)
    ).toEqual(["contact.create", "contact.update"])
  })

  it("validates: company and person_name required, the customer must exist, lengths, duplicates", async () => {
    const { mock, session, ord } = await setup()
    const text = async (fields: Record<string, string | number>) =>
      (await v1(mock, addPage, session, "__sys_dosave", fields)).body.message.text
    expect(await text({ person_name: "吴八" })).toBe("关联客户不能为空！")
    expect(await text({ company: ord })).toBe("联系人姓名不能为空！")
    expect(await text({ company: 999, person_name: "吴八" })).toBe("抱歉，您访问的单据已被删除！")
    expect(await text({ company: ord, person_name: "吴八", intro: "x".repeat(5001) })).toBe("备注不能超过5000个字！")
    expect(await text({ company: ord, person_name: "吴八", mobile2: "13000000000" })).toBe(
      "此手机【13000000000】已存在！"
    )
    expect(await text({ ord: 999, person_name: "吴八" })).toBe("抱歉，您访问的单据已被删除！")
  })

  it("answers the empty form without a command", async () => {
    const { mock, session } = await setup()
    const answer = await v1(mock, addPage, session, "")
    expect(answer.body).toMatchObject({ model: "bill", bill: { value: 0 } })
  })

  it("lists contacts with filters (company, person_name, mobile) and a skeleton without refresh", async () => {
    const { mock, session, ord } = await setup()
    await v1(mock, addPage, session, "__sys_dosave", { company: ord, person_name: "郑九", mobile: "13000000009" })
    const all = await v1(mock, listPage, session, "refresh", { company: ord })
    expect(all.body.source.table.page.recordcount).toBe(2)
    const cols = all.body.source.table.cols.map((c: Json) => c.id)
    const byMobile = await v1(mock, listPage, session, "refresh", { mobile: "0009" })
    const row = byMobile.body.source.table.rows[0]
    expect(row[cols.indexOf("person_name")]).toBe("郑九")
    expect(row[cols.indexOf("name")]).toBe("未公司")
    expect((await v1(mock, listPage, session, "refresh", { person_name: "张" })).body.source.table.rows.length).toBe(1)
    expect((await v1(mock, listPage, session, "")).body.model).toBe("report")
  })
})
