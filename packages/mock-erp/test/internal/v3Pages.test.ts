import { describe, expect, it } from "vitest"
import { login, makeMock, post, postJson } from "../helpers.js"

const add = "/webapi/v3/sales/customer/add"
const edit = "/webapi/v3/sales/customer/edit"
const base = {
  sort2: 1,
  name: "深圳优创电子有限公司",
  sort: "17",
  sort1: "146",
  person_name: "陈静",
  mobile: "13912340000"
}

describe("V3 customer add/edit (/webapi/v3/sales/customer)", () => {
  it("adds with the ZBAPI-Token header and a plain JSON body, answering {Code, Msg}", async () => {
    const mock = makeMock()
    const token = await login(mock)
    const answer = await postJson(
      mock,
      add,
      { ...base, ly: "网站注册", jz: "175", Date1: "2024-05-01" },
      { "ZBAPI-Token": token }
    )
    expect(answer).toEqual({ Code: 200, Msg: "添加成功" })
    const [customer] = mock.control.customers()
    // V3's sort (category) and sort1 (follow level) make V1's sort1
    expect(customer?.fields).toMatchObject({
      name: base.name,
      sort1: "17,146",
      ly: "171",
      jz: "175",
      date1: "2024-05-01",
      mobile: "13912340000"
    })
    expect(mock.control.writeLog()).toMatchObject([{ endpoint: "customer.v3add", kind: "customer.create" }])
  })

  it("edits an existing ord and assigns cateName", async () => {
    const mock = makeMock()
    const token = await login(mock)
    await postJson(mock, add, base, { "ZBAPI-Token": token })
    const ord = mock.control.customers()[0]!.ord
    const answer = await postJson(
      mock,
      edit,
      { ...base, ord, address: "深圳市科技园路8号", cateName: "李静" },
      { "ZBAPI-Token": token }
    )
    expect(answer).toEqual({ Code: 200, Msg: "修改成功" })
    expect(mock.control.customers()[0]).toMatchObject({ fields: { address: "深圳市科技园路8号" }, assignedTo: [62] })
    expect(await postJson(mock, edit, { ...base, ord: 999 }, { "ZBAPI-Token": token })).toEqual({
      Code: 300,
      Msg: "抱歉，您访问的单据已被删除！"
    })
  })

  it.each([
    [{ mobile: "1391234" }, "联系人手机格式不正确，需为11位有效手机号码！"],
    [{ mobile: "+8613912340000" }, "联系人手机格式不正确，需为11位有效手机号码！"],
    [{ sort: "" }, "客户分类不能为空！"],
    [{ sort1: undefined }, "跟进程度不能为空！"],
    [{ sort2: 3 }, "客户属性不能为空！"],
    [{ person_name: "" }, "联系人姓名不能为空！"],
    [{ ly: "电视广告" }, "客户来源【电视广告】不存在！"],
    [{ cateName: "无名氏" }, "销售人员【无名氏】不存在！"]
  ])("answers Code 300 for %o", async (patch, msg) => {
    const mock = makeMock()
    const token = await login(mock)
    expect(await postJson(mock, add, { ...base, ...patch }, { "ZBAPI-Token": token })).toEqual({ Code: 300, Msg: msg })
    expect(mock.control.customers()).toEqual([])
  })

  it("answers Code 300 with the ERP's duplicate message", async () => {
    const mock = makeMock()
    const token = await login(mock)
    await postJson(mock, add, base, { "ZBAPI-Token": token })
    expect(await postJson(mock, add, base, { "ZBAPI-Token": token })).toEqual({
      Code: 300,
      Msg: `此客户名称【${base.name}】已存在！`
    })
  })

  it("answers Code 400 without a valid token, 500 for a body that is no JSON", async () => {
    const mock = makeMock()
    expect((await postJson(mock, add, base)).Code).toBe(400)
    expect((await postJson(mock, add, base, { "ZBAPI-Token": "bogus" })).Code).toBe(400)
    const token = await login(mock)
    const response = await post(mock, add, "{not json", { "ZBAPI-Token": token })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { Code: number }).Code).toBe(500)
  })
})
