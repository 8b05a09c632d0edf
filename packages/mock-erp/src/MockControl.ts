import type { FaultProfile, FaultProfileName } from "./FaultProfile.js"
import type {
  Assignment,
  CallLogEntry,
  Contact,
  Customer,
  Endpoint,
  FollowUp,
  Intsort,
  WriteLogEntry
} from "./Model.js"

/** A handle on the mock's state for tests and benchmarks; no ERP client can reach it. */
export interface MockControl {
  /** Empties every table, the sessions and the logs, then seeds again (with `seed`, else the configured one). */
  readonly reset: (seed?: number) => void
  readonly setFaults: (profile: FaultProfile | FaultProfileName) => void
  /** Moves the mock's clock forward (sessions expire, dates advance). */
  readonly advanceClock: (ms: number) => void
  readonly now: () => number
  /** The live customers, by ascending ord; `fields` include the main contact's. */
  readonly customers: () => ReadonlyArray<Customer>
  /** The contacts of live customers. */
  readonly contacts: () => ReadonlyArray<Contact>
  readonly followUps: () => ReadonlyArray<FollowUp>
  readonly assignments: () => ReadonlyArray<Assignment>
  /** Every committed write, in order. */
  readonly writeLog: () => ReadonlyArray<WriteLogEntry>
  /** The requests to the ERP's paths (not the control API's), in order; the latest 100 000 only. */
  readonly callLog: () => ReadonlyArray<CallLogEntry>
  /** How many requests reached each endpoint (page and command), since the start or the last reset. */
  readonly callCounts: () => Readonly<Partial<Record<Endpoint, number>>>
  /**
   * Enters a customer as a person in the ERP's UI would: same checks as the save page, no placeholder, no
   * session. Throws with the ERP's message when the save is refused.
   */
  readonly insertCustomer: (
    fields: Readonly<Record<string, string>>,
    options?: { readonly intsort?: Intsort; readonly user?: string }
  ) => Customer
  /** Edits a live customer as a person in the UI would; throws with the ERP's message when refused. */
  readonly editCustomer: (
    ord: number,
    fields: Readonly<Record<string, string>>,
    options?: { readonly user?: string }
  ) => Customer
  /** Every live session times out. */
  readonly expireSessions: () => void
  /** Every live session is kicked, as by a login elsewhere. */
  readonly kickSessions: () => void
  /** The captcha a user must now send as `rndcode`, once too many logins failed. */
  readonly captcha: (user: string) => string | undefined
  /** Releases the store (closes the SQLite file). */
  readonly close: () => void
}
