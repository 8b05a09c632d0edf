import type { Assignment, Contact, FollowUp, Intsort, WriteLogEntry } from "../Model.js"

/** A customer as stored: `fields` holds the customer table only; its main contact's fields live on the contact. */
export interface CustomerRow {
  readonly ord: number
  readonly intsort: Intsort
  /** An allocated, not yet saved id (the ERP's `del=7` row) or a saved customer. */
  readonly status: "placeholder" | "live"
  readonly owner: string
  readonly fields: Readonly<Record<string, string>>
  readonly mainContact: number | null
  readonly assignedTo: ReadonlyArray<number>
  readonly pool: boolean
  readonly pendingApply: string | null
  readonly protectedBy: string | null
  readonly createdAt: number
  readonly updatedAt: number
}

/** Documents keyed by an integer id; `all` lists them by ascending id. */
export interface DocTable<T> {
  readonly get: (id: number) => T | undefined
  readonly all: () => ReadonlyArray<T>
  readonly put: (id: number, doc: T) => void
  readonly remove: (id: number) => void
}

export type Counter = "ord" | "contact" | "followUp" | "assignment" | "seq"

/** Where the mock keeps its data: in memory, or a SQLite file (see sqliteStore). Synchronous on purpose. */
export interface Store {
  readonly customers: DocTable<CustomerRow>
  readonly contacts: DocTable<Contact>
  readonly followUps: DocTable<FollowUp>
  readonly assignments: DocTable<Assignment>
  readonly writeLog: DocTable<WriteLogEntry>
  readonly nextId: (counter: Counter) => number
  /** Runs `f` so that its writes land together or not at all. */
  readonly transaction: <A>(f: () => A) => A
  readonly clear: () => void
  readonly close: () => void
}

const memoryTable = <T>(): DocTable<T> & { clear: () => void } => {
  // kept in id order, so that listing needs no sort: ids are handed out ascending, so this rarely re-sorts
  let docs = new Map<number, T>()
  let maxId = 0
  return {
    get: (id) => docs.get(id),
    all: () => [...docs.values()],
    put: (id, doc) => {
      if (!docs.has(id) && id < maxId) docs = new Map([...docs, [id, doc] as const].sort(([a], [b]) => a - b))
      else docs.set(id, doc)
      maxId = Math.max(maxId, id)
    },
    remove: (id) => void docs.delete(id),
    clear: () => {
      docs.clear()
      maxId = 0
    }
  }
}

export const memoryStore = (): Store => {
  const tables = {
    customers: memoryTable<CustomerRow>(),
    contacts: memoryTable<Contact>(),
    followUps: memoryTable<FollowUp>(),
    assignments: memoryTable<Assignment>(),
    writeLog: memoryTable<WriteLogEntry>()
  }
  const counters = new Map<Counter, number>()
  return {
    ...tables,
    nextId: (counter) => {
      const id = (counters.get(counter) ?? 0) + 1
      counters.set(counter, id)
      return id
    },
    // single-threaded and synchronous: nothing can interleave with f
    transaction: (f) => f(),
    clear: () => {
      for (const table of Object.values(tables)) table.clear()
      counters.clear()
    },
    close: () => {}
  }
}
