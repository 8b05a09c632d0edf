import type { Ctx } from "./context.js"
import { contactFieldId, type FieldDef } from "./fields.js"

export interface DuplicateQuery {
  /** The fields of the page being saved. */
  readonly defs: ReadonlyArray<FieldDef>
  readonly values: Readonly<Record<string, string>>
  /** The customer being saved: it and its contacts are not duplicates of themselves. */
  readonly customer: number | undefined
  /** The contact being saved (contact page only). */
  readonly contact: number | undefined
}

/**
 * The ERP's 查重: each configured field, in order, is compared by exact string equality with live records;
 * the first hit stops the save. Contact fields compare with every contact; a mobile also matches `mobile2`.
 */
export const findDuplicate = (ctx: Ctx, query: DuplicateQuery): string | undefined => {
  const onContactPage = query.defs.some((def) => def.id === "company")
  for (const field of ctx.config.uniqueFields) {
    const def = query.defs.find((candidate) => candidate.id === field)
    if (!def) continue
    const candidates = [query.values[field] ?? ""]
    if (field === "mobile" && onContactPage) candidates.push(query.values.mobile2 ?? "")
    for (const value of candidates.filter((text) => text !== "")) {
      const hit =
        onContactPage || def.group === "contact"
          ? (field === "mobile"
              ? [...ctx.indexes.contactsWith("mobile", value), ...ctx.indexes.contactsWith("mobile2", value)]
              : ctx.indexes.contactsWith(contactFieldId(field), value)
            ).some((ord) => ord !== query.contact && ctx.store.contacts.get(ord)?.company !== query.customer)
          : ctx.indexes.customersWith(field, value).some((ord) => ord !== query.customer)
      if (hit) return `此${def.caption}【${value}】已存在！`
    }
  }
  return undefined
}
