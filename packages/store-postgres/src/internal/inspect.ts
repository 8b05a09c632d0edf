import { readMigrationFiles } from "drizzle-orm/migrator"
import { Data, Effect } from "effect"
import pg from "pg"
import { connection, describe } from "./connection.js"
import type { DatabaseConfig } from "./database.js"
import { migrationsFolder } from "./migrate.js"

/**
 * What `inspect` found: a store whose migrations are all applied; one with migrations still to apply (a database
 * never opened by tongbu has all of them pending; the next open applies them); or one that a newer version migrated
 * further than this one knows.
 */
export type StoreState =
  | { readonly _tag: "Current"; readonly applied: number }
  | { readonly _tag: "Pending"; readonly applied: number; readonly pending: number }
  | { readonly _tag: "Newer"; readonly known: number }

/** Why the store could not be looked at, each with its own remedy. */
export type Problem = "invalid" | "unreachable" | "authentication" | "database" | "permission" | "notAStore" | "other"

export class InspectFailed extends Data.TaggedError("InspectFailed")<{
  readonly problem: Problem
  readonly message: string
}> {}

const codeOf = (cause: unknown): string | undefined => {
  if (cause instanceof AggregateError) return codeOf(cause.errors[0])
  const code = typeof cause === "object" && cause !== null && "code" in cause ? cause.code : undefined
  return typeof code === "string" ? code : undefined
}

const problemOf = (cause: unknown): Problem => {
  const code = codeOf(cause)
  if (code === "28P01" || code === "28000") return "authentication"
  if (code === "3D000") return "database"
  if (code === "42501") return "permission"
  if (code !== undefined && /^E[A-Z]+$/.test(code)) return "unreachable"
  // the driver's own time limit (`connectionTimeoutMillis`) and a server that hung up before answering
  if (cause instanceof Error && /timeout|terminated/i.test(cause.message)) return "unreachable"
  return "other"
}

class NotAStore extends Error {}

/**
 * Looks at the store's migrations without changing anything: one connection, one read-only transaction. The migrator
 * applies those newer than the last one applied, so that one decides.
 */
export const inspect = (config: DatabaseConfig): Effect.Effect<StoreState, InspectFailed> =>
  Effect.suspend(() => {
    const target = connection(config.url, config.password, 1, true)
    if ("invalid" in target) return Effect.fail(new InspectFailed({ problem: "invalid", message: target.invalid }))
    return Effect.tryPromise({
      try: async (): Promise<StoreState> => {
        const known = readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis)
        const client = new pg.Client(target.pool)
        // a connection the server drops is reported by the query that was waiting on it
        client.on("error", () => {})
        await client.connect()
        try {
          await client.query("begin isolation level repeatable read read only")
          const found = await client.query<{ history: string | null; leases: string | null }>(
            "select to_regclass('drizzle.__drizzle_migrations')::text as history, to_regclass('leases')::text as leases"
          )
          const { history, leases } = found.rows[0] ?? { history: null, leases: null }
          if (history === null && leases !== null) throw new NotAStore()
          const last =
            history === null
              ? null
              : ((
                  await client.query<{ last: string | null }>(
                    "select max(created_at)::text as last from drizzle.__drizzle_migrations"
                  )
                ).rows[0]?.last ?? null)
          await client.query("commit")
          const applied = known.filter((when) => last !== null && when <= Number(last)).length
          if (last !== null && known.every((when) => when < Number(last))) return { _tag: "Newer", known: known.length }
          return applied === known.length
            ? { _tag: "Current", applied }
            : { _tag: "Pending", applied, pending: known.length - applied }
        } finally {
          await client.end().catch(() => undefined)
        }
      },
      catch: (cause) =>
        cause instanceof NotAStore
          ? new InspectFailed({
              problem: "notAStore",
              message: `${target.where} holds tongbu's tables but no migration history: it is not a tongbu state store`
            })
          : new InspectFailed({
              problem: problemOf(cause),
              message: `cannot read the state store at ${target.where}: ${describe(cause, target.secrets)}`
            })
    })
  })
