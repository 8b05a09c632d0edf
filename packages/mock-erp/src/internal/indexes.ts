import type { Contact } from "../Model.js"
import { contactFieldId } from "./fields.js"
import type { CustomerRow, DocTable, Store } from "./store.js"

/**
 * What the pages look up instead of scanning the tables: kept up to date on every write through the store, so that a
 * list page, a save's duplicate check or an allocation costs the same at 100k customers as at 1k.
 */
export interface Indexes {
  /** Live customer ids, ascending. */
  readonly liveOrds: () => ReadonlyArray<number>
  /** Contact ids whose customer is live, ascending. */
  readonly listedContacts: () => ReadonlyArray<number>
  /** The unsaved placeholders a user allocated, ascending. */
  readonly placeholdersOf: (user: string) => ReadonlyArray<number>
  /** Live customers whose own field `field` (a unique field) is exactly `value`. */
  readonly customersWith: (field: string, value: string) => ReadonlyArray<number>
  /** Contacts whose field `field` (a unique field's contact id, or `mobile2`) is exactly `value`. */
  readonly contactsWith: (field: string, value: string) => ReadonlyArray<number>
}

/** Ascending ids: appends are the usual case (ids are handed out ascending), anything else a binary search. */
const sortedIds = () => {
  let ids: Array<number> = []
  const position = (id: number) => {
    let low = 0
    let high = ids.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (ids[mid]! < id) low = mid + 1
      else high = mid
    }
    return low
  }
  return {
    ids: (): ReadonlyArray<number> => ids,
    add: (id: number) => {
      if (ids.length === 0 || ids[ids.length - 1]! < id) return void ids.push(id)
      const at = position(id)
      if (ids[at] !== id) ids.splice(at, 0, id)
    },
    remove: (id: number) => {
      const at = position(id)
      if (ids[at] === id) ids.splice(at, 1)
    },
    clear: () => {
      ids = []
    }
  }
}

/** Ids by a key, each key's ids ascending. */
const multiMap = () => {
  const byKey = new Map<string, ReturnType<typeof sortedIds>>()
  return {
    get: (key: string): ReadonlyArray<number> => byKey.get(key)?.ids() ?? [],
    add: (key: string, id: number) => {
      const ids = byKey.get(key) ?? sortedIds()
      byKey.set(key, ids)
      ids.add(id)
    },
    remove: (key: string, id: number) => {
      const ids = byKey.get(key)
      ids?.remove(id)
      if (ids?.ids().length === 0) byKey.delete(key)
    },
    clear: () => byKey.clear()
  }
}

const valueKey = (field: string, value: string) => `${field}\u0000${value}`

/**
 * The store with its indexes: writes go through to `store` and update the indexes on the way. The indexes start
 * from what the store holds (a reopened SQLite file) and are rebuilt if a transaction fails, as its writes are undone.
 */
export const withIndexes = (store: Store, uniqueFields: ReadonlyArray<string>): { store: Store; indexes: Indexes } => {
  const contactFields = [
    ...new Set(uniqueFields.map(contactFieldId)),
    ...(uniqueFields.includes("mobile") ? ["mobile2"] : [])
  ]
  const live = sortedIds()
  const placeholders = multiMap()
  const customerValues = multiMap()
  const contactValues = multiMap()
  const contactsOf = new Map<number, Set<number>>()
  // contacts listed depend on their customer's status too: recomputed on the first page after a change
  let listed: ReadonlyArray<number> | undefined

  const indexCustomer = (row: CustomerRow, add: boolean) => {
    const change = add ? "add" : "remove"
    if (row.status === "placeholder") return placeholders[change](row.owner, row.ord)
    live[change](row.ord)
    for (const field of uniqueFields) {
      const value = row.fields[field]
      if (value !== undefined && value !== "") customerValues[change](valueKey(field, value), row.ord)
    }
  }
  const indexContact = (contact: Contact, add: boolean) => {
    for (const field of contactFields) {
      const value = contact.fields[field]
      if (value !== undefined && value !== "")
        contactValues[add ? "add" : "remove"](valueKey(field, value), contact.ord)
    }
    const ofCompany = contactsOf.get(contact.company) ?? new Set<number>()
    contactsOf.set(contact.company, ofCompany)
    if (add) ofCompany.add(contact.ord)
    else ofCompany.delete(contact.ord)
  }

  const indexed = <T>(table: DocTable<T>, index: (doc: T, add: boolean) => void): DocTable<T> => ({
    get: table.get,
    all: table.all,
    put: (id, doc) => {
      const old = table.get(id)
      table.put(id, doc)
      if (old !== undefined) index(old, false)
      index(doc, true)
      listed = undefined
    },
    remove: (id) => {
      const old = table.get(id)
      table.remove(id)
      if (old !== undefined) index(old, false)
      listed = undefined
    }
  })

  const rebuild = () => {
    for (const index of [live, placeholders, customerValues, contactValues]) index.clear()
    contactsOf.clear()
    listed = undefined
    for (const row of store.customers.all()) indexCustomer(row, true)
    for (const contact of store.contacts.all()) indexContact(contact, true)
  }
  rebuild()

  const isLive = (ord: number) => store.customers.get(ord)?.status === "live"
  const indexes: Indexes = {
    liveOrds: live.ids,
    listedContacts: () => {
      if (listed === undefined) {
        listed = live
          .ids()
          .flatMap((ord) => [...(contactsOf.get(ord) ?? [])])
          .sort((a, b) => a - b)
      }
      return listed
    },
    placeholdersOf: placeholders.get,
    customersWith: (field, value) => customerValues.get(valueKey(field, value)),
    contactsWith: (field, value) =>
      contactValues.get(valueKey(field, value)).filter((ord) => {
        const company = store.contacts.get(ord)?.company
        return company !== undefined && isLive(company)
      })
  }

  return {
    indexes,
    store: {
      ...store,
      customers: indexed(store.customers, indexCustomer),
      contacts: indexed(store.contacts, indexContact),
      transaction: (f) => {
        try {
          return store.transaction(f)
        } catch (error) {
          rebuild()
          throw error
        }
      },
      clear: () => {
        store.clear()
        rebuild()
      }
    }
  }
}
