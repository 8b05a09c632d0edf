import type { Contact, Customer, Endpoint, Intsort } from "../Model.js"
import { type Ctx, logWrite } from "./context.js"
import { formatErpDate } from "./dates.js"
import { findDuplicate } from "./duplicates.js"
import { contactFieldId, customerFields, type FieldDef } from "./fields.js"
import type { CustomerRow } from "./store.js"
import { validateFields } from "./validate.js"

export const deletedMessage = "抱歉，您访问的单据已被删除！"

export type SaveResult = { readonly ok: true; readonly ord: number } | { readonly ok: false; readonly message: string }

const contactDefs = (intsort: Intsort): ReadonlyArray<FieldDef> =>
  customerFields(intsort).filter((def) => def.group === "contact")

/** Every field of a customer as its page shows it: its own fields plus its main contact's. */
export const customerValues = (ctx: Ctx, row: CustomerRow): Record<string, string> => {
  const contact = row.mainContact === null ? undefined : ctx.store.contacts.get(row.mainContact)
  const values: Record<string, string> = {}
  for (const def of contactDefs(row.intsort)) {
    const value = contact?.fields[contactFieldId(def.id)]
    if (value !== undefined) values[def.id] = value
  }
  return { ...values, ...row.fields }
}

export const customerView = (ctx: Ctx, row: CustomerRow): Customer => {
  const { status: _status, ...rest } = row
  return { ...rest, fields: customerValues(ctx, row) }
}

export const liveCustomer = (ctx: Ctx, ord: number | undefined): CustomerRow | undefined => {
  const row = ord === undefined ? undefined : ctx.store.customers.get(ord)
  return row?.status === "live" ? row : undefined
}

/**
 * Allocates a new customer id: a placeholder row for the user. Like the ERP, it first deletes that user's
 * earlier unsaved placeholders (switchable), so their ids can no longer be saved.
 */
export const allocateCustomer = (ctx: Ctx, user: string, intsort: Intsort): number =>
  ctx.store.transaction(() => {
    const invalidated = ctx.config.invalidatePlaceholders ? [...ctx.indexes.placeholdersOf(user)] : []
    for (const ord of invalidated) ctx.store.customers.remove(ord)
    const ord = ctx.store.nextId("ord")
    const at = ctx.now()
    ctx.store.customers.put(ord, {
      ord,
      intsort,
      status: "placeholder",
      owner: user,
      fields: {},
      mainContact: null,
      assignedTo: [],
      pool: false,
      pendingApply: null,
      protectedBy: null,
      createdAt: at,
      updatedAt: at
    })
    const fields = { intsort: String(intsort), invalidated: invalidated.join(",") }
    logWrite(ctx, { endpoint: "customer.allocate", kind: "allocate", ord, user, fields })
    return ord
  })

export interface SaveCustomer {
  readonly ord: number | undefined
  readonly intsort: Intsort | undefined
  /** Only the fields the request sent, by the customer page's field ids. */
  readonly values: Readonly<Record<string, string>>
  readonly user: string
  readonly endpoint: Endpoint | "ui"
  /** Set for a person in the ERP's UI: no placeholder is needed. */
  readonly create?: boolean
}

/** Saves a customer: add (a placeholder's ord) or edit (a live ord), validated as the ERP does. */
export const saveCustomer = (ctx: Ctx, save: SaveCustomer): SaveResult => {
  const existing = save.ord === undefined ? undefined : ctx.store.customers.get(save.ord)
  if (!save.create && !existing) return { ok: false, message: deletedMessage }
  const live = existing?.status === "live" ? existing : undefined
  if (live?.protectedBy && live.protectedBy !== save.user) {
    return { ok: false, message: `客户名称【${live.fields.name ?? ""}】已被保护！` }
  }
  const intsort = save.intsort ?? existing?.intsort ?? 1
  const defs = customerFields(intsort)
  const values = { ...(live ? customerValues(ctx, live) : {}), ...save.values }
  const required = intsort === 1 ? ctx.config.requiredFields.company : ctx.config.requiredFields.person
  const invalid = validateFields(defs, values, required, ctx.config.enums)
  if (invalid) return { ok: false, message: invalid }
  const duplicate = findDuplicate(ctx, { defs, values, customer: live?.ord, contact: undefined })
  if (duplicate) return { ok: false, message: duplicate }
  return ctx.store.transaction(() => {
    const ord = commitCustomer(ctx, { existing, intsort, values, user: save.user })
    const kind = live ? "customer.update" : "customer.create"
    logWrite(ctx, { endpoint: save.endpoint, kind, ord, user: save.user, fields: save.values })
    return { ok: true, ord }
  })
}

/** Writes a customer and its main contact, unchecked: the saves above check first, seeding does not. */
export const commitCustomer = (
  ctx: Ctx,
  commit: {
    readonly existing: CustomerRow | undefined
    readonly intsort: Intsort
    readonly values: Readonly<Record<string, string>>
    readonly user: string
  }
): number => {
  const { existing, intsort, values } = commit
  const live = existing?.status === "live" ? existing : undefined
  const ord = existing?.ord ?? ctx.store.nextId("ord")
  const at = ctx.now()
  const own: Record<string, string> = {}
  const person: Record<string, string> = intsort === 2 ? { person_name: values.name ?? "" } : {}
  for (const def of customerFields(intsort)) {
    const value = values[def.id]
    if (value === undefined) continue
    if (def.group === "contact") person[contactFieldId(def.id)] = value
    else own[def.id] = value
  }
  if (!own.date1) own.date1 = formatErpDate(at)
  const mainContact = saveMainContact(ctx, ord, live?.mainContact ?? null, person, commit.user, at)
  ctx.store.customers.put(ord, {
    ord,
    intsort,
    status: "live",
    owner: existing?.owner ?? commit.user,
    fields: own,
    mainContact,
    assignedTo: live?.assignedTo ?? [],
    pool: live?.pool ?? false,
    pendingApply: live?.pendingApply ?? null,
    protectedBy: live?.protectedBy ?? null,
    createdAt: live?.createdAt ?? at,
    updatedAt: at
  })
  return ord
}

const saveMainContact = (
  ctx: Ctx,
  company: number,
  current: number | null,
  fields: Record<string, string>,
  user: string,
  at: number
): number => {
  const existing = current === null ? undefined : ctx.store.contacts.get(current)
  const ord = existing?.ord ?? ctx.store.nextId("contact")
  const contact: Contact = {
    ord,
    company,
    main: true,
    owner: existing?.owner ?? user,
    fields: { ...existing?.fields, ...fields },
    createdAt: existing?.createdAt ?? at,
    updatedAt: at
  }
  ctx.store.contacts.put(ord, contact)
  return ord
}
