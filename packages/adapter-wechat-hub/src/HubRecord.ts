/**
 * A hub customer as the sync sees it: a `customers_unified` row, normalized, with read-only enrichments from the
 * contact's WeChat data. Native field names are the hub's column names; enrichments have names no column has.
 */
import { createHash } from "node:crypto"
import type { Fields, FieldValue } from "@tongbu/core"
import { RecordId, SideRecord } from "@tongbu/core"
import { Option } from "effect"
import { provenanceColumns } from "./HubSchema.js"
import type { HubTimeOptions } from "./HubTime.js"
import { parseHubTimestamp } from "./HubTime.js"
import type { ColumnKind } from "./Normalize.js"
import { cleanNumber, cleanText, normalizeValue } from "./Normalize.js"

/** The `customers_unified` columns a record carries, with how each is normalized on read. */
export const customerColumns = {
  erp_customer_id: "integer",
  erp_customer_code: "text",
  wechat_id: "text",
  company_name: "text",
  real_name: "text",
  phone: "mobile",
  phone_verified: "flag",
  email: "text",
  address: "text",
  wechat_nickname: "text",
  wechat_remark: "text",
  erp_customer_type: "integer",
  erp_customer_category: "text",
  erp_follow_level: "text",
  erp_source: "text",
  erp_value_assessment: "text",
  erp_industry: "text",
  erp_region: "text",
  intent_score: "real",
  intent_level: "text",
  has_order: "flag",
  has_contract: "flag",
  has_payment: "flag",
  marked_as_important: "flag",
  marked_as_invalid: "flag",
  erp_sync_status: "text",
  erp_sync_error: "text"
} as const satisfies Record<string, ColumnKind>
export type CustomerColumn = keyof typeof customerColumns

/**
 * The virtual writable field holding the customer's name: read as `displayName`, written to `company_name` for a
 * company (`erp_customer_type = 1`, the default) and to `real_name` for a person (`2`).
 */
export const CUSTOMER_NAME = "customer_name"

/** Fields `create` and `update` may write: the rest (scores, flags the hub decides, enrichments) are read-only. */
export const writableFields: ReadonlySet<string> = new Set([
  CUSTOMER_NAME,
  "company_name",
  "real_name",
  "phone",
  "email",
  "address",
  "wechat_id",
  "wechat_nickname",
  "wechat_remark",
  "erp_customer_id",
  "erp_customer_code",
  "erp_customer_type",
  "erp_customer_category",
  "erp_follow_level",
  "erp_source",
  "erp_value_assessment",
  "erp_industry",
  "erp_region",
  "has_order",
  "has_contract",
  "has_payment"
])

/** A read-only field: true when the hub took the row from the ERP itself (`pulledFromErp`). */
export const PULLED_FROM_ERP = "pulled_from_erp"

/**
 * Whether the hub took the row from the ERP itself: every provenance column it filled (`<column>_source`, not
 * `unknown`) says `erp`, as the hub's own pull writes them. A row the hub also filled from WeChat or by hand is its own.
 */
export const pulledFromErp = (row: { readonly [column: string]: unknown }): boolean => {
  let filled = false
  for (const column of provenanceColumns) {
    const source = cleanText(row[`${column}_source`])
    if (source === null || source === "unknown") continue
    if (source !== "erp") return false
    filled = true
  }
  return filled
}

/** Read-only fields derived from the contact, its latest thread and that thread's latest signal. */
export const derivedFields = [
  PULLED_FROM_ERP,
  "contact_type",
  "thread_bucket",
  "thread_topic",
  "last_message_at",
  "signal_score",
  "score"
] as const

/** The normalizer of a native field (the virtual name is text). */
export const fieldKind = (field: string): ColumnKind | undefined =>
  field === CUSTOMER_NAME ? "text" : (customerColumns as Record<string, ColumnKind>)[field]

const isPerson = (type: FieldValue | undefined): boolean => type === 2

/** The column `customer_name` is written to, for a customer of this `erp_customer_type`. */
export const customerNameColumn = (type: FieldValue | undefined): "company_name" | "real_name" =>
  isPerson(type) ? "real_name" : "company_name"

/** The customer's name: the company name of a company (else the person's name), the person's name of a person. */
export const displayNameOf = (fields: Fields): FieldValue => {
  const company = fields.company_name ?? null
  const person = fields.real_name ?? null
  return isPerson(fields.erp_customer_type) ? (person ?? company) : (company ?? person)
}

/** `displayNameOf` for a record: the read side of the canonical `name` mapping (`{ read: displayName }`). */
export const displayName = (record: SideRecord): FieldValue => displayNameOf(record.fields)

/** The admission score (sync-rules §2): `intent_score`, or the latest signal total when `intent_score` is 0. */
export const admissionScore = (intentScore: FieldValue | undefined, signalScore: FieldValue | undefined): number => {
  const intent = typeof intentScore === "number" ? intentScore : 0
  if (intent > 0) return intent
  return typeof signalScore === "number" ? signalScore : 0
}

/** What the listing query returns per customer: the row's columns plus the enrichment columns. */
export interface HubRow {
  readonly id: number
  readonly updated_at: unknown
  readonly contact_type: unknown
  readonly thread_bucket: unknown
  readonly thread_topic: unknown
  readonly thread_last_msg_at: unknown
  readonly signal_score: unknown
  readonly [column: string]: unknown
}

/** Changes whenever anything the row or its enrichment returned changes (a new signal, a thread update). */
export const rowVersion = (row: HubRow): string => {
  let text = ""
  for (const column in row) {
    const value = row[column]
    text += value === null ? "\u0000\u0001" : `${String(value)}\u0001`
  }
  return createHash("sha1").update(text).digest("hex").slice(0, 16)
}

// built once: a listing reads every column of thousands of rows
const columnKinds = Object.entries(customerColumns)

export const toSideRecord = (row: HubRow, time: HubTimeOptions): SideRecord => {
  const fields: Record<string, FieldValue> = {}
  for (const [column, kind] of columnKinds) fields[column] = normalizeValue(kind, row[column])
  fields[CUSTOMER_NAME] = displayNameOf(fields)
  fields[PULLED_FROM_ERP] = pulledFromErp(row)
  fields.contact_type = cleanText(row.contact_type)
  fields.thread_bucket = cleanText(row.thread_bucket)
  fields.thread_topic = cleanText(row.thread_topic)
  fields.last_message_at = Option.match(parseHubTimestamp(row.thread_last_msg_at, time), {
    onNone: () => null,
    onSome: (ms) => new Date(ms).toISOString()
  })
  const signal = cleanNumber(row.signal_score)
  fields.signal_score = typeof signal === "number" ? signal : null
  fields.score = admissionScore(fields.intent_score, fields.signal_score)
  return new SideRecord(
    {
      // a row id made a string needs no check (the brand's check costs µs a row, per listing)
      id: RecordId.make(String(row.id), true),
      fields,
      version: rowVersion(row),
      updatedAt: Option.getOrUndefined(parseHubTimestamp(row.updated_at, time))
    },
    { disableValidation: true }
  )
}
