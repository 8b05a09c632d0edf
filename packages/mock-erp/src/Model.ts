/** The mock's state and logs, as tests and benchmarks read them through `MockControl`. */

/** 1 = company customer (单位客户), 2 = person customer (个人客户). */
export type Intsort = 1 | 2

/** A user customers can be assigned to (`member2`, `cateid`, the list's `catename`, V3's `cateName`). */
export interface Salesperson {
  readonly id: number
  readonly name: string
}

/** Every request the mock routes, one id per page and command. */
export type Endpoint =
  | "login"
  | "logout"
  | "customer.allocate"
  | "customer.save"
  | "customer.detail"
  | "customer.list"
  | "customer.skeleton"
  | "customer.v3add"
  | "customer.v3edit"
  | "assign"
  | "assign.form"
  | "followUp"
  | "followUp.form"
  | "contact.save"
  | "contact.form"
  | "contact.detail"
  | "contact.list"
  | "contact.skeleton"
  | "pool.apply"
  | "pool.approve"
  | "pool.takeback"
  | "pool.protect"
  | "pool.unprotect"
  | "enum"
  | "user.list"
  | "unimplemented"
  | "notFound"

/** A live customer. `fields` holds its own fields and those of its main contact (person_name, mobile, ...). */
export interface Customer {
  readonly ord: number
  readonly intsort: Intsort
  /** The user who allocated or entered it (添加人员). */
  readonly owner: string
  readonly fields: Readonly<Record<string, string>>
  readonly mainContact: number | null
  /** Salesperson ids it is assigned to; empty when unassigned or in the public pool. */
  readonly assignedTo: ReadonlyArray<number>
  readonly pool: boolean
  /** The user whose pool application awaits approval. */
  readonly pendingApply: string | null
  readonly protectedBy: string | null
  readonly createdAt: number
  readonly updatedAt: number
}

export interface Contact {
  readonly ord: number
  /** The customer's ord. */
  readonly company: number
  /** The contact created with the customer itself. */
  readonly main: boolean
  readonly owner: string
  readonly fields: Readonly<Record<string, string>>
  readonly createdAt: number
  readonly updatedAt: number
}

export interface FollowUp {
  readonly id: number
  readonly ord: number
  readonly user: string
  readonly at: number
  /** The recorded text: the template's text when `intro` named a template id. */
  readonly text: string
  readonly template: number | null
  readonly fields: Readonly<Record<string, string>>
}

export interface Assignment {
  readonly id: number
  readonly ord: number
  readonly user: string
  readonly at: number
  /** 1 = open to all users (public pool), 0 = assigned to `member2`. */
  readonly member1: 0 | 1
  readonly member2: ReadonlyArray<number>
}

export type WriteKind =
  | "allocate"
  | "customer.create"
  | "customer.update"
  | "contact.create"
  | "contact.update"
  | "followUp"
  | "assign"
  | "pool.apply"
  | "pool.approve"
  | "pool.reject"
  | "pool.takeback"
  | "pool.protect"
  | "pool.unprotect"

/** One committed write. Writes made through `MockControl` (a person in the ERP's UI) carry endpoint "ui". */
export interface WriteLogEntry {
  readonly seq: number
  readonly at: number
  readonly endpoint: Endpoint | "ui"
  readonly kind: WriteKind
  readonly ord: number
  readonly user: string
  readonly fields: Readonly<Record<string, string>>
}

/** How a request was answered. */
export type AnswerKind =
  | "data"
  | "saved"
  | "rejected"
  | "session"
  | "loginFailed"
  | "notFound"
  | "notImplemented"
  | "badRequest"
  | "fault"

export type FaultKind =
  | "latency"
  | "proxy502"
  | "proxy504"
  | "backendDown"
  | "crash"
  | "sessionExpiry"
  | "ackLost"
  | "slow"

export interface CallLogEntry {
  readonly seq: number
  readonly at: number
  readonly method: string
  readonly path: string
  readonly command: string
  readonly endpoint: Endpoint
  readonly user: string | null
  /** The session token the call came with (none for a login): which client made it. */
  readonly session: string | null
  /** The faults applied to this call, in order. */
  readonly faults: ReadonlyArray<FaultKind>
  readonly answer: AnswerKind
  /** The message text, when the answer carried one. */
  readonly message: string
}
