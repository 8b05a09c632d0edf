/**
 * The hub's timestamps. One file holds two kinds, and nothing but their shape tells them apart:
 * - Python's naive local time (`str(datetime.now())` → `2025-10-19 12:43:10.123456`, or `isoformat()` with a `T`),
 *   written by the hub's code, in the zone the hub machine runs in (configured, default `Asia/Shanghai`);
 * - SQLite's `CURRENT_TIMESTAMP` (`2025-10-19 04:43:10`, always UTC), written by column defaults and the update
 *   trigger, and `strftime('%Y-%m-%d %H:%M:%f')` (`…:10.123`, also UTC).
 * So: an explicit offset or `Z` is honoured; exactly `YYYY-MM-DD HH:MM:SS` or `…SS.sss` (SQLite's own forms) is UTC
 * (unless `sqliteStampsUtc` is off); anything else (6-digit fraction, `T` separator, date only) is local time.
 * Where a wrong guess could hide a change, `latestPossibleEpoch` takes the later of both readings instead.
 */
import { DateTime, Option } from "effect"

const HOUR = 3_600_000

export interface HubTimeZone {
  /** The zone as configured: an IANA name (`Asia/Shanghai`) or an offset (`+08:00`). */
  readonly name: string
  /** The zone's offset from UTC, in ms, at the UTC instant `utcMs`. */
  readonly offsetAt: (utcMs: number) => number
}

export interface HubTimeOptions {
  readonly zone: HubTimeZone
  /** Read SQLite's own stamp forms as UTC (default true); off = every naive stamp is local time. */
  readonly sqliteStampsUtc: boolean
}

/** Resolves a configured zone; none when the name is neither an IANA zone nor an offset. */
export const makeHubTimeZone = (name: string): Option.Option<HubTimeZone> =>
  Option.map(DateTime.zoneFromString(name.trim()), (zone) => {
    if (zone._tag === "Offset") return { name, offsetAt: () => zone.offset }
    const exact = (ms: number) => DateTime.zonedOffset(DateTime.unsafeMakeZoned(ms, { timeZone: zone }))
    // Intl is slow (~10µs a call); offsets change at most once an hour, so an hour whose two ends agree is cached.
    const byHour = new Map<number, number | null>()
    return {
      name,
      offsetAt: (ms) => {
        const hour = Math.floor(ms / HOUR)
        let offset = byHour.get(hour)
        if (offset === undefined) {
          const start = exact(hour * HOUR)
          offset = start === exact(hour * HOUR + HOUR - 1) ? start : null
          if (byHour.size > 200_000) byHour.clear()
          byHour.set(hour, offset)
        }
        return offset ?? exact(ms)
      }
    }
  })

export type StampKind = "utc" | "local" | "offset"

export interface ParsedStamp {
  /** The wall-clock reading as if it were UTC. */
  readonly wallMs: number
  readonly kind: StampKind
  /** The offset written in the stamp, for kind `offset`. */
  readonly offsetMs: number
}

const STAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

const parseStamp = (raw: unknown, sqliteStampsUtc: boolean): ParsedStamp | undefined => {
  if (typeof raw === "number" && Number.isFinite(raw)) {
    // A numeric stamp is an epoch: seconds when small enough, else milliseconds.
    return { wallMs: Math.abs(raw) < 1e11 ? raw * 1000 : raw, kind: "offset", offsetMs: 0 }
  }
  if (typeof raw !== "string") return undefined
  const m = STAMP.exec(raw.trim())
  if (m === null) return undefined
  const [, y, mo, d, sep, h, mi, s, frac, zone] = m
  const millis = frac === undefined ? 0 : Number(`0.${frac}`) * 1000
  const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), millis)
  if (Number.isNaN(wallMs) || new Date(wallMs).getUTCDate() !== Number(d)) return undefined
  if (zone !== undefined) {
    if (zone.toUpperCase() === "Z") return { wallMs, kind: "offset", offsetMs: 0 }
    const digits = zone.replace(":", "")
    const sign = digits.startsWith("-") ? -1 : 1
    const offsetMs = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0)) * 60_000
    return { wallMs, kind: "offset", offsetMs }
  }
  const sqliteForm = sep === " " && s !== undefined && (frac === undefined || frac.length === 3)
  return { wallMs, kind: sqliteForm && sqliteStampsUtc ? "utc" : "local", offsetMs: 0 }
}

/** A local wall-clock reading → the UTC instant (the earlier one when a DST fall-back repeats the hour). */
export const localToUtc = (wallMs: number, zone: HubTimeZone): number => {
  const first = wallMs - zone.offsetAt(wallMs)
  return wallMs - zone.offsetAt(first)
}

/** Epoch ms of a hub timestamp read as described above; none when it is not a timestamp at all. */
export const parseHubTimestamp = (raw: unknown, options: HubTimeOptions): Option.Option<number> => {
  const stamp = parseStamp(raw, options.sqliteStampsUtc)
  if (stamp === undefined) return Option.none()
  switch (stamp.kind) {
    case "offset":
      return Option.some(stamp.wallMs - stamp.offsetMs)
    case "utc":
      return Option.some(stamp.wallMs)
    case "local":
      return Option.some(localToUtc(stamp.wallMs, options.zone))
  }
}

/**
 * The latest instant a naive stamp can mean (as UTC or as local time, whichever is later); exact for stamps with an
 * offset. Used to decide "changed since": a wrong guess about a stamp then re-lists a row, it never hides one.
 * Undefined when unreadable (the caller lists the row).
 */
export const latestPossibleEpoch = (raw: unknown, zone: HubTimeZone): number | undefined => {
  const stamp = parseStamp(raw, true)
  if (stamp === undefined) return undefined
  if (stamp.kind === "offset") return stamp.wallMs - stamp.offsetMs
  return Math.max(stamp.wallMs, localToUtc(stamp.wallMs, zone))
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** `epochMs` as the hub's Python writes it: naive local time with microseconds (`2025-10-19 12:43:10.123000`). */
export const formatHubTimestamp = (epochMs: number, zone: HubTimeZone): string => {
  const d = new Date(epochMs + zone.offsetAt(epochMs))
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds() * 1000, 6)}`
  )
}

/** `epochMs` as SQLite's `CURRENT_TIMESTAMP` would write it (UTC, whole seconds). */
export const formatSqliteTimestamp = (epochMs: number): string =>
  new Date(Math.floor(epochMs / 1000) * 1000).toISOString().slice(0, 19).replace("T", " ")
