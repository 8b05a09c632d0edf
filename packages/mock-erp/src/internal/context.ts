import type { Salesperson, WriteLogEntry } from "../Model.js"
import type { Answer } from "./answer.js"
import type { Enums } from "./enums.js"
import type { Indexes } from "./indexes.js"
import type { ErpRequest } from "./request.js"
import type { Rng } from "./rng.js"
import type { Account, Sessions } from "./sessions.js"
import type { Store } from "./store.js"

/** The mock's options with every default filled in. */
export interface Config {
  readonly accounts: ReadonlyArray<Account>
  readonly salespeople: ReadonlyArray<Salesperson>
  readonly invalidatePlaceholders: boolean
  readonly kickOnRelogin: boolean
  readonly uniqueFields: ReadonlyArray<string>
  readonly requiredFields: {
    readonly company: ReadonlyArray<string>
    readonly person: ReadonlyArray<string>
    readonly contact: ReadonlyArray<string>
  }
  readonly listColumns: ReadonlyArray<string>
  readonly contactListColumns: ReadonlyArray<string>
  readonly contactList: boolean
  readonly rowShape: "array" | "object-wrapped" | "keyed"
  /** The list's id columns (ord, person, company) as JSON numbers instead of strings. */
  readonly numericCells: boolean
  readonly enums: Enums
  readonly emptyList: "empty" | "missing"
  readonly dropEmptyKeys: boolean
  readonly sessionErrorStatus: number
  readonly loginFailStatus: number
  readonly captchaAfter: number
  readonly appVersion: string
  readonly sessionIdleMs: number
}

/** What every page handler works with. */
export interface Ctx {
  readonly config: Config
  readonly store: Store
  readonly indexes: Indexes
  readonly sessions: Sessions
  readonly now: () => number
  readonly rng: Rng
  /** Login failures per user, and the captcha each must now solve. */
  readonly loginFailures: Map<string, { count: number; captcha: string }>
}

/** A page handler: what a logged-in request to one page and command answers. */
export type Page = (ctx: Ctx, req: ErpRequest, account: Account) => Answer

export const logWrite = (ctx: Ctx, entry: Omit<WriteLogEntry, "seq" | "at">): void => {
  const seq = ctx.store.nextId("seq")
  ctx.store.writeLog.put(seq, { seq, at: ctx.now(), ...entry })
}

export const salespersonName = (ctx: Ctx, id: number): string =>
  ctx.config.salespeople.find((person) => person.id === id)?.name ??
  ctx.config.accounts.find((account) => account.id === id)?.user ??
  `用户${id}`

/** An integer id from a request value; undefined for anything else (the ERP finds no record then). */
export const readOrd = (value: string): number | undefined => {
  const trimmed = value.trim()
  return /^\d{1,9}$/.test(trimmed) && Number(trimmed) > 0 ? Number(trimmed) : undefined
}
