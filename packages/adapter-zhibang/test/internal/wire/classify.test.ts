import { describe, expect, it } from "@effect/vitest"
import { classifyEnvelope, classifySave, classifySaveText } from "../../../src/internal/wire/classify.js"

const sessionMessages = [
  "非法访问，未登录系统。",
  "会话非法",
  "会话超时，请您重新登录。",
  "会话异常，请您重新登录。",
  "您的账号已在其它移动设备上登录，请您重新登录。",
  "您的账号已在电脑上登录，请您重新登录。",
  "您的账号已在其它设备上登录，请您重新登录。",
  "您的账号已经下线退出。",
  "会话已失效,UniqueLogin队列中无记录。"
]

describe("classifyEnvelope (spec §2)", () => {
  it('lets status 0, "0" or a missing status through', () => {
    for (const status of [0, "0", undefined]) {
      expect(
        classifyEnvelope({
          header: { status: status === undefined ? undefined : String(status) },
          body: { model: "bill" }
        })._tag
      ).toBe("Ok")
    }
  })

  it.each(sessionMessages)("reads '%s' as a lost session, whatever the non-zero status", (message) => {
    expect(classifyEnvelope({ header: { status: "1", message } })._tag).toBe("SessionLost")
    expect(classifyEnvelope({ header: { status: "2", message } })._tag).toBe("SessionLost")
  })

  it("reads a frozen user as fatal, not as a session to renew", () => {
    expect(classifyEnvelope({ header: { status: "1", message: "用户被冻结。" } })._tag).toBe("Fatal")
  })

  it('reads the crash envelope (status "11") as a failure on the ERP\'s side', () => {
    expect(
      classifyEnvelope({ header: { status: "11", message: "服务程序发生错误:对象关闭时，不允许操作。" } })._tag
    ).toBe("Failed")
  })

  it("reads any other failure status as a failure, with its text", () => {
    expect(classifyEnvelope({ header: { status: "5", message: "奇怪" } })).toMatchObject({
      _tag: "Failed",
      text: "奇怪"
    })
  })
})

describe("classifySaveText (spec §2: status 0 either way, the text tells)", () => {
  it("reads success", () => {
    expect(classifySaveText("保存成功")._tag).toBe("Ok")
    expect(classifySaveText("添加成功！")._tag).toBe("Ok")
    expect(classifySaveText("保存不成功")._tag).not.toBe("Ok")
  })

  it("reads a duplicate and names the field, even with the help pages' inner spaces", () => {
    expect(classifySaveText("此客户名称【某公司】已存在！")).toMatchObject({
      _tag: "Rejected",
      reason: "duplicate",
      field: "name"
    })
    expect(classifySaveText("此手机【13800138000】已存在！")).toMatchObject({ reason: "duplicate", field: "mobile" })
    expect(classifySaveText("此手 机【13800138000】已存在！")).toMatchObject({ reason: "duplicate", field: "mobile" })
    expect(classifySaveText("此微 信【wx】已存在！")).toMatchObject({ reason: "duplicate", field: "weixinAcc" })
  })

  it("names a field by the captions learned from the installation's bills, else by the caption itself", () => {
    const learned = new Map([["税号1", "bank_4"]])
    expect(classifySaveText("此税号1【X】已存在！", learned)).toMatchObject({ field: "bank_4" })
    expect(classifySaveText("此开户行【X】已存在！")).toMatchObject({ field: "开户行" })
  })

  it("reads required, too long, invalid, protected and deleted", () => {
    expect(classifySaveText("客户名称不能为空！")).toMatchObject({ reason: "required", field: "name" })
    expect(classifySaveText("客户分类不能为空！")).toMatchObject({ reason: "required", field: "sort1" })
    expect(classifySaveText("客户名称不能超过100个字！")).toMatchObject({ reason: "tooLong", field: "name" })
    expect(classifySaveText("客户地址长度超过200")).toMatchObject({ reason: "tooLong", field: "address" })
    expect(classifySaveText("客户来源的值【999】无效！")).toMatchObject({ reason: "invalid", field: "ly" })
    expect(classifySaveText("添加时间不是有效的日期！")).toMatchObject({ reason: "invalid", field: "date1" })
    expect(classifySaveText("客户名称【某公司】已被保护！")).toMatchObject({ reason: "protected" })
    expect(classifySaveText("抱歉，您访问的单据已被删除！")).toMatchObject({ reason: "deleted" })
    expect(classifySaveText("客户来源【999】不存在！")).toMatchObject({ reason: "invalid", field: "ly" })
    expect(classifySaveText("联系人手机格式不正确，需为11位有效手机号码！")).toMatchObject({
      reason: "invalid",
      field: "mobile"
    })
  })

  it("reads a server exception as a failure, a session text as a lost session, a permission text as fatal", () => {
    expect(classifySaveText("服务器异常: 【超时】")._tag).toBe("Failed")
    expect(classifySaveText("会话超时，请您重新登录。")._tag).toBe("SessionLost")
    expect(classifySaveText("您没有权限添加客户")._tag).toBe("Fatal")
  })

  it("calls an unknown or empty text unclear: the caller must look before assuming either", () => {
    expect(classifySaveText("操作完毕")._tag).toBe("Unclear")
    expect(classifySaveText("")._tag).toBe("Unclear")
  })
})

describe("classifySave", () => {
  it("calls a save answered with another model unclear", () => {
    expect(classifySave({ model: "bill" })._tag).toBe("Unclear")
    expect(classifySave({ model: "message", message: { text: "保存成功" } })._tag).toBe("Ok")
  })
})
