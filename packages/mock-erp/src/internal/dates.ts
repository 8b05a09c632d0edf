// The ERP runs on China Standard Time, whatever the mock's host says.
const offsetMs = 8 * 3600_000

const pad = (n: number) => String(n).padStart(2, "0")

/** `2025-10-19 08:30:00`, as the ERP writes datetimes. */
export const formatErpDate = (ms: number): string => {
  const d = new Date(ms + offsetMs)
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  )
}

const datePattern = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/

/** Parses `2025-10-19`, `2025/10/19 8:30` and the like; undefined when it is no valid date. */
export const parseErpDate = (text: string): number | undefined => {
  const m = datePattern.exec(text.trim())
  if (!m) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  const ms = Date.UTC(year, month - 1, day, hour, minute, second)
  const back = new Date(ms)
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return undefined
  }
  return ms - offsetMs
}
