import type { ZhibangClient } from "@tongbu/adapter-zhibang"
import { Effect } from "effect"
import type { Settings } from "../Settings.js"

/** The salespeople of one assignment tier, by the yaml key that lists them. */
export interface Tier {
  readonly key: string
  readonly ids: ReadonlyArray<string>
}

const USERS_PER_PAGE = 100

/**
 * Every ERP account, page by page until a short page (or the count the ERP gave) says there are no more, or a page
 * brings only accounts already read (an ERP that ignores the page index would otherwise be read forever).
 */
export const allUsers = (client: ZhibangClient.ZhibangClientService) =>
  Effect.gen(function* () {
    const users = new Map<string, ZhibangClient.ErpUser>()
    for (let pageIndex = 1; ; pageIndex++) {
      const page = yield* client.users({ pageIndex, pageSize: USERS_PER_PAGE })
      const fresh = page.users.filter((user) => !users.has(user.id))
      for (const user of fresh) users.set(user.id, user)
      const done =
        fresh.length === 0 ||
        page.users.length < USERS_PER_PAGE ||
        (page.recordCount !== null && users.size >= page.recordCount)
      if (done) return [...users.values()]
    }
  })

/** The salespeople `mapping.assignment` names, by the yaml key of each tier. */
export const tiers = (settings: Settings): ReadonlyArray<Tier> => [
  { key: "mapping.assignment.top.salespeople", ids: settings.mapping.assignment.top.salespeople },
  { key: "mapping.assignment.general.salespeople", ids: settings.mapping.assignment.general.salespeople }
]
