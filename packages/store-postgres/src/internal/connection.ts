import { Redacted } from "effect"
import type { PoolConfig } from "pg"

// How the store reaches its server, and how what `pg` throws is told to a person: never with the password, which
// may come inline in the URL or on its own.

/** The URL as a person may see it: the password, if any, replaced. */
export const displayUrl = (url: URL): string => {
  const shown = new URL(url.href)
  if (shown.password !== "") shown.password = "***"
  return shown.href
}

export interface Connection {
  readonly pool: PoolConfig
  /** Where the store is, for messages: the URL without its password. */
  readonly where: string
  /** Every form of the password that a message must not carry. */
  readonly secrets: ReadonlyArray<string>
}

/** Reads `postgres://user[:password]@host[:port]/database[?sslmode=require]`; an explicit password wins. */
export const connection = (
  raw: string,
  password: Redacted.Redacted<string> | undefined,
  max: number,
  synchronousCommit: boolean
): Connection | { readonly invalid: string } => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { invalid: "the state URL is not a URL (expected postgres://user@host:port/database)" }
  }
  const where = displayUrl(url)
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:")
    return { invalid: `the state URL ${where} is not a postgres:// URL` }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""))
  if (database === "") return { invalid: `the state URL ${where} names no database (postgres://…/database)` }
  const inline = decodeURIComponent(url.password)
  const secret = password === undefined ? inline : Redacted.value(password)
  const sslmode = url.searchParams.get("sslmode")
  return {
    where,
    secrets: [secret, inline, url.password, encodeURIComponent(secret)].filter((s) => s.length > 0),
    pool: {
      host: url.searchParams.get("host") ?? decodeURIComponent(url.hostname),
      port: url.port === "" ? 5432 : Number(url.port),
      user: decodeURIComponent(url.username),
      database,
      ...(secret === "" ? {} : { password: secret }),
      ...(sslmode === "require" || sslmode === "verify-full"
        ? { ssl: { rejectUnauthorized: sslmode === "verify-full" } }
        : {}),
      max,
      application_name: "tongbu",
      ...(synchronousCommit ? {} : { options: "-c synchronous_commit=off" }),
      // A server that never answers fails the connection instead of hanging the runner.
      connectionTimeoutMillis: 10_000,
      // A runner paused inside a write (SIGSTOP, a swapped-out VM) holds the lease row locked for share, which would
      // block every takeover until it resumed: the server ends such a session, its transaction rolled back, its locks
      // released. A healthy write never waits that long between two of its statements.
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS
    }
  }
}

/** How long a session may sit inside a transaction doing nothing before the server ends it. */
export const IDLE_IN_TRANSACTION_MS = 10_000

const messageOf = (cause: unknown): string => {
  if (cause instanceof AggregateError && cause.errors.length > 0)
    return [...new Set(cause.errors.map(messageOf))].join("; ")
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    const text = cause.message === "" && typeof code === "string" ? code : cause.message
    return text === "" ? cause.name : text
  }
  return String(cause)
}

/** What went wrong, in the server's or the driver's words, with every form of the password masked. */
export const describe = (cause: unknown, secrets: ReadonlyArray<string>): string =>
  secrets.reduce((text, secret) => text.split(secret).join("***"), messageOf(cause))
