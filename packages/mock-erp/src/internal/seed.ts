import { generateCustomers } from "../Generator.js"
import type { Ctx } from "./context.js"
import { commitCustomer } from "./customers.js"

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
        values: generated.fields,
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
