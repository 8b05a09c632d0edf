import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core"

// JSON columns hold Schema-encoded values as plain text: they are decoded (and checked) by Schema on read, not by
// drizzle, so a row written by another version fails loudly with its row named.

/** One row per linked pair; the baselines are canonical field values as JSON. */
export const links = sqliteTable("links", {
  leftId: text("left_id").primaryKey(),
  rightId: text("right_id").notNull().unique(),
  left: text("left").notNull(),
  right: text("right").notNull(),
  leftVersion: text("left_version"),
  rightVersion: text("right_version")
})

export const runs = sqliteTable("runs", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  kind: text("kind").notNull(),
  status: text("status").notNull(),
  direction: text("direction").notNull(),
  dryRun: integer("dry_run", { mode: "boolean" }).notNull(),
  full: integer("full", { mode: "boolean" }).notNull(),
  target: text("target"),
  startedAt: integer("started_at").notNull(),
  finishedAt: integer("finished_at"),
  counts: text("counts").notNull(),
  error: text("error"),
  /** The run's warnings as JSON (`RunWarning[]`); null for a run recorded before they were kept, or without any. */
  warnings: text("warnings")
})

/** The outbox and the journal in one table: an operation's row follows it from planned to done (or rolled back). */
export const operations = sqliteTable(
  "operations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull().unique(),
    runId: integer("run_id")
      .notNull()
      .references(() => runs.id),
    seq: integer("seq").notNull(),
    operation: text("operation").notNull(),
    state: text("state").notNull(),
    attempts: integer("attempts").notNull(),
    provisionalId: text("provisional_id"),
    resultId: text("result_id"),
    written: text("written"),
    linkBefore: text("link_before"),
    overwritten: text("overwritten"),
    lastError: text("last_error"),
    updatedAt: integer("updated_at").notNull()
  },
  (t) => [index("operations_run").on(t.runId, t.seq), index("operations_state").on(t.state)]
)

export const outcomes = sqliteTable(
  "outcomes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: integer("run_id")
      .notNull()
      .references(() => runs.id),
    side: text("side").notNull(),
    recordId: text("record_id").notNull(),
    otherId: text("other_id"),
    operation: text("operation").notNull(),
    outcome: text("outcome").notNull(),
    reasons: text("reasons").notNull()
  },
  (t) => [index("outcomes_run").on(t.runId)]
)

export const conflicts = sqliteTable("conflicts", {
  id: text("id").primaryKey(),
  runId: integer("run_id").notNull(),
  leftId: text("left_id").notNull(),
  rightId: text("right_id").notNull(),
  field: text("field").notNull(),
  /** `{ left, right, baseline }` as JSON. */
  values: text("values").notNull(),
  resolution: text("resolution"),
  createdAt: integer("created_at").notNull()
})

export const checkpoints = sqliteTable("checkpoints", {
  name: text("name").primaryKey(),
  value: text("value").notNull()
})

/**
 * At most one row: who works on this store, until when, and the fencing epoch, raised each time another holder takes
 * the lease over (the row outlives a release, so the epoch only grows).
 */
export const lease = sqliteTable("lease", {
  id: integer("id").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: integer("expires_at").notNull(),
  epoch: integer("epoch").notNull().default(0)
})

/** What each side was last told about each of its records, so a run tells a side only what changed. */
export const acknowledgements = sqliteTable(
  "acknowledgements",
  {
    side: text("side").notNull(),
    recordId: text("record_id").notNull(),
    digest: text("digest").notNull()
  },
  (t) => [primaryKey({ columns: [t.side, t.recordId] })]
)

/** What a side wrote into a record's own fields to show its link (`LinkShown`): before and written, as JSON. */
export const shownLinks = sqliteTable(
  "shown_links",
  {
    side: text("side").notNull(),
    recordId: text("record_id").notNull(),
    linkedId: text("linked_id").notNull(),
    before: text("before").notNull(),
    written: text("written").notNull()
  },
  (t) => [primaryKey({ columns: [t.side, t.recordId] })]
)

/**
 * The sync runs whose outcomes a side has not been told yet: written with the run (and again for a run whose
 * operations a later run finishes), removed once the side accepted them. Only pending rows live here, so the query
 * every run makes stays small however many runs the store holds.
 */
export const untold = sqliteTable(
  "untold",
  {
    runId: integer("run_id")
      .notNull()
      .references(() => runs.id),
    side: text("side").notNull()
  },
  (t) => [primaryKey({ columns: [t.runId, t.side] })]
)
