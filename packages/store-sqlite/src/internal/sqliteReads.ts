import type { LinkState } from "@tongbu/core"
import { StoreRows } from "@tongbu/core"
import type { Db } from "./sqlitePrepared.js"

// The reads every run makes over whole tables (all links, every settled key), prepared once per connection as plain
// better-sqlite3 statements: drizzle's select maps each of thousands of rows anew, three times the statement's cost.

const make = (db: Db) => {
  const client = db.$client
  const links = client.prepare<[], StoreRows.LinkRow>(
    `select left_id as leftId, right_id as rightId, left, right, left_version as leftVersion,
       right_version as rightVersion
     from links`
  )
  const settledKeys = client
    .prepare<[], string>("select key from operations where state in ('done', 'parked', 'rolledBack')")
    .pluck()
  return {
    links: (): Array<LinkState> => links.all().map(StoreRows.linkFromRow),
    settledKeys: (): Set<string> => new Set(settledKeys.all())
  }
}

const cache = new WeakMap<Db, ReturnType<typeof make>>()

export const reads = (db: Db): ReturnType<typeof make> => {
  let statements = cache.get(db)
  if (statements === undefined) {
    statements = make(db)
    cache.set(db, statements)
  }
  return statements
}
