import type { Redacted } from "effect"
import { Redacted as R } from "effect"

/** A value the V1 pages accept in a `datas` pair. */
export type WireValue = string | number

/** Parameters of one V1 call, by field id; `undefined` entries are left out. */
export type WireFields = Readonly<Record<string, WireValue | undefined>>

export interface DataPair {
  readonly id: string
  readonly val: WireValue
}

export interface V1Body {
  readonly session?: string
  readonly cmdkey?: string
  readonly datas: ReadonlyArray<DataPair>
}

export const toDatas = (fields: WireFields): ReadonlyArray<DataPair> =>
  Object.entries(fields).flatMap(([id, val]) => (val === undefined ? [] : [{ id, val }]))

/** The V1 envelope: every parameter travels as an `{id, val}` pair (spec §1). */
export const v1Body = (session: string | undefined, cmdkey: string | undefined, fields: WireFields): V1Body => ({
  ...(session === undefined ? {} : { session }),
  ...(cmdkey === undefined ? {} : { cmdkey }),
  datas: toDatas(fields)
})

export interface LoginParams {
  readonly user: string
  readonly password: Redacted.Redacted<string>
  readonly serialnum: string
}

/** `txt:` marks plain text, so the server does not expect DES-encrypted values (spec §3). */
export const loginBody = (params: LoginParams): V1Body =>
  v1Body(undefined, undefined, {
    user: `txt:${params.user}`,
    password: `txt:${R.value(params.password)}`,
    serialnum: `txt:${params.serialnum}`,
    rndcode: ""
  })

/** The V1 pages the sync calls, relative to the ERP's base URL. */
export const Pages = {
  login: "/webapi/v3/ov1/login",
  logout: "/sysa/mobilephone/logout.asp",
  customer: "/sysa/mobilephone/salesmanage/custom/add.asp",
  customerList: "/sysa/mobilephone/salesmanage/custom/list.asp",
  assign: "/sysa/mobilephone/systemmanage/order.asp?datatype=tel",
  followUp: "/sysa/mobilephone/systemmanage/reply.asp?datatype=tel",
  contact: "/sysa/mobilephone/salesmanage/person/add.asp",
  contactList: "/sysa/mobilephone/salesmanage/person/list.asp",
  enumeration: "/sysa/mobilephone/source.asp",
  v3CustomerAdd: "/webapi/v3/sales/customer/add",
  v3CustomerEdit: "/webapi/v3/sales/customer/edit",
  v3UserList: "/webapi/v3/orgs/user/list"
} as const

export const Commands = { save: "__sys_dosave", refresh: "refresh" } as const

/** Joins the configured base URL (with or without a trailing slash or a sub-path) and a page path. */
export const pageUrl = (baseUrl: string, page: string, query: Readonly<Record<string, string>> = {}): string => {
  const url = new URL(baseUrl.replace(/\/+$/, "") + page)
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value)
  return url.toString()
}
