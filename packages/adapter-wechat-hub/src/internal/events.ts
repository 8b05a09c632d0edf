/**
 * The follow-up source: conversation content of every customer — each thread's summary (`threads.topic`) and the
 * customer's last message — as `followUp` events. The key names the content itself, so the same summary is one event
 * however often it is seen, and a new summary is a new event. A customer linked to the ERP (`erp_customer_id` set)
 * gives only content newer than the watermark; one not linked yet gives all its content every run, so a customer the
 * run creates gets its follow-ups in that run, and content of one still waiting for its link is not passed by the
 * checkpoint (the planner writes each key at most once, ever).
 */
import { createHash } from "node:crypto"
import type { ListRequest, SideEvent } from "@tongbu/core"
import { RecordId } from "@tongbu/core"
import { Chunk, Effect, Option, Stream } from "effect"
import type { HubTimeOptions } from "../HubTime.js"
import { latestPossibleEpoch, parseHubTimestamp } from "../HubTime.js"
import { cleanText } from "../Normalize.js"
import type { HubConnection } from "./connection.js"
import { markLast, nextCheckpoint, watermarkOf } from "./listing.js"
import type { EventRow, HubQueries } from "./queries.js"

export const FOLLOW_UP = "followUp"

const digest = (text: string): string => createHash("sha1").update(text).digest("hex").slice(0, 12)

const isoOf = (stamp: unknown, time: HubTimeOptions): string | null =>
  Option.match(parseHubTimestamp(stamp, time), { onNone: () => null, onSome: (ms) => new Date(ms).toISOString() })

/**
 * The follow-up events of one page of rows; with a watermark, a linked customer's content only when its stamps may be
 * at or after it.
 */
export const toEvents = (
  rows: ReadonlyArray<EventRow>,
  since: Option.Option<number>,
  time: HubTimeOptions
): ReadonlyArray<SideEvent> => {
  const recent = (row: EventRow, ...stamps: ReadonlyArray<unknown>) =>
    row.erp_customer_id === null ||
    row.erp_customer_id === undefined ||
    Option.match(since, {
      onNone: () => true,
      onSome: (watermark) =>
        stamps.some((stamp) => {
          if (stamp === null || stamp === undefined) return false
          const ms = latestPossibleEpoch(stamp, time.zone)
          return ms === undefined || ms >= watermark
        })
    })
  const events: Array<SideEvent> = []
  const seen = new Set<number>()
  for (const row of rows) {
    // a row id made a string needs no check (the brand's check costs µs an event row)
    const id = RecordId.make(String(row.id), true)
    const topic = cleanText(row.thread_topic)
    if (row.thread_id !== null && topic !== null && recent(row, row.thread_updated_at, row.thread_last_msg_at)) {
      events.push({
        key: `thread:${row.thread_id}:${digest(topic)}`,
        id,
        kind: FOLLOW_UP,
        payload: { text: topic, at: isoOf(row.thread_last_msg_at, time), source: "thread" }
      })
    }
    if (seen.has(row.id)) continue
    seen.add(row.id)
    const message = cleanText(row.last_message_content)
    // The message's own time is when it was last seen; the row's updated_at moves with any write to the row, the
    // sync's own among them, so it stands in only without one (else withheld history would come back as new).
    const messageTime = row.last_contact_time ?? row.updated_at
    if (message !== null && recent(row, messageTime)) {
      const at = isoOf(row.last_contact_time, time)
      events.push({
        key: `message:${row.id}:${digest(`${at ?? ""}\n${message}`)}`,
        id,
        kind: FOLLOW_UP,
        payload: { text: message, at, source: "message" }
      })
    }
  }
  return events
}

export const events = (conn: HubConnection, queries: HubQueries, request: ListRequest) =>
  Stream.unwrap(
    Effect.gen(function* () {
      const since = yield* watermarkOf(request.since)
      const checkpoint = yield* nextCheckpoint(conn)
      const size = conn.options.pageSize
      const pages = Stream.paginateChunkEffect(0, (after: number) =>
        conn
          .attempt("reading hub conversations", () => queries.eventPage.all(after, size))
          .pipe(
            Effect.map((rows) => {
              const customers = new Set(rows.map((row) => row.id))
              const last = rows[rows.length - 1]
              return [
                Chunk.fromIterable(toEvents(rows, since, conn.time)),
                customers.size < size || last === undefined ? Option.none() : Option.some(last.id)
              ] as const
            })
          )
      )
      return markLast(pages, (event): SideEvent => ({ ...event, checkpoint }))
    })
  )
