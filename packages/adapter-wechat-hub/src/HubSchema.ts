/**
 * The hub's own tables, exactly as the Python hub declares them (names, declared SQL types, defaults, keys, indexes):
 * the one declaration of the hub's columns. The fixture generator's DDL is written from it and the start-up check's
 * required columns are taken from it. The adapter never creates or alters the tables.
 */
import { sql } from "drizzle-orm"
import { customType, getTableConfig, index, integer, sqliteTable } from "drizzle-orm/sqlite-core"
import { customerColumns } from "./HubRecord.js"

const varchar = customType<{ data: string; driverData: string; config: { length: number } }>({
  dataType: (config) => (config === undefined ? "VARCHAR" : `VARCHAR(${config.length})`)
})
/** SQLAlchemy's `Boolean`: stored as 0/1. */
const boolean = customType<{ data: boolean; driverData: number }>({
  dataType: () => "BOOLEAN",
  toDriver: (value) => (value ? 1 : 0),
  fromDriver: (value) => Number(value) === 1
})
/** Stored as text: naive local time from Python, or UTC from SQLite's `CURRENT_TIMESTAMP` (see `HubTime`). */
const datetime = customType<{ data: string; driverData: string }>({ dataType: () => "DATETIME" })
const float = customType<{ data: number; driverData: number }>({ dataType: () => "FLOAT" })
const textType = customType<{ data: string; driverData: string }>({ dataType: () => "TEXT" })

const source = (name: string) => varchar(name, { length: 20 }).default("unknown")
/** A row stamp SQLite fills when the writer gives none (UTC, see `HubTime`). */
const stamped = (name: string) => datetime(name).default(sql`CURRENT_TIMESTAMP`)

const customersUnifiedColumns = {
  id: integer("id").primaryKey({ autoIncrement: true }),
  erp_customer_id: integer("erp_customer_id").unique(),
  erp_customer_code: varchar("erp_customer_code", { length: 50 }),
  wechat_id: varchar("wechat_id", { length: 100 }).unique(),

  company_name: varchar("company_name", { length: 200 }),
  company_name_source: source("company_name_source"),
  company_name_verified: boolean("company_name_verified").default(false),
  company_name_verified_at: datetime("company_name_verified_at"),
  real_name: varchar("real_name", { length: 100 }),
  real_name_source: source("real_name_source"),
  phone: varchar("phone", { length: 20 }),
  phone_source: source("phone_source"),
  phone_verified: boolean("phone_verified").default(false),
  phone_verified_at: datetime("phone_verified_at"),
  email: varchar("email", { length: 100 }),
  email_source: source("email_source"),
  email_verified: boolean("email_verified").default(false),
  address: textType("address"),
  address_source: source("address_source"),

  wechat_nickname: varchar("wechat_nickname", { length: 200 }),
  wechat_avatar: varchar("wechat_avatar", { length: 500 }),
  wechat_remark: varchar("wechat_remark", { length: 200 }),

  erp_customer_type: integer("erp_customer_type").default(1),
  erp_customer_category: varchar("erp_customer_category", { length: 100 }),
  erp_follow_level: varchar("erp_follow_level", { length: 50 }),
  erp_source: varchar("erp_source", { length: 50 }),
  erp_value_assessment: varchar("erp_value_assessment", { length: 50 }),
  erp_industry: varchar("erp_industry", { length: 50 }),
  erp_region: varchar("erp_region", { length: 50 }),

  extracted_company_info: textType("extracted_company_info"),
  extracted_product_interest: textType("extracted_product_interest"),
  extracted_needs: textType("extracted_needs"),
  business_license_info: textType("business_license_info"),
  business_license_path: varchar("business_license_path", { length: 500 }),
  business_license_verified: boolean("business_license_verified").default(false),

  intent_score: float("intent_score").default(0),
  intent_level: varchar("intent_level", { length: 20 }),
  intent_signals: textType("intent_signals"),
  intent_updated_at: datetime("intent_updated_at"),
  message_count: integer("message_count").default(0),
  conversation_days: integer("conversation_days").default(0),
  first_contact_time: datetime("first_contact_time"),
  last_contact_time: datetime("last_contact_time"),
  last_message_content: textType("last_message_content"),

  has_order: boolean("has_order").default(false),
  has_contract: boolean("has_contract").default(false),
  has_payment: boolean("has_payment").default(false),
  marked_as_important: boolean("marked_as_important").default(false),
  marked_as_invalid: boolean("marked_as_invalid").default(false),
  has_quote_request: boolean("has_quote_request").default(false),

  data_quality_score: float("data_quality_score").default(0),
  data_completeness: float("data_completeness").default(0),
  quality_issues: textType("quality_issues"),

  erp_sync_status: varchar("erp_sync_status", { length: 20 }).default("pending"),
  erp_sync_action: varchar("erp_sync_action", { length: 20 }),
  erp_sync_rule: varchar("erp_sync_rule", { length: 100 }),
  erp_sync_confidence: float("erp_sync_confidence"),
  erp_sync_error: textType("erp_sync_error"),
  erp_last_pulled: datetime("erp_last_pulled"),
  erp_last_pushed: datetime("erp_last_pushed"),
  local_updated_at: datetime("local_updated_at"),
  erp_updated_at: datetime("erp_updated_at"),

  created_at: stamped("created_at"),
  updated_at: stamped("updated_at"),
  created_by: varchar("created_by", { length: 100 }),
  updated_by: varchar("updated_by", { length: 100 }).default("system")
}

export const customersUnified = sqliteTable("customers_unified", customersUnifiedColumns, (table) => [
  index("ix_customers_unified_erp_customer_id").on(table.erp_customer_id),
  index("ix_customers_unified_wechat_id").on(table.wechat_id),
  index("ix_customers_unified_phone").on(table.phone),
  index("ix_customers_unified_erp_sync_status").on(table.erp_sync_status),
  index("ix_customers_unified_data_quality_score").on(table.data_quality_score),
  index("ix_customers_unified_intent_score").on(table.intent_score)
])

export const contacts = sqliteTable("contacts", {
  id: textType("id").primaryKey(),
  wx_id: textType("wx_id").notNull().unique(),
  remark: textType("remark"),
  k_code: textType("k_code"),
  source: textType("source").notNull().default("wechat"),
  type: textType("type").notNull().default("unknown"),
  confidence: integer("confidence").notNull().default(0),
  owner: textType("owner"),
  created_at: stamped("created_at"),
  updated_at: stamped("updated_at")
})

export const threads = sqliteTable(
  "threads",
  {
    id: textType("id").primaryKey(),
    contact_id: textType("contact_id")
      .notNull()
      .references(() => contacts.id),
    last_speaker: textType("last_speaker").notNull(),
    last_msg_at: datetime("last_msg_at").notNull(),
    status: textType("status").notNull(),
    bucket: textType("bucket").notNull(),
    sla_at: datetime("sla_at"),
    snooze_at: datetime("snooze_at"),
    follow_up_at: datetime("follow_up_at"),
    topic: textType("topic"),
    created_at: stamped("created_at"),
    updated_at: stamped("updated_at")
  },
  (table) => [index("idx_threads_contact_id").on(table.contact_id)]
)

export const signals = sqliteTable(
  "signals",
  {
    id: textType("id").primaryKey(),
    thread_id: textType("thread_id")
      .notNull()
      .references(() => threads.id),
    keyword_hits: textType("keyword_hits"),
    file_types: textType("file_types"),
    worktime_score: integer("worktime_score"),
    kb_match_score: integer("kb_match_score"),
    total_score: integer("total_score").notNull().default(0),
    bucket: textType("bucket").notNull(),
    created_at: stamped("created_at")
  },
  (table) => [index("idx_signals_thread_id").on(table.thread_id)]
)

export type CustomerRow = typeof customersUnified.$inferSelect
export type ContactRow = typeof contacts.$inferSelect
export type ThreadRow = typeof threads.$inferSelect
export type SignalRow = typeof signals.$inferSelect

/** The business columns that carry a `<column>_source` provenance column. */
export const provenanceColumns = ["company_name", "real_name", "phone", "email", "address"] as const

/** Columns of `customers_unified` the adapter reads or writes beyond a record's fields: its key, sync state, stamps. */
const bookkeepingColumns = [
  "id",
  "last_contact_time",
  "last_message_content",
  "erp_sync_action",
  "erp_last_pulled",
  "erp_last_pushed",
  "created_at",
  "updated_at",
  "created_by",
  "updated_by"
]

const customerColumnsUsed: ReadonlySet<string> = new Set([
  ...bookkeepingColumns,
  ...Object.keys(customerColumns),
  ...provenanceColumns.map((column) => `${column}_source`)
])

/**
 * Every column the adapter reads or writes, by table (`customers_unified`'s in the table's order, which record
 * versions hash): what the start-up check demands of a hub file. Columns the
 * adapter never touches (avatars, AI extractions, quality scores) may be absent.
 */
export const requiredColumns = {
  customers_unified: getTableConfig(customersUnified)
    .columns.map((column) => column.name)
    .filter((name) => customerColumnsUsed.has(name)),
  contacts: ["id", "wx_id", "remark", "type", "updated_at"],
  threads: ["id", "contact_id", "last_msg_at", "bucket", "topic", "updated_at"],
  signals: ["id", "thread_id", "total_score", "created_at"]
} as const satisfies Record<string, ReadonlyArray<string>>
