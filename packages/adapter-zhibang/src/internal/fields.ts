/** What the sync knows of the ERP's fields: their limits (spec §4.2, §4.5–4.7) and their captions. */

/** Character limits per page, as the vendor's help pages give them. */
export const Limits = {
  customer: {
    name: 100,
    khid: 50,
    sort1: 50,
    address: 200,
    person_name: 50,
    mobile: 50,
    phone: 50,
    email: 50,
    weixinAcc: 50,
    url: 100,
    product: 4000,
    intro: 4000
  },
  contact: { person_name: 50, mobile: 50, mobile2: 50, email: 50, weixinAcc: 50, intro: 5000 },
  followUp: { intro: 1000 },
  assign: { member2: 50 }
} as const satisfies Record<string, Record<string, number>>

export type LimitedPage = keyof typeof Limits

/** The ERP counts characters, one per code point (a Chinese character is one). */
export const charLength = (text: string): number => [...text].length

export interface OverLimit {
  readonly field: string
  readonly limit: number
  readonly length: number
}

/** The first field whose value is longer than its page allows. */
export const overLimit = (page: LimitedPage, fields: Readonly<Record<string, unknown>>): OverLimit | undefined => {
  const limits: Readonly<Record<string, number>> = Limits[page]
  for (const [field, limit] of Object.entries(limits)) {
    const value = fields[field]
    if (typeof value !== "string") continue
    const length = charLength(value)
    if (length > limit) return { field, limit, length }
  }
  return undefined
}

/** Cuts a value to its page's limit (only for fields the configuration names as truncatable). */
export const truncate = (page: LimitedPage, field: string, value: string): string => {
  const limit = (Limits[page] as Readonly<Record<string, number>>)[field]
  return limit === undefined ? value : [...value].slice(0, limit).join("")
}

/**
 * The captions the ERP puts in its messages (`此手机【X】已存在！`, `客户名称不能为空！`), by field id. The help pages
 * write some with inner spaces (`手 机`), so captions are compared without whitespace.
 */
const captions: ReadonlyArray<readonly [string, string]> = [
  ["客户名称", "name"],
  ["客户编号", "khid"],
  ["客户分类", "sort1"],
  ["客户来源", "ly"],
  ["价值评估", "jz"],
  ["客户地址", "address"],
  ["客户网址", "url"],
  ["联系人姓名", "person_name"],
  ["联系人", "person_name"],
  ["姓名", "person_name"],
  ["手机", "mobile"],
  ["手机号码", "mobile"],
  ["联系人手机", "mobile"],
  ["办公电话", "phone"],
  ["电子邮件", "email"],
  ["微信", "weixinAcc"],
  ["客户简介", "product"],
  ["备注", "intro"],
  ["添加时间", "date1"],
  ["洽谈内容", "intro"],
  ["跟进方式", "sort"],
  ["所属客户", "company"]
]

export const captionKey = (caption: string): string => caption.replace(/\s+/g, "")

const byCaption = new Map(captions.map(([caption, id]) => [captionKey(caption), id]))

/** The field id a caption names; `learned` holds captions read from the installation's own bills. */
export const fieldOfCaption = (caption: string, learned: ReadonlyMap<string, string> = new Map()): string | undefined =>
  learned.get(captionKey(caption)) ?? byCaption.get(captionKey(caption))
