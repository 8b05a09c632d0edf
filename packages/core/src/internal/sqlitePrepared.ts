import { asc, eq, sql } from "drizzle-orm"
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3"
import { links, operations, outcomes } from "./schema.js"

export type Db = BetterSQLite3Database

// The outbox's hot path runs a handful of statements per operation: built and prepared once per connection, they
// cost a fraction of building each query anew.

const p = (name: string) => sql.placeholder(name)

const make = (db: Db) => ({
  stateOf: db
    .select({ state: operations.state })
    .from(operations)
    .where(eq(operations.key, p("key")))
    .prepare(),
  insertOperation: db
    .insert(operations)
    .values({
      key: p("key"),
      runId: p("runId"),
      seq: p("seq"),
      operation: p("operation"),
      state: "pending",
      attempts: 0,
      updatedAt: p("now")
    })
    .prepare(),
  adoptOperation: db
    .update(operations)
    .set({
      runId: sql`${p("runId")}`,
      seq: sql`${p("seq")}`,
      operation: sql`${p("operation")}`,
      state: sql`${p("state")}`,
      attempts: 0,
      lastError: null,
      updatedAt: sql`${p("now")}`
    })
    .where(eq(operations.key, p("key")))
    .prepare(),
  operationsOfRun: db
    .select()
    .from(operations)
    .where(eq(operations.runId, p("runId")))
    .orderBy(asc(operations.seq))
    .prepare(),
  attempted: db
    .update(operations)
    .set({ state: "attempted", attempts: sql`${operations.attempts} + 1`, updatedAt: sql`${p("now")}` })
    .where(eq(operations.key, p("key")))
    .prepare(),
  provisional: db
    .update(operations)
    .set({ provisionalId: sql`${p("provisionalId")}`, updatedAt: sql`${p("now")}` })
    .where(eq(operations.key, p("key")))
    .prepare(),
  completed: db
    .update(operations)
    .set({
      state: "done",
      resultId: sql`${p("resultId")}`,
      written: sql`${p("written")}`,
      linkBefore: sql`${p("linkBefore")}`,
      lastError: null,
      updatedAt: sql`${p("now")}`
    })
    .where(eq(operations.key, p("key")))
    .prepare(),
  failed: db
    .update(operations)
    .set({ state: sql`${p("state")}`, lastError: sql`${p("error")}`, updatedAt: sql`${p("now")}` })
    .where(eq(operations.key, p("key")))
    .prepare(),
  rolledBack: db
    .update(operations)
    .set({ state: "rolledBack", updatedAt: sql`${p("now")}` })
    .where(eq(operations.key, p("key")))
    .prepare(),
  insertOutcome: db
    .insert(outcomes)
    .values({
      runId: p("runId"),
      side: p("side"),
      recordId: p("recordId"),
      otherId: p("otherId"),
      operation: p("operation"),
      outcome: p("outcome"),
      reasons: p("reasons")
    })
    .prepare(),
  deleteLinkOfLeft: db
    .delete(links)
    .where(eq(links.leftId, p("id")))
    .prepare(),
  deleteLinkOfRight: db
    .delete(links)
    .where(eq(links.rightId, p("id")))
    .prepare(),
  insertLink: db
    .insert(links)
    .values({
      leftId: p("leftId"),
      rightId: p("rightId"),
      left: p("left"),
      right: p("right"),
      leftVersion: p("leftVersion"),
      rightVersion: p("rightVersion")
    })
    .prepare()
})

const cache = new WeakMap<Db, ReturnType<typeof make>>()

export const prepared = (db: Db): ReturnType<typeof make> => {
  let statements = cache.get(db)
  if (statements === undefined) {
    statements = make(db)
    cache.set(db, statements)
  }
  return statements
}
