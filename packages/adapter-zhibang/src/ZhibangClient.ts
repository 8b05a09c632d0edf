import type { HttpClient } from "@effect/platform"
import type { Config, ConfigError, Option, Scope } from "effect"
import { Context, Effect, Layer } from "effect"

import { makeClient } from "./internal/client.js"
import type { CustomerDetail, EmptyForm, ListPage, ListShape } from "./internal/customer.js"
import type { RowShape } from "./internal/wire/answer.js"
import type { WireFields } from "./internal/wire/envelope.js"
import type { ZhibangClientConfig } from "./ZhibangConfig.js"
import type { ZhibangError } from "./ZhibangError.js"

export type { RowShape } from "./internal/wire/answer.js"
export type { WireFields, WireValue } from "./internal/wire/envelope.js"
export type { CustomerDetail, EmptyForm, ListPage, ListShape }

/**
 * The envelope variants the client's list answers showed so far (customers and contacts): what an installation's ERP
 * sends where the spec allows more than one form, for a profile of it (`tongbu check --record`).
 */
export interface ObservedShapes {
  readonly rowShapes: ReadonlyArray<RowShape>
  readonly emptyForms: ReadonlyArray<EmptyForm>
  /** What had to be coerced to read it: `numeric cells` (a list cell sent as a JSON number, read as text). */
  readonly coerced: ReadonlyArray<"numeric cells">
}

/** 1 = company customer (单位客户), 2 = person customer (个人客户). */
export type Intsort = 1 | 2

export interface ListQuery {
  /** From 1. */
  readonly pageIndex: number
  readonly pageSize: number
  /** The list's filters (spec §4.4, §4.7): fuzzy text (`name`, `khid`, `searchKey`, ...), enum lists, `telord`. */
  readonly filters?: Readonly<Record<string, string>>
  /** A column id, `-` prefixed for descending. */
  readonly sort?: string
}

export interface NewCustomer<E, R> {
  readonly intsort: Intsort
  /** The fields to save, without `ord`. */
  readonly fields: WireFields
  /** Runs between allocation and save with the allocated id: record it durably before the save makes it real. */
  readonly beforeSave: (ord: number) => Effect.Effect<void, E, R>
}

export type FollowUp = {
  /** A template id (`106`) or free text, ≤ 1000 characters. */
  readonly intro: string
  /** The follow-up method: 481 phone, 482 mail, 483 visit, 484 other. */
  readonly sort: number
  /** 0 no schedule, 1 pending, 2 done. */
  readonly plantype: number
}

export type Assignment = {
  /** 1 = open to all users (the public pool), 0 = assigned to the users in `member2`. */
  readonly member1: 0 | 1
  /** Comma-separated user ids. */
  readonly member2: string
}

/** The Zhibang ERP's customer pages, as typed calls. One session per client, shared by all its calls. */
/** One value of an enumeration: its id and its name (`171`, `网站注册`). */
export interface EnumValue {
  readonly id: string
  readonly name: string
}

/** One of the ERP's accounts (账号): its id is what assignments name (`member2`). */
export interface ErpUser {
  readonly id: string
  readonly name: string
  readonly username: string
}

export interface UserPage {
  /** Null when the ERP leaves it out. */
  readonly recordCount: number | null
  readonly users: ReadonlyArray<ErpUser>
}

export interface ZhibangClientService {
  /** Allocates an id and saves the customer under it, one create at a time for this account (spec §4.1). */
  readonly createCustomer: <E, R>(customer: NewCustomer<E, R>) => Effect.Effect<number, ZhibangError | E, R>
  /** Saves an existing customer (`fields.ord` required): only the fields sent change. */
  readonly saveCustomer: (fields: WireFields, intsort: Intsort | undefined) => Effect.Effect<void, ZhibangError>
  /** A customer's stored fields; none when the ERP says it was deleted or never saved. */
  readonly customerDetail: (ord: number) => Effect.Effect<Option.Option<CustomerDetail>, ZhibangError>
  readonly listCustomers: (query: ListQuery) => Effect.Effect<ListPage, ZhibangError>
  /** The contacts (联系人) of every customer, main contacts included (spec §4.7): `company` is the customer's ord. */
  readonly listContacts: (query: ListQuery) => Effect.Effect<ListPage, ZhibangError>
  /** The values of one of the installation's enumerations (spec §5: 13 = customer source `ly`, 14 = value `jz`). */
  readonly enumeration: (enumid: number) => Effect.Effect<ReadonlyArray<EnumValue>, ZhibangError>
  /** One page of the ERP's accounts (V3 `orgs/user/list`), from 1: who customers can be assigned to. */
  readonly users: (query: {
    readonly pageIndex: number
    readonly pageSize: number
  }) => Effect.Effect<UserPage, ZhibangError>
  readonly assign: (ord: number, assignment: Assignment) => Effect.Effect<void, ZhibangError>
  readonly followUp: (ord: number, followUp: FollowUp) => Effect.Effect<void, ZhibangError>
  /** Saves a contact (`company` = the customer's ord; `ord` only to edit one). */
  readonly saveContact: (fields: WireFields) => Effect.Effect<void, ZhibangError>
  /** The V3 JSON endpoints (`ZBAPI-Token` header): `add` a customer, or `edit` one (`body.ord`). */
  readonly v3Customer: (
    action: "add" | "edit",
    body: Readonly<Record<string, unknown>>
  ) => Effect.Effect<void, ZhibangError>
  /** The envelope variants the list answers showed so far. */
  readonly observedShapes: Effect.Effect<ObservedShapes>
  /** Ends the session (also done when the client's scope closes). */
  readonly logout: Effect.Effect<void>
}

export class ZhibangClient extends Context.Tag("@tongbu/adapter-zhibang/ZhibangClient")<
  ZhibangClient,
  ZhibangClientService
>() {}

/** The client for one ERP account, as a scoped effect (its session is logged out when the scope closes). */
export const make: (
  config: ZhibangClientConfig
) => Effect.Effect<ZhibangClientService, never, HttpClient.HttpClient | Scope.Scope> = makeClient

/** The client for one ERP account; logs out when the layer's scope closes. */
export const layer = (config: ZhibangClientConfig): Layer.Layer<ZhibangClient, never, HttpClient.HttpClient> =>
  Layer.scoped(ZhibangClient, make(config))

/** The client, configured from `Config` (e.g. `ZhibangConfig.fromEnv`). */
export const layerConfig = (
  config: Config.Config<ZhibangClientConfig>
): Layer.Layer<ZhibangClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.scoped(ZhibangClient, Effect.flatMap(config, make))
