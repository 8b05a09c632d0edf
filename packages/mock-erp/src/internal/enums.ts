/** The enumerations of the user's installation (documented example ids), as `source.options` serves them. */
export interface EnumOption {
  readonly v: string
  readonly n: string
}

const options = (pairs: ReadonlyArray<readonly [string | number, string]>): ReadonlyArray<EnumOption> =>
  pairs.map(([v, n]) => ({ v: String(v), n }))

export const enums = {
  ly: options([
    [171, "网站注册"],
    [172, "朋友介绍"],
    [173, "陌生开发"],
    [174, "广告宣传"],
    [977, "VIP"]
  ]),
  jz: options([
    [175, "很高"],
    [289, "较高"],
    [176, "一般"],
    [177, "较低"],
    [290, "很低"]
  ]),
  trade: options([
    [137, "银行"],
    [139, "印刷"],
    [966, "防水头"],
    [967, "交流接触器"],
    [968, "电表"]
  ]),
  followMethod: options([
    [481, "电话"],
    [482, "邮件"],
    [483, "上门"],
    [484, "其他"]
  ]),
  followTemplate: options([
    [106, "谈的很好，让发合同。"],
    [107, "电话无人接听。"],
    [108, "现在还没考虑。"],
    [109, "今天谈的不错，让明天面谈。"],
    [120, "正在考虑中。"]
  ]),
  plantype: options([
    [0, "不生成"],
    [1, "待完成日程"],
    [2, "已完成日程"]
  ]),
  remind: options([
    [0, "提醒"],
    [1, "不提醒"]
  ]),
  jf2: options([
    [1, "积分"],
    [0, "不积分"]
  ]),
  sex: options([
    ["男", "男"],
    ["女", "女"]
  ]),
  bz: options([[14, "人民币"]]),
  fkdate: options(Array.from({ length: 31 }, (_, i) => [i + 1, String(i + 1)] as const)),
  member1: options([
    [1, "对所有用户公开"],
    [0, "指派给以下用户"]
  ]),
  // 客户分类 is a tree in the ERP; `sort1` carries "category,follow level" (e.g. "17,146")
  category: options([
    [16, "潜在客户"],
    [17, "意向客户"],
    [18, "成交客户"],
    [19, "流失客户"]
  ]),
  followLevel: options([
    [146, "初步接触"],
    [147, "需求确认"],
    [148, "方案报价"],
    [149, "谈判签约"]
  ])
} as const

export type EnumName = keyof typeof enums

/** An installation's enumerations: the defaults above, or its own where a profile recorded them. */
export type Enums = { readonly [K in EnumName]: ReadonlyArray<EnumOption> }

/** The enumerations an installation may have its own of: what `source.asp?enumid=N` serves (11, 13, 14, 98). */
export type InstallationEnum = "trade" | "ly" | "jz" | "followMethod"

/** `source.asp?enumid=N` serves these. */
export const enumIds: Readonly<Record<string, EnumName>> = {
  "11": "trade",
  "13": "ly",
  "14": "jz",
  "98": "followMethod"
}

export const optionName = (name: EnumName, value: string, table: Enums = enums): string =>
  table[name].find((option) => option.v === value)?.n ?? ""
