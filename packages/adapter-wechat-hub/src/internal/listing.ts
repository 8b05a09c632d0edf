/**
 * Listing hub customers: keyset pages by id (each page one statement, no read transaction held while the stream
 * waits), incremental by a watermark. The last entry of a listing carries the next watermark: the time the listing
 * started, less `lookbackMs`. An interrupted listing persists no new watermark, so the next run starts over from the
 * old one (rows are listed again, never missed).
 */
import type { ListRequest } from "@tongbu/core"
import { ListEntry } from "@tongbu/core"
import { Chunk, Clock, Effect, Option, Stream } from "effect"
import type { HubRow } from "../HubRecord.js"
import { toSideRecord } from "../HubRecord.js"
import type { HubConnection } from "./connection.js"
import type { HubQueries } from "./queries.js"
import { SYNC_USER } from "./writes.js"

/** The checkpoint is an ISO instant: list what may have changed at or after it. Unreadable → a full listing. */
export const watermarkOf = (since: Option.Option<string>): Effect.Effect<Option.Option<number>> =>
  Option.match(since, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (checkpoint) => {
      const ms = Date.parse(checkpoint)
      return Number.isNaN(ms)
        ? Effect.as(
            Effect.logWarning(`unreadable hub checkpoint ${JSON.stringify(checkpoint)}: listing everything`),
            Option.none()
          )
        : Effect.succeed(Option.some(ms))
    }
  })

/** The checkpoint a listing starting now hands on. */
export const nextCheckpoint = (conn: HubConnection): Effect.Effect<string> =>
  Effect.map(Clock.currentTimeMillis, (now) => new Date(now - conn.options.lookbackMs).toISOString())

/** `self` with its last element passed through `mark` (one element is held back to know which is last). */
export const markLast = <A, Err, R>(self: Stream.Stream<A, Err, R>, mark: (a: A) => A): Stream.Stream<A, Err, R> =>
  Stream.zipWithNext(self).pipe(Stream.map(([a, next]) => (Option.isNone(next) ? mark(a) : a)))

/**
 * A row the intake inserted that no run has reported on yet (no sync action, no ERP id): the core journals it with
 * the first run that lists it, whose rollback then removes it. Kept in the row itself, so a run that stopped before
 * its plan was recorded leaves it to the next run.
 */
const takenIn = (row: HubRow): boolean =>
  row.created_by === SYNC_USER && row.erp_sync_action === null && row.erp_customer_id === null

/** Creates the pending rows of promoted WeChat contacts (see `queries.intake`), in one short transaction. */
export const intake = (conn: HubConnection, queries: HubQueries) =>
  Effect.gen(function* () {
    const now = yield* conn.stamp
    const created = yield* conn.attempt("intake of promoted WeChat contacts", () =>
      conn.sqlite.transaction(() => queries.intake.run({ now }).changes).immediate()
    )
    if (created > 0)
      yield* Effect.logInfo(`hub intake: ${created} promoted WeChat contacts became pending hub customers`)
    return created
  })

export const list = (conn: HubConnection, queries: HubQueries, request: ListRequest) =>
  Stream.unwrap(
    Effect.gen(function* () {
      if (conn.options.intake) yield* intake(conn, queries)
      const since = yield* watermarkOf(request.since)
      const checkpoint = yield* nextCheckpoint(conn)
      const size = conn.options.pageSize
      const fetch = (after: number) =>
        Option.match(since, {
          onNone: () => queries.page.all(after, size),
          onSome: (watermark) => queries.changedPage.all(after, watermark, size)
        })
      const pages = Stream.paginateChunkEffect(0, (after: number) =>
        conn
          .attempt("listing of hub customers", () => fetch(after))
          .pipe(
            Effect.map((rows) => {
              const entries = rows.map((row) => {
                const record = toSideRecord(row, conn.time)
                return new ListEntry(
                  { id: record.id, version: record.version, record, ...(takenIn(row) ? { intake: true } : {}) },
                  { disableValidation: true }
                )
              })
              const last = rows[rows.length - 1]
              return [
                Chunk.unsafeFromArray(entries),
                rows.length < size || last === undefined ? Option.none() : Option.some(last.id)
              ] as const
            })
          )
      )
      return markLast(pages, (entry) => new ListEntry({ ...entry, checkpoint }, { disableValidation: true }))
    })
  )
