import { generateCustomers } from "../Generator.js"
import type { Ctx } from "./context.js"
import { commitCustomer } from "./customers.js"
import { enums, type InstallationEnum } from "./enums.js"

/** A generated enumeration value in the installation's own list: the value at the same place in it. */
const own = (ctx: Ctx, name: InstallationEnum, value: string | undefined) => {
  const index = enums[name].findIndex((option) => option.v === value)
  const list = ctx.config.enums[name]
  return index < 0 || list.length === 0 ? value : list[index % list.length]?.v
}

const inInstallation = (ctx: Ctx, fields: Readonly<Record<string, string>>): Record<string, string> => {
  const values: Record<string, string> = { ...fields }
  for (const name of ["ly", "jz", "trade"] as const) {
    const value = own(ctx, name, fields[name])
    if (value !== undefined) values[name] = value
  }
  return values
}

/**
 * Fills the store with generated customers as if they had always been there: unchecked (old data may break
 * today's duplicate rules) and not in the write log.
 */
export const seedStore = (ctx: Ctx, customers: number, seed: number, user: string): void =>
  ctx.store.transaction(() => {
    for (const generated of generateCustomers(customers, seed)) {
      const ord = commitCustomer(ctx, {
        existing: undefined,
        intsort: generated.intsort,
        values: inInstallation(ctx, generated.fields),
        user
      })
      for (const fields of generated.contacts) {
        const id = ctx.store.nextId("contact")
        const at = ctx.now()
        ctx.store.contacts.put(id, {
          ord: id,
          company: ord,
          main: false,
          owner: user,
          fields,
          createdAt: at,
          updatedAt: at
        })
      }
    }
  })
