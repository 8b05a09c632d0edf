import type { StoreRows } from "@tongbu/core"
import Database from "better-sqlite3"
import { asc, eq, sql } from "drizzle-orm"
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3"
import { operations } from "./schema.js"

export type Db = BetterSQLite3Database & { readonly $client: Database.Database }

// The outbox's hot path runs a handful of statements per operation, prepared once per connection. They are plain
// better-sqlite3 statements over the tables drizzle's migrations create: drizzle's prepared queries map every
// parameter and result row anew, which costs as much as the statement itself here (see `pnpm bench`).

export interface ShownRow {
  readonly recordId: string
  readonly linkedId: string
  readonly before: string
  readonly written: string
}

const make = (db: Db) => {
  const client = db.$client
  // Positional parameters: binding by name costs a lookup per parameter per call.
  const enqueue = client.prepare<[string, number, number, string, number], StoreRows.EnqueuedRow>(
    `insert into operations (key, run_id, seq, operation, state, attempts, updated_at)
     values (?, ?, ?, ?, 'pending', 0, ?)
     on conflict (key) do update set
       run_id = excluded.run_id, seq = excluded.seq, operation = excluded.operation,
       state = case when state = 'attempted' then 'attempted' else 'pending' end,
       attempts = 0, last_error = null, updated_at = excluded.updated_at
     where state not in ('done', 'parked', 'rolledBack')
     returning state, attempts, provisional_id as provisionalId, result_id as resultId, written,
       link_before as linkBefore, last_error as lastError`
  )
  const attempted = client.prepare<[number, string]>(
    "update operations set state = 'attempted', attempts = attempts + 1, updated_at = ? where key = ?"
  )
  const provisional = client.prepare<[string, number, string]>(
    "update operations set provisional_id = ?, updated_at = ? where key = ?"
  )
  // `attempts`: the attempt marks of the same batch folded into the operation's end (see `applyJournal`).
  const completed = client.prepare<
    [number, string | null, string | null, string | null, string | null, number, string]
  >(
    `update operations set state = 'done', attempts = attempts + ?, result_id = ?, written = ?, link_before = ?,
       overwritten = ?, last_error = null, updated_at = ?
     where key = ?`
  )
  const failed = client.prepare<[string, number, string, number, string]>(
    "update operations set state = ?, attempts = attempts + ?, last_error = ?, updated_at = ? where key = ?"
  )
  const rolledBack = client.prepare<[number, string]>(
    "update operations set state = 'rolledBack', updated_at = ? where key = ?"
  )
  const insertOutcome = client.prepare<[number, string, string, string | null, string, string, string]>(
    `insert into outcomes (run_id, side, record_id, other_id, operation, outcome, reasons)
     values (?, ?, ?, ?, ?, ?, ?)`
  )
  // In place when the left record is linked already (to this record or, relinked, to another).
  const upsertLink = client.prepare<[string, string, string, string, string | null, string | null]>(
    `insert into links (left_id, right_id, left, right, left_version, right_version) values (?, ?, ?, ?, ?, ?)
     on conflict (left_id) do update set right_id = excluded.right_id, left = excluded.left, right = excluded.right,
       left_version = excluded.left_version, right_version = excluded.right_version`
  )
  const replaceLink = client.prepare<[string, string, string, string, string | null, string | null]>(
    `insert or replace into links (left_id, right_id, left, right, left_version, right_version)
     values (?, ?, ?, ?, ?, ?)`
  )
  const acknowledged = client.prepare<[string, string, string]>(
    `insert into acknowledgements (side, record_id, digest) values (?, ?, ?)
     on conflict (side, record_id) do update set digest = excluded.digest`
  )
  const shownOf = client.prepare<[string, string], ShownRow>(
    `select record_id as recordId, linked_id as linkedId, before, written from shown_links
     where side = ? and record_id = ?`
  )
  const saveShown = client.prepare<[string, string, string, string, string]>(
    `insert into shown_links (side, record_id, linked_id, before, written) values (?, ?, ?, ?, ?)
     on conflict (side, record_id) do update set
       linked_id = excluded.linked_id, before = excluded.before, written = excluded.written`
  )
  const lease = client.prepare<[], { holder: string; epoch: number }>("select holder, epoch from lease where id = 1")
  return {
    /** Who holds the lease under which epoch: what every write of a fenced instance reads first. */
    lease: () => lease.get(),
    /** Keeps what a side was last told about a record (a run tells thousands at once, one statement each). */
    acknowledged: (side: string, recordId: string, digest: string) => acknowledged.run(side, recordId, digest),
    shownOf: (side: string, recordId: string) => shownOf.get(side, recordId),
    saveShown: (side: string, row: ShownRow) =>
      saveShown.run(side, row.recordId, row.linkedId, row.before, row.written),
    /**
     * Records an operation of a new run and returns its row: a new key is inserted; a key recorded before but not
     * settled moves to this run (an `attempted` one keeps its state and provisional id, so the dispatcher still asks
     * whether it landed); a settled one is left as it is (and no row is returned).
     */
    enqueue: (row: { key: string; runId: number; seq: number; operation: string; now: number }) =>
      enqueue.get(row.key, row.runId, row.seq, row.operation, row.now),
    operationsOfRun: db
      .select()
      .from(operations)
      .where(eq(operations.runId, sql.placeholder("runId")))
      .orderBy(asc(operations.seq))
      .prepare(),
    attempted: (key: string, now: number) => attempted.run(now, key),
    provisional: (key: string, now: number, provisionalId: string) => provisional.run(provisionalId, now, key),
    completed: (row: {
      key: string
      now: number
      attempts: number
      resultId: string | null
      written: string | null
      linkBefore: string | null
      overwritten: string | null
    }) => completed.run(row.attempts, row.resultId, row.written, row.linkBefore, row.overwritten, row.now, row.key),
    failed: (key: string, now: number, state: string, error: string, attempts: number) =>
      failed.run(state, attempts, error, now, key),
    rolledBack: (key: string, now: number) => rolledBack.run(now, key),
    insertOutcome: (row: {
      runId: number
      side: string
      recordId: string
      otherId: string | null
      operation: string
      outcome: string
      reasons: string
    }) => insertOutcome.run(row.runId, row.side, row.recordId, row.otherId, row.operation, row.outcome, row.reasons),
    /**
     * Saves a pair's link state in one statement: a new link is inserted, the left record's link updated in place
     * (cheaper than a replace, which rewrites the indexes). Only when the right record is linked to another left one
     * does the unique index refuse it; then REPLACE drops every link of either record first (a record is linked to at
     * most one record of the other side).
     */
    saveLink: (row: StoreRows.LinkRow) => {
      const values = [row.leftId, row.rightId, row.left, row.right, row.leftVersion, row.rightVersion] as const
      try {
        upsertLink.run(...values)
      } catch (error) {
        if (!(error instanceof Database.SqliteError && error.code === "SQLITE_CONSTRAINT_UNIQUE")) throw error
        replaceLink.run(...values)
      }
    }
  }
}

const cache = new WeakMap<Db, ReturnType<typeof make>>()

export const prepared = (db: Db): ReturnType<typeof make> => {
  let statements = cache.get(db)
  if (statements === undefined) {
    statements = make(db)
    cache.set(db, statements)
  }
  return statements
}
