import type { AnyPgColumn } from "drizzle-orm/pg-core"
import {
  bigint,
  bigserial,
  boolean,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  unique
} from "drizzle-orm/pg-core"

// One database holds many pairs: every row carries its pair's id, and every key starts with it. JSON columns hold
// Schema-encoded values as text, decoded (and checked) by Schema on read, as in the SQLite store. Times are epoch
// milliseconds from the Effect Clock, as the SQLite store keeps them.

const millis = (name: string) => bigint(name, { mode: "number" })

/** One row per linked pair of records; the baselines are canonical field values as JSON. */
export const links = pgTable(
  "links",
  {
    pairId: text("pair_id").notNull(),
    leftId: text("left_id").notNull(),
    rightId: text("right_id").notNull(),
    left: text("left").notNull(),
    right: text("right").notNull(),
    leftVersion: text("left_version"),
    rightVersion: text("right_version")
  },
  (t) => [primaryKey({ columns: [t.pairId, t.leftId] }), unique("links_right").on(t.pairId, t.rightId)]
)

/**
 * A run's id is its pair's: new runs draw from one sequence, but a pair migrated from another store keeps the ids its
 * history and rollbacks know (`importState`), so ids are unique per pair, not across pairs.
 */
export const runs = pgTable(
  "runs",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    pairId: text("pair_id").notNull(),
    kind: text("kind").notNull(),
    status: text("status").notNull(),
    direction: text("direction").notNull(),
    dryRun: boolean("dry_run").notNull(),
    full: boolean("full").notNull(),
    target: text("target"),
    startedAt: millis("started_at").notNull(),
    finishedAt: millis("finished_at"),
    counts: text("counts").notNull(),
    error: text("error"),
    warnings: text("warnings")
  },
  (t) => [primaryKey({ columns: [t.pairId, t.id] })]
)

const ofRun = (t: { pairId: AnyPgColumn; runId: AnyPgColumn }, name: string) =>
  foreignKey({ name, columns: [t.pairId, t.runId], foreignColumns: [runs.pairId, runs.id] })

/**
 * The outbox and the journal in one table: an operation's row follows it from planned to done (or rolled back). Its id
 * (what `actions resolve` takes) is its pair's, as a run's is.
 */
export const operations = pgTable(
  "operations",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    pairId: text("pair_id").notNull(),
    key: text("key").notNull(),
    runId: bigint("run_id", { mode: "number" }).notNull(),
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
    updatedAt: millis("updated_at").notNull()
  },
  (t) => [
    primaryKey({ columns: [t.pairId, t.id] }),
    ofRun(t, "operations_run_fk"),
    unique("operations_key").on(t.pairId, t.key),
    index("operations_run").on(t.runId, t.seq),
    index("operations_state").on(t.pairId, t.state)
  ]
)

export const outcomes = pgTable(
  "outcomes",
  {
    id: bigserial("id", { mode: "number" }).notNull(),
    pairId: text("pair_id").notNull(),
    runId: bigint("run_id", { mode: "number" }).notNull(),
    side: text("side").notNull(),
    recordId: text("record_id").notNull(),
    otherId: text("other_id"),
    operation: text("operation").notNull(),
    outcome: text("outcome").notNull(),
    reasons: text("reasons").notNull()
  },
  (t) => [primaryKey({ columns: [t.pairId, t.id] }), ofRun(t, "outcomes_run_fk"), index("outcomes_run").on(t.runId)]
)

export const conflicts = pgTable(
  "conflicts",
  {
    pairId: text("pair_id").notNull(),
    id: text("id").notNull(),
    runId: bigint("run_id", { mode: "number" }).notNull(),
    leftId: text("left_id").notNull(),
    rightId: text("right_id").notNull(),
    field: text("field").notNull(),
    /** `{ left, right, baseline }` as JSON. */
    values: text("values").notNull(),
    resolution: text("resolution"),
    createdAt: millis("created_at").notNull()
  },
  (t) => [primaryKey({ columns: [t.pairId, t.id] })]
)

export const checkpoints = pgTable(
  "checkpoints",
  {
    pairId: text("pair_id").notNull(),
    name: text("name").notNull(),
    value: text("value").notNull()
  },
  (t) => [primaryKey({ columns: [t.pairId, t.name] })]
)

/**
 * One row per pair once it was ever leased: who works on it, until when, and the epoch that every takeover by another
 * holder raises (what fences the writes of a runner that lost the lease). A release expires the row: the epoch
 * only grows.
 */
export const leases = pgTable("leases", {
  pairId: text("pair_id").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: millis("expires_at").notNull(),
  epoch: bigint("epoch", { mode: "number" }).notNull()
})

/** What each side was last told about each of its records, so a run tells a side only what changed. */
export const acknowledgements = pgTable(
  "acknowledgements",
  {
    pairId: text("pair_id").notNull(),
    side: text("side").notNull(),
    recordId: text("record_id").notNull(),
    digest: text("digest").notNull()
  },
  (t) => [primaryKey({ columns: [t.pairId, t.side, t.recordId] })]
)

/** What a side wrote into a record's own fields to show its link (`LinkShown`): before and written, as JSON. */
export const shownLinks = pgTable(
  "shown_links",
  {
    pairId: text("pair_id").notNull(),
    side: text("side").notNull(),
    recordId: text("record_id").notNull(),
    linkedId: text("linked_id").notNull(),
    before: text("before").notNull(),
    written: text("written").notNull()
  },
  (t) => [primaryKey({ columns: [t.pairId, t.side, t.recordId] })]
)

/** The sync runs whose outcomes a side has not been told yet; only pending rows live here. */
export const untold = pgTable(
  "untold",
  {
    pairId: text("pair_id").notNull(),
    runId: bigint("run_id", { mode: "number" }).notNull(),
    side: text("side").notNull()
  },
  (t) => [primaryKey({ columns: [t.pairId, t.runId, t.side] }), ofRun(t, "untold_run_fk")]
)
