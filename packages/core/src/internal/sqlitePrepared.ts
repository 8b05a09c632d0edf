import type Database from "better-sqlite3"
import { asc, eq, sql } from "drizzle-orm"
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3"
import { operations, outcomes } from "./schema.js"

export type Db = BetterSQLite3Database & { readonly $client: Database.Database }

// The outbox's hot path runs a handful of statements per operation: built and prepared once per connection, they
// cost a fraction of building each query anew.

const p = (name: string) => sql.placeholder(name)

const make = (db: Db) => ({
  /**
   * Records an operation of a new run: a new key is inserted; a key recorded before but not settled moves to this
   * run (an `attempted` one keeps its state and provisional id, so the dispatcher still asks whether it landed); a
   * settled one is left as it is.
   */
  enqueue: db
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
    .onConflictDoUpdate({
      target: operations.key,
      set: {
        runId: sql`excluded.run_id`,
        seq: sql`excluded.seq`,
        operation: sql`excluded.operation`,
        state: sql`case when ${operations.state} = 'attempted' then 'attempted' else 'pending' end`,
        attempts: 0,
        lastError: null,
        updatedAt: sql`excluded.updated_at`
      },
      setWhere: sql`${operations.state} not in ('done', 'parked', 'rolledBack')`
    })
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
  // A record is linked to at most one record of the other side: REPLACE drops any link of either record first.
  // drizzle has no INSERT OR REPLACE, hence plain SQL over the same table.
  saveLink: db.$client.prepare<{
    leftId: string
    rightId: string
    left: string
    right: string
    leftVersion: string | null
    rightVersion: string | null
  }>(
    "insert or replace into links (left_id, right_id, left, right, left_version, right_version) values (:leftId, :rightId, :left, :right, :leftVersion, :rightVersion)"
  )
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
