/** The adapter's read statements, prepared once per connection. Each runs on its own: no read transaction is held. */
import type Database from "better-sqlite3"
import type { HubRow } from "../HubRecord.js"
import { requiredColumns } from "../HubSchema.js"

const customerColumns = requiredColumns.customers_unified.map((column) => `cu."${column}"`).join(", ")

/** The contact's latest thread (by last message), and that thread's latest signal (signals are inserted as scored). */
const ENRICHMENT_JOINS = `
  LEFT JOIN contacts c ON c.wx_id = cu.wechat_id
  LEFT JOIN threads t ON t.id = (
    SELECT t2.id FROM threads t2 WHERE t2.contact_id = c.id
    ORDER BY tongbu_epoch(t2.last_msg_at) DESC, t2.rowid DESC LIMIT 1)
  LEFT JOIN signals s ON s.id = (
    SELECT s2.id FROM signals s2 WHERE s2.thread_id = t.id ORDER BY s2.rowid DESC LIMIT 1)`

const ENRICHED_CUSTOMERS = `
  SELECT ${customerColumns},
    c.type AS contact_type, c.updated_at AS contact_updated_at,
    t.id AS thread_id, t.bucket AS thread_bucket, t.topic AS thread_topic,
    t.last_msg_at AS thread_last_msg_at, t.updated_at AS thread_updated_at,
    s.total_score AS signal_score, s.created_at AS signal_created_at
  FROM customers_unified cu ${ENRICHMENT_JOINS}`

export interface EventRow {
  readonly id: number
  /** Set once the customer is linked; content of a customer not linked yet is emitted whatever the watermark. */
  readonly erp_customer_id: unknown
  readonly last_message_content: unknown
  readonly last_contact_time: unknown
  readonly updated_at: unknown
  readonly thread_id: string | null
  readonly thread_topic: unknown
  readonly thread_last_msg_at: unknown
  readonly thread_updated_at: unknown
}

export interface IntakeParams {
  readonly now: string
}

export const prepareQueries = (sqlite: Database.Database) => ({
  /** A page of customers after `after` (keyset by id). */
  page: sqlite.prepare<[after: number, limit: number], HubRow>(
    `${ENRICHED_CUSTOMERS} WHERE cu.id > ? ORDER BY cu.id LIMIT ?`
  ),
  /** A page of customers after `after` that may have changed (row or enrichment) at or after `watermark` (epoch ms). */
  changedPage: sqlite.prepare<[after: number, watermark: number, limit: number], HubRow>(
    `${ENRICHED_CUSTOMERS}
     WHERE cu.id > ?
       AND tongbu_changed_since(?, cu.updated_at, c.updated_at, t.updated_at, t.last_msg_at, s.created_at)
     ORDER BY cu.id LIMIT ?`
  ),
  one: sqlite.prepare<[id: number], HubRow>(`${ENRICHED_CUSTOMERS} WHERE cu.id = ?`),
  /** Linked customers after `after` with every thread of their contact: the follow-up source. */
  eventPage: sqlite.prepare<[after: number, limit: number], EventRow>(`
    WITH page AS (
      SELECT id, wechat_id, erp_customer_id, last_message_content, last_contact_time, updated_at FROM customers_unified
      WHERE id > ? ORDER BY id LIMIT ?)
    SELECT page.id AS id, page.erp_customer_id AS erp_customer_id, page.last_message_content AS last_message_content,
      page.last_contact_time AS last_contact_time, page.updated_at AS updated_at,
      t.id AS thread_id, t.topic AS thread_topic, t.last_msg_at AS thread_last_msg_at, t.updated_at AS thread_updated_at
    FROM page
      LEFT JOIN contacts c ON c.wx_id = page.wechat_id
      LEFT JOIN threads t ON t.contact_id = c.id
    ORDER BY page.id, t.id`),
  /**
   * Intake: a pending row for each WeChat contact the hub promoted to a customer (type `customer`, or its latest thread
   * in the WHITE bucket) that has no row yet. `intent_score` stays 0 so the admission score follows the contact's
   * latest signal until the hub scores the customer itself.
   */
  intake: sqlite.prepare<IntakeParams>(`
    INSERT INTO customers_unified
      (wechat_id, wechat_remark, erp_sync_status, created_at, updated_at, created_by, updated_by)
    SELECT c.wx_id, NULLIF(trim(c.remark), ''), 'pending', @now, @now, 'tongbu', 'tongbu'
    FROM contacts c
      LEFT JOIN threads t ON t.id = (
        SELECT t2.id FROM threads t2 WHERE t2.contact_id = c.id
        ORDER BY tongbu_epoch(t2.last_msg_at) DESC, t2.rowid DESC LIMIT 1)
    WHERE trim(c.wx_id) <> ''
      AND (lower(trim(c.type)) = 'customer' OR upper(trim(t.bucket)) = 'WHITE')
      AND NOT EXISTS (SELECT 1 FROM customers_unified cu WHERE cu.wechat_id = c.wx_id)
    ORDER BY c.rowid`)
})

export type HubQueries = ReturnType<typeof prepareQueries>
