/** The open hub connection and how every statement runs on it: retried while the file is busy, errors typed. */
import type { AdapterError } from "@tongbu/core"
import { CollisionError, FatalError, isAdapterError, RejectedError, TransientError } from "@tongbu/core"
import type Database from "better-sqlite3"
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3"
import { drizzle } from "drizzle-orm/better-sqlite3"
import { Clock, Duration, Effect, Schedule } from "effect"
import type { HubOptions } from "../HubConfig.js"
import type { HubTimeOptions } from "../HubTime.js"
import { formatHubTimestamp, latestPossibleEpoch, parseHubTimestamp } from "../HubTime.js"

export interface HubConnection {
  readonly sqlite: Database.Database
  readonly db: BetterSQLite3Database
  readonly options: HubOptions
  readonly time: HubTimeOptions
  /** Runs one statement or one short transaction; `SQLITE_BUSY` is retried with backoff, then a `TransientError`. */
  readonly attempt: <A>(what: string, run: () => A) => Effect.Effect<A, AdapterError>
  /** Now, as the hub's Python writes timestamps. */
  readonly stamp: Effect.Effect<string>
}

const sqliteCode = (cause: unknown): string =>
  typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string" ? cause.code : ""

const isBusy = (cause: unknown): boolean => /^SQLITE_(BUSY|LOCKED)/.test(sqliteCode(cause))

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** A library failure as the core's error, by what the caller can do about it. */
export const toAdapterError = (adapter: string, what: string, retries: number, cause: unknown): AdapterError => {
  if (isAdapterError(cause)) return cause
  const code = sqliteCode(cause)
  const message = `${what}: ${describe(cause)}`
  if (isBusy(cause)) {
    return new TransientError({
      adapter,
      message: `${what}: the hub database stayed locked by another writer after ${retries} retries (${code})`
    })
  }
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    const field = /: \w+\.(\w+)/.exec(describe(cause))?.[1] ?? "id"
    return new CollisionError({ adapter, message, field })
  }
  if (code.startsWith("SQLITE_CONSTRAINT") || code === "SQLITE_MISMATCH" || code === "SQLITE_TOOBIG") {
    return new RejectedError({ adapter, message })
  }
  if (/^SQLITE_(IOERR|INTERRUPT|PROTOCOL|NOMEM)/.test(code)) return new TransientError({ adapter, message })
  return new FatalError({ adapter, message })
}

/** Registers the SQL functions the listing queries use, on this connection only (nothing is stored in the file). */
const registerFunctions = (sqlite: Database.Database, time: HubTimeOptions): void => {
  sqlite.function("tongbu_epoch", { deterministic: true }, (stamp: unknown) => {
    const ms = parseHubTimestamp(stamp, time)
    return ms._tag === "Some" ? ms.value : null
  })
  // 1 when the row's own stamp or any enrichment stamp may be at or after the watermark. An unreadable stamp, or a
  // row without one, counts as changed: such a row is listed again, never lost.
  sqlite.function(
    "tongbu_changed_since",
    { deterministic: true, varargs: true },
    (watermark: unknown, rowStamp: unknown, ...others: Array<unknown>) => {
      const changed = (stamp: unknown) => {
        const ms = latestPossibleEpoch(stamp, time.zone)
        return ms === undefined || ms >= Number(watermark)
      }
      if (rowStamp === null || changed(rowStamp)) return 1
      return others.some((stamp) => stamp !== null && changed(stamp)) ? 1 : 0
    }
  )
}

export const makeConnection = (sqlite: Database.Database, options: HubOptions, time: HubTimeOptions): HubConnection => {
  registerFunctions(sqlite, time)
  const busy = Schedule.exponential(Duration.millis(options.busyBackoffMs)).pipe(
    Schedule.jittered,
    Schedule.intersect(Schedule.recurs(options.busyRetries))
  )
  return {
    sqlite,
    db: drizzle({ client: sqlite }),
    options,
    time,
    attempt: (what, run) =>
      Effect.try({ try: run, catch: (cause) => cause }).pipe(
        Effect.retry({ schedule: busy, while: isBusy }),
        Effect.mapError((cause) => toAdapterError(options.name, what, options.busyRetries, cause))
      ),
    stamp: Effect.map(Clock.currentTimeMillis, (ms) => formatHubTimestamp(ms, time.zone))
  }
}
