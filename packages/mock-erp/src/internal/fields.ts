import type { EnumName } from "./enums.js"

/**
 * The fields of the pages the mock implements, with the captions, limits and enumerations of the vendor's help
 * pages. Captions appear in validation messages (`客户名称不能为空！`), so they are the ERP's own.
 */
export type FieldType = "text" | "int" | "decimal" | "datetime"

/** Where a customer page shows a field; "contact" fields are stored on the customer's main contact. */
export type FieldGroup = "base" | "contact" | "more"

export interface FieldDef {
  readonly id: string
  readonly caption: string
  readonly type: FieldType
  /** Maximum length in characters. */
  readonly max?: number
  readonly options?: EnumName
  readonly group: FieldGroup
}

type Spec = readonly [id: string, caption: string, type: FieldType, max?: number, options?: EnumName]

const section = (group: FieldGroup, specs: ReadonlyArray<Spec>): ReadonlyArray<FieldDef> =>
  specs.map(([id, caption, type, max, options]) => ({
    id,
    caption,
    type,
    group,
    ...(max === undefined ? {} : { max }),
    ...(options === undefined ? {} : { options })
  }))

const t = (id: string, caption: string, max: number): Spec => [id, caption, "text", max]
const i = (id: string, caption: string, options?: EnumName): Spec => [id, caption, "int", undefined, options]
const d = (id: string, caption: string): Spec => [id, caption, "datetime"]
const n = (id: string, caption: string): Spec => [id, caption, "decimal"]

const customerHead: ReadonlyArray<Spec> = [
  t("name", "客户名称", 100),
  t("pym", "拼音码", 200),
  t("khid", "客户编号", 50),
  t("sort1", "客户分类", 50),
  i("ly", "客户来源", "ly"),
  i("jf2", "是否积分", "jf2"),
  t("area", "客户区域", 50),
  i("trade", "客户行业", "trade"),
  i("jz", "价值评估", "jz"),
  t("credit", "信用等级", 50),
  t("url", "客户网址", 100),
  ["bz", "客户币种", "text", 50, "bz"],
  n("hk_xz", "到款限制"),
  t("address", "客户地址", 200),
  t("lng", "经度", 50),
  t("lat", "纬度", 50),
  t("zip", "邮编", 10)
]

const contactCore: ReadonlyArray<Spec> = [
  ["sex", "性别", "text", 50, "sex"],
  i("age", "年龄"),
  d("year1", "生日"),
  t("part1", "部门", 50),
  t("job", "职务", 50)
]
const contactReach: ReadonlyArray<Spec> = [
  t("fax", "传真", 50),
  t("mobile", "手机", 50),
  t("phone2", "家庭电话", 50),
  t("email", "电子邮件", 50),
  t("qq", "QQ", 20),
  t("weixinAcc", "微信", 50),
  t("XiQueIntro", "喜鹊声声", 50),
  t("msn", "MSN", 50),
  t("jg", "籍贯", 50)
]

const notes: ReadonlyArray<Spec> = [
  t("product", "客户简介", 4000),
  t("c2", "合作现状", 4000),
  t("c3", "合作前景", 4000),
  t("c4", "跟进策略", 4000),
  t("intro", "备注", 4000)
]

const bank: ReadonlyArray<Spec> = [1, 2].flatMap((k) => {
  const prefix = k === 1 ? "bank_" : "bank2_"
  return [
    t(`${prefix}1`, `开户银行${k}`, 50),
    t(`${prefix}2`, `开户名称${k}`, 50),
    t(`${prefix}7`, `银行行号${k}`, 50),
    t(`${prefix}3`, `银行账号${k}`, 50),
    t(`${prefix}4`, `税号${k}`, 50),
    t(`${prefix}5`, `地址${k}`, 50),
    t(`${prefix}6`, `电话${k}`, 50)
  ]
})

/** 单位客户 (intsort=1): 61 fields with `ord`. The office phone belongs to the customer, not to its contact. */
export const companyFields: ReadonlyArray<FieldDef> = [
  ...section("base", [
    ...customerHead,
    t("faren", "法人代表", 50),
    n("zijin", "注册资本"),
    i("pernum1", "人员数量-销售"),
    i("pernum2", "人员数量-技术"),
    d("date1", "添加时间"),
    t("phone", "办公电话", 50)
  ]),
  ...section("contact", [
    t("person_name", "联系人姓名", 50),
    t("@personpym", "拼音码", 50),
    ...contactCore,
    ...contactReach
  ]),
  ...section("more", [...notes, ...bank, i("fkdays", "账期"), i("fkdate", "结算日期", "fkdate")])
]

/** 个人客户 (intsort=2): 40 fields with `ord`; the customer is its own main contact. */
export const personFields: ReadonlyArray<FieldDef> = [
  ...section("base", [...customerHead, d("date1", "添加时间"), t("phone", "办公电话", 50), t("faren", "所在单位", 50)]),
  ...section("contact", [...contactCore, ...contactReach]),
  ...section("more", notes)
]

export const customerFields = (intsort: 1 | 2) => (intsort === 1 ? companyFields : personFields)

/** 联系人 (person/add.asp). */
export const contactFields: ReadonlyArray<FieldDef> = section("base", [
  i("company", "关联客户"),
  t("person_name", "联系人姓名", 50),
  t("pym", "拼音码", 50),
  ...contactCore,
  t("phone", "办公电话", 50),
  ...contactReach.slice(0, 2),
  t("mobile2", "手机2", 50),
  ...contactReach.slice(2),
  t("zip", "邮编", 10),
  t("joy", "爱好特长", 3000),
  t("intro", "备注", 5000)
])

/** The customer-page field ids that name a different field on the contact record. */
export const contactFieldId = (customerFieldId: string): string =>
  customerFieldId === "@personpym" ? "pym" : customerFieldId

/** 洽谈进展 (reply.asp?datatype=tel). `intro` is a template id or free text. */
export const followUpFields: ReadonlyArray<FieldDef> = section("base", [
  t("intro", "选择模板", 1000),
  t("files", "添加附件", 50),
  i("sort", "跟进方式", "followMethod"),
  i("lead", "关联联系人"),
  i("plantype", "日程类型", "plantype"),
  d("@ret2_0", "开始时间"),
  d("@ret2_1", "结束时间"),
  t("@title2", "日程内容", 1000),
  t("@intro2", "完成情况", 1000),
  t("@cateid", "执行人员", 4000),
  i("@remind", "是否提醒", "remind"),
  d("@ret_0", "开始时间"),
  d("@ret_1", "结束时间"),
  t("@title1", "日程内容", 1000)
])

/** 客户指派 (order.asp?datatype=tel). */
export const assignFields: ReadonlyArray<FieldDef> = section("base", [
  i("member1", "指派方式", "member1"),
  t("member2", "指派用户", 50)
])
