/**
 * What people do to the two systems between runs: the hub's staff (through the hub's own app, i.e. its SQLite file)
 * and the ERP's users (through the ERP's screens: the mock's `insertCustomer` / `editCustomer`, with the ERP's own
 * checks). Values come from small pools so that histories collide on names, mobiles and WeChat ids.
 */
import { formatHubTimestamp, makeHubTimeZone } from "@tongbu/adapter-wechat-hub"
import { Option } from "effect"
import { mask } from "./invariants.js"
import type { World } from "./world.js"

const zone = Option.getOrThrow(makeHubTimeZone("Asia/Shanghai"))

export const companyNames = [
  "杭州恒达科技有限公司",
  "上海博远贸易有限公司",
  "深圳启明电子有限公司",
  "苏州华信印刷有限公司"
]
export const personNames = ["王晓明", "李静怡", "张伟华", "王老板"]
export const mobiles = ["13800138001", "13911139002", "15012150003", "18600186004"]
export const wechatIds = ["wxid_sys_a", "wxid_sys_b", "wxid_sys_c"]
export const emails = ["sales@hengda.cn", "info@boyuan.cn"]
export const addresses = ["杭州市人民路1号", "上海市中山路88号"]
export const summaries = [
  "客户说很好，准备签约",
  "电话无人接听",
  "客户还没考虑好，再等等",
  "约了下周面谈",
  "考虑中，研究一下方案"
]
/** ERP enum values (价值评估, 客户来源) and categories, as the ERP's screens offer them. */
export const jzValues = ["175", "289", "176", "177", "290"]
export const lyValues = ["171", "172", "977"]
export const sort1Values = ["17,146", "18,147", "16,149"]

/** How a mobile is typed: as is, with spaces, or with +86 and dashes. */
export type MobileFormat = "plain" | "spaced" | "plus86"

/** A mobile: from the pool, copied from a hub or ERP customer (a collision on purpose), not a mobile, or none. */
export type MobileValue =
  | { readonly _tag: "Pool"; readonly n: number; readonly format: MobileFormat }
  | { readonly _tag: "HubCopy"; readonly index: number }
  | { readonly _tag: "ErpCopy"; readonly index: number }
  | { readonly _tag: "Landline" }
  | { readonly _tag: "None" }

/** A WeChat id: from the pool, another hub customer's (the hub keeps them unique), or none. */
export type WechatValue =
  | { readonly _tag: "Pool"; readonly n: number }
  | { readonly _tag: "HubCopy"; readonly index: number }
  | { readonly _tag: "None" }

const formatted = (mobile: string, format: MobileFormat): string =>
  format === "plain"
    ? mobile
    : format === "spaced"
      ? `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`
      : `+86 ${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}`

const at = <A>(list: ReadonlyArray<A>, index: number): A | undefined =>
  list.length === 0 ? undefined : list[index % list.length]

export const showMobile = (value: MobileValue): string => {
  switch (value._tag) {
    case "Pool":
      return `${mask(mobiles[value.n % mobiles.length]!)}${value.format === "plain" ? "" : ` (${value.format})`}`
    case "HubCopy":
      return `the mobile of hub customer #${value.index}`
    case "ErpCopy":
      return `the mobile of ERP customer or contact #${value.index}`
    case "Landline":
      return "a landline (0571-8888 1234)"
    case "None":
      return "nothing"
  }
}

export const showWechat = (value: WechatValue): string =>
  value._tag === "Pool"
    ? wechatIds[value.n % wechatIds.length]!
    : value._tag === "HubCopy"
      ? `the WeChat id of hub customer #${value.index}`
      : "nothing"

/** What a person's action did, in words, and whether it changed anything. */
export interface Did {
  readonly changed: boolean
  readonly text: string
  /** The ERP customer a person's ERP edit changed, and its field. */
  readonly erpEdit?: { readonly ord: number; readonly field: string }
}

const did = (changed: boolean, text: string): Did => ({ changed, text })

const refused = (error: unknown) => (error instanceof Error ? error.message : String(error))

// ── the hub ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const hubIds = (world: World): Array<number> =>
  world.hub.prepare("SELECT id FROM customers_unified ORDER BY id").pluck().all() as Array<number>

/** Resolves a mobile the way a person would type it; null for "none". */
export const mobileText = (world: World, value: MobileValue): string | null => {
  switch (value._tag) {
    case "Pool":
      return formatted(mobiles[value.n % mobiles.length]!, value.format)
    case "HubCopy": {
      const id = at(hubIds(world), value.index)
      return id === undefined
        ? null
        : ((world.hub.prepare("SELECT phone FROM customers_unified WHERE id = ?").pluck().get(id) as string | null) ??
            null)
    }
    case "ErpCopy": {
      const all = [
        ...world.mock.control.customers().map((c) => c.fields.mobile),
        ...world.mock.control.contacts().map((c) => c.fields.mobile)
      ]
      return (
        at(
          all.filter((m): m is string => m !== undefined && m !== ""),
          value.index
        ) ?? null
      )
    }
    case "Landline":
      return "0571-8888 1234"
    case "None":
      return null
  }
}

export const wechatText = (world: World, value: WechatValue): string | null => {
  switch (value._tag) {
    case "Pool":
      return wechatIds[value.n % wechatIds.length]!
    case "HubCopy": {
      const id = at(hubIds(world), value.index)
      return id === undefined
        ? null
        : ((world.hub.prepare("SELECT wechat_id FROM customers_unified WHERE id = ?").pluck().get(id) as
            | string
            | null) ?? null)
    }
    case "None":
      return null
  }
}

export type HubChange =
  | { readonly field: "name"; readonly value: string }
  | { readonly field: "phone"; readonly value: MobileValue }
  | { readonly field: "wechat_id"; readonly value: WechatValue }
  | { readonly field: "email" | "address"; readonly value: string | null }
  | { readonly field: "phone_verified" | "marked_as_invalid"; readonly value: boolean }
  | { readonly field: "intent_score"; readonly value: number }

export const showHubChange = (change: HubChange): string => {
  switch (change.field) {
    case "phone":
      return `phone → ${showMobile(change.value)}`
    case "wechat_id":
      return `WeChat id → ${showWechat(change.value)}`
    case "phone_verified":
      return change.value ? "phone verified" : "phone no longer verified"
    case "marked_as_invalid":
      return change.value ? "marked invalid" : "no longer marked invalid"
    default:
      return `${change.field} → ${change.value === null ? "nothing" : change.value}`
  }
}

/** What the hub's app does when a person saves the customer: the column, its provenance, the row's stamps. */
export const editHub = async (world: World, index: number, change: HubChange): Promise<Did> => {
  const id = at(hubIds(world), index)
  if (id === undefined) return did(false, "no hub customer to edit")
  const stamp = formatHubTimestamp(await world.now(), zone)
  const type = world.hub.prepare("SELECT erp_customer_type FROM customers_unified WHERE id = ?").pluck().get(id)
  const [column, value] = ((): readonly [string, string | number | null] => {
    switch (change.field) {
      case "name":
        return [type === 2 ? "real_name" : "company_name", change.value]
      case "phone":
        return ["phone", mobileText(world, change.value)]
      case "wechat_id":
        return ["wechat_id", wechatText(world, change.value)]
      case "phone_verified":
      case "marked_as_invalid":
        return [change.field, change.value ? 1 : 0]
      case "intent_score":
        return [change.field, change.value]
      case "email":
      case "address":
        return [change.field, change.value]
    }
  })()
  const provenance = ["company_name", "real_name", "phone", "email", "address"].includes(column)
    ? `, ${column}_source = 'manual'`
    : ""
  try {
    world.hub
      .prepare(
        `UPDATE customers_unified SET ${column} = ?, updated_at = ?, updated_by = 'staff'${provenance} WHERE id = ?`
      )
      .run(value, stamp, id)
    return did(
      true,
      `hub customer ${id}: ${column} = ${column === "phone" && typeof value === "string" ? mask(value) : JSON.stringify(value)}`
    )
  } catch (error) {
    return did(false, `hub customer ${id}: the hub refused ${column} (${refused(error)})`)
  }
}

/** Contacts the hub has no customer for yet, by WeChat id. */
const prospects = (world: World): Array<string> =>
  world.hub
    .prepare(
      "SELECT wx_id FROM contacts c WHERE NOT EXISTS (SELECT 1 FROM customers_unified cu WHERE cu.wechat_id = c.wx_id) ORDER BY wx_id"
    )
    .pluck()
    .all() as Array<string>

/** The hub promotes a WeChat contact to a customer (its intake makes it a pending customer row). */
export const promoteContact = async (world: World, index: number): Promise<Did> => {
  const wxId = at(prospects(world), index)
  if (wxId === undefined) return did(false, "no WeChat contact left to promote")
  const stamp = formatHubTimestamp(await world.now(), zone)
  world.hub.prepare("UPDATE contacts SET type = 'customer', updated_at = ? WHERE wx_id = ?").run(stamp, wxId)
  return did(true, `contact ${wxId} promoted`)
}

/** A new summary of the customer's latest conversation (`threads.topic`). */
export const summarize = async (world: World, index: number, text: string): Promise<Did> => {
  const id = at(hubIds(world), index)
  if (id === undefined) return did(false, "no hub customer")
  const thread = world.hub
    .prepare(
      `SELECT t.id FROM threads t JOIN contacts c ON c.id = t.contact_id JOIN customers_unified cu ON cu.wechat_id = c.wx_id
       WHERE cu.id = ? ORDER BY t.last_msg_at DESC, t.rowid DESC LIMIT 1`
    )
    .pluck()
    .get(id) as string | undefined
  if (thread === undefined) return did(false, `hub customer ${id} has no conversation`)
  const stamp = formatHubTimestamp(await world.now(), zone)
  world.hub
    .prepare("UPDATE threads SET topic = ?, last_msg_at = ?, updated_at = ? WHERE id = ?")
    .run(text, stamp, stamp, thread)
  return did(true, `hub customer ${id}: thread ${thread} summarized`)
}

// ── the ERP ─────────────────────────────────────────────────────────────────────────────────────────────────────

export type ErpChange =
  | { readonly field: "name"; readonly value: string }
  | { readonly field: "mobile"; readonly value: MobileValue }
  | { readonly field: "weixinAcc"; readonly value: WechatValue }
  | { readonly field: "email" | "address"; readonly value: string | null }
  | { readonly field: "jz" | "ly" | "sort1"; readonly value: string }

export const showErpChange = (change: ErpChange): string =>
  change.field === "mobile"
    ? `mobile → ${showMobile(change.value)}`
    : change.field === "weixinAcc"
      ? `WeChat → ${showWechat(change.value)}`
      : `${change.field} → ${change.value ?? "nothing"}`

const erpText = (world: World, change: ErpChange): string =>
  change.field === "mobile"
    ? (mobileText(world, change.value) ?? "")
    : change.field === "weixinAcc"
      ? (wechatText(world, change.value) ?? "")
      : (change.value ?? "")

export const editErp = (world: World, index: number, change: ErpChange): Did => {
  const ord = at(
    world.mock.control.customers().map((c) => c.ord),
    index
  )
  if (ord === undefined) return did(false, "no ERP customer to edit")
  try {
    world.mock.control.editCustomer(ord, { [change.field]: erpText(world, change) })
    return { ...did(true, `ERP customer ${ord}: ${change.field} saved`), erpEdit: { ord, field: change.field } }
  } catch (error) {
    return did(false, `ERP customer ${ord}: the ERP refused the edit (${refused(error)})`)
  }
}

/**
 * The `index`-th linked pair (counting modulo their number): the hub customer's position (as `editHub` counts) and its
 * ERP customer's (as `editErp` counts); none before a run has linked anything.
 */
export const linkedPair = (world: World, index: number): { readonly hub: number; readonly erp: number } | undefined => {
  const ids = hubIds(world)
  const ords = world.mock.control.customers().map((customer) => String(customer.ord))
  const linked = world.hub
    .prepare("SELECT id, erp_customer_id AS ord FROM customers_unified WHERE erp_customer_id IS NOT NULL ORDER BY id")
    .all() as Array<{ readonly id: number; readonly ord: string | number }>
  const pairs = linked.flatMap(({ id, ord }) => {
    const erp = ords.indexOf(String(ord))
    return erp < 0 ? [] : [{ hub: ids.indexOf(id), erp }]
  })
  return at(pairs, index)
}

/**
 * Values only the both-sides edit uses, in pairs (the hub's, the ERP's): nobody else holds them, so the ERP's
 * duplicate check never refuses the ERP user's half and the conflict always reaches the sync.
 */
export const conflictValues = {
  name: [
    ["宁波海天机械有限公司", "宁波海天机械股份有限公司"],
    ["成都天府软件有限公司", "成都天府软件科技有限公司"]
  ],
  email: [
    ["buyer@haitian.cn", "purchase@haitian.cn"],
    ["ceo@tianfu.cn", "boss@tianfu.cn"]
  ],
  address: [
    ["宁波市江东路5号", "宁波市江东北路5号"],
    ["成都市天府大道100号", "成都市天府大道北段100号"]
  ]
} as const satisfies Record<string, ReadonlyArray<readonly [string, string]>>

export interface NewErpCustomer {
  readonly person: boolean
  readonly name: string
  readonly mobile: MobileValue
  readonly weixinAcc: WechatValue
  /** The customer code a person types: none, the code of a hub customer ("WX" + its id), or a code of the ERP's own. */
  readonly khid:
    | { readonly _tag: "None" }
    | { readonly _tag: "HubCode"; readonly index: number }
    | { readonly _tag: "Own"; readonly n: number }
}

export const showNewErpCustomer = (c: NewErpCustomer): string =>
  `${c.person ? "person" : "company"} ${c.name}, mobile ${showMobile(c.mobile)}, WeChat ${showWechat(c.weixinAcc)}, khid ${
    c.khid._tag === "None" ? "none" : c.khid._tag === "HubCode" ? `of hub customer #${c.khid.index}` : `KH${c.khid.n}`
  }`

export const createErp = (world: World, c: NewErpCustomer): Did => {
  const khid =
    c.khid._tag === "None" ? "" : c.khid._tag === "Own" ? `KH${c.khid.n}` : `WX${at(hubIds(world), c.khid.index) ?? 0}`
  const fields: Record<string, string> = {
    name: c.name,
    sort1: "17,146",
    ly: "172",
    mobile: mobileText(world, c.mobile) ?? "",
    weixinAcc: wechatText(world, c.weixinAcc) ?? "",
    khid,
    ...(c.person ? {} : { person_name: "赵磊" })
  }
  try {
    const customer = world.mock.control.insertCustomer(fields, { intsort: c.person ? 2 : 1 })
    return did(true, `ERP customer ${customer.ord} entered (khid ${khid || "none"})`)
  } catch (error) {
    return did(false, `the ERP refused the new customer (${refused(error)})`)
  }
}
