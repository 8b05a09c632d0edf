import { Hono } from "hono"
import { type FaultProfile, type FaultProfileName, resolveFaultProfile } from "./FaultProfile.js"
import { crashAnswer, render, resetMarker } from "./internal/answer.js"
import { defaultContactColumns } from "./internal/contactPages.js"
import type { Config } from "./internal/context.js"
import { controlApi } from "./internal/controlApi.js"
import { liveListColumns } from "./internal/customerList.js"
import { type EnumOption, enums, type InstallationEnum } from "./internal/enums.js"

export { liveListColumns }

import { makeRuntime } from "./internal/runtime.js"
import { sqliteStore } from "./internal/sqliteStore.js"
import { memoryStore } from "./internal/store.js"
import type { MockControl } from "./MockControl.js"
import type { Salesperson } from "./Model.js"

export interface MockUser {
  readonly user: string
  readonly password: string
  readonly id?: number
}

export interface MockErpOptions {
  /** The ERP accounts; default one: admin / admin123 (id 1). */
  readonly users?: ReadonlyArray<MockUser>
  /** Salesperson ids and names for assignment (`member2`, `catename`, V3 `cateName`). */
  readonly salespeople?: ReadonlyArray<Salesperson>
  /** Generated customers to start with (see `generateCustomers`); none by default. */
  readonly seed?: { readonly customers: number; readonly seed: number }
  /** A fault profile or its name; default "none". */
  readonly faults?: FaultProfile | FaultProfileName
  /** Seeds the fault draws (and session tokens, captchas); default 0. */
  readonly faultSeed?: number
  /** The clock; default Date.now. `control.advanceClock` moves it forward. */
  readonly now?: () => number
  /** How latency and slow faults wait; inject a fake to keep tests fast. */
  readonly sleep?: (ms: number) => Promise<void>
  /** Idle time after which a session times out; default 2 hours. */
  readonly sessionIdleMs?: number
  /** A new login of a user kicks that user's older sessions; default true. */
  readonly kickOnRelogin?: boolean
  /** Allocating an id deletes the same user's unsaved placeholders; default true. */
  readonly invalidatePlaceholders?: boolean
  /** Duplicate checks (查重), in order; default ["name", "mobile"]. */
  readonly uniqueFields?: ReadonlyArray<string>
  /** Required fields per page; defaults from the catalog. */
  readonly requiredFields?: {
    readonly company?: ReadonlyArray<string>
    readonly person?: ReadonlyArray<string>
    readonly contact?: ReadonlyArray<string>
  }
  /** The customer list's columns, in order; default the live 13. */
  readonly listColumns?: ReadonlyArray<string>
  readonly contactListColumns?: ReadonlyArray<string>
  /** Serves the contact list (person/list.asp); false answers `未知页面` as an installation without it; default true. */
  readonly contactList?: boolean
  /** List rows as positional arrays (default), objects wrapping `value: [...]`, or objects keyed by column id. */
  readonly rowShape?: "array" | "object-wrapped" | "keyed"
  /** The lists' id columns (ord, person, company) as JSON numbers, not strings; default false. */
  readonly numericCells?: boolean
  /** The installation's own values of enumerations 11 (trade), 13 (ly), 14 (jz), 98 (follow-up method). */
  readonly enumerations?: Partial<Record<InstallationEnum, ReadonlyArray<EnumOption>>>
  /** An empty list answers empty `page`/`cols`/`rows` (default) or leaves them out. */
  readonly emptyList?: "empty" | "missing"
  /** Bill fields leave out their empty members (text, value, ...); default false. */
  readonly dropEmptyKeys?: boolean
  /** `header.status` of a session failure; default 1. */
  readonly sessionErrorStatus?: number
  /** `header.status` of a failed login (0: only `body.action = "fail"` tells); default 1. */
  readonly loginFailStatus?: number
  /** Failed logins after which a captcha is demanded; default 3. */
  readonly captchaAfter?: number
  readonly appVersion?: string
  /** In memory (default) or a SQLite file that survives restarts. */
  readonly store?: "memory" | { readonly sqlitePath: string }
  /** Serves the test-only control API under /__mock; default false. */
  readonly controlApi?: boolean
}

export interface MockErp {
  readonly app: Hono
  /** `app.fetch` as a fetch implementation; a connection reset (ack-lost fault) rejects like a real one. */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
  readonly control: MockControl
}

/** The account a mock has unless told otherwise. */
export const defaultAccount: MockUser = { user: "admin", password: "admin123", id: 1 }

export const defaultSalespeople: ReadonlyArray<Salesperson> = [
  { id: 61, name: "王晓明" },
  { id: 62, name: "李静" },
  { id: 63, name: "张伟" },
  { id: 64, name: "刘芳" }
]

const resolveConfig = (options: MockErpOptions): Config => ({
  accounts: (options.users ?? [defaultAccount]).map((user, index) => ({
    user: user.user,
    password: user.password,
    id: user.id ?? index + 1
  })),
  salespeople: options.salespeople ?? defaultSalespeople,
  invalidatePlaceholders: options.invalidatePlaceholders ?? true,
  kickOnRelogin: options.kickOnRelogin ?? true,
  uniqueFields: options.uniqueFields ?? ["name", "mobile"],
  requiredFields: {
    company: options.requiredFields?.company ?? ["name", "sort1", "person_name"],
    person: options.requiredFields?.person ?? ["name", "sort1"],
    contact: options.requiredFields?.contact ?? ["company", "person_name"]
  },
  listColumns: options.listColumns ?? liveListColumns,
  contactListColumns: options.contactListColumns ?? defaultContactColumns,
  contactList: options.contactList ?? true,
  rowShape: options.rowShape ?? "array",
  numericCells: options.numericCells ?? false,
  enums: { ...enums, ...options.enumerations },
  emptyList: options.emptyList ?? "empty",
  dropEmptyKeys: options.dropEmptyKeys ?? false,
  sessionErrorStatus: options.sessionErrorStatus ?? 1,
  loginFailStatus: options.loginFailStatus ?? 1,
  captchaAfter: options.captchaAfter ?? 3,
  appVersion: options.appVersion ?? "32.17",
  sessionIdleMs: options.sessionIdleMs ?? 2 * 3600_000
})

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** A stand-in for the Zhibang ERP: its pages, its quirks (each switchable) and its failures (fault profiles). */
export const createMockErp = (options: MockErpOptions = {}): MockErp => {
  const store = options.store && options.store !== "memory" ? sqliteStore(options.store.sqlitePath) : memoryStore()
  const runtime = makeRuntime({
    config: resolveConfig(options),
    store,
    now: options.now ?? Date.now,
    sleep: options.sleep ?? realSleep,
    faults: resolveFaultProfile(options.faults ?? "none"),
    faultSeed: options.faultSeed ?? 0,
    seed: options.seed
  })
  const app = new Hono()
  if (options.controlApi) app.route("/__mock", controlApi(runtime.control))
  app.all("*", (c) => runtime.handle(c.req.raw))
  // never Hono's plain-text 500: the ERP's own crash envelope
  app.onError((error) => render(crashAnswer(error.message)))
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request =
      typeof input === "string" && input.startsWith("/")
        ? new Request(`http://mock-erp.local${input}`, init)
        : new Request(input, init)
    const response = await app.fetch(request)
    if (response.headers.has(resetMarker)) {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })
      })
    }
    return response
  }
  return { app, fetch, control: runtime.control }
}
