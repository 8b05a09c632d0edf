import { Check } from "@tongbu/pair"
import type { PostgresStore } from "@tongbu/store-postgres"
import type { SqliteStore } from "@tongbu/store-sqlite"
import * as Logging from "./Logging.js"

// The items are a pair's (`@tongbu/pair` declares them); the runner renders them.
export type CheckItem = Check.CheckItem
export const { pass, fail, skipped, allPassed } = Check

/**
 * The state store as `SqliteStore.inspect` found it. `writable` says whether this user may write where the sync will:
 * the file, or for a store not created yet the directory it goes in (`where`).
 */
export const storeItem = (file: string, state: SqliteStore.StoreState, where: string, writable: boolean): CheckItem => {
  if (!writable && state._tag !== "Newer")
    return fail(
      "state store",
      `${where} is not writable`,
      `make ${where} writable by this user, or point state.database / TONGBU_STATE_DB elsewhere`
    )
  return state._tag === "Missing"
    ? pass("state store", `${file} does not exist yet: tongbu init or the first sync creates it`)
    : migrations(file, state)
}

/** A store's migrations: all applied or some pending pass (the next sync applies them); a newer store fails. */
const migrations = (file: string, state: PostgresStore.StoreState): CheckItem => {
  switch (state._tag) {
    case "Current":
      return pass("state store", `${file}: all ${state.applied} migrations applied`)
    case "Pending":
      return pass(
        "state store",
        `${file}: ${state.applied} migrations applied, ${state.pending} pending (the next sync applies them)`
      )
    case "Newer":
      return fail(
        "state store",
        `${file} was migrated by a newer tongbu than this one (which knows ${state.known} migrations)`,
        "run the tongbu version that last used this store (or a newer one); never an older one on it"
      )
  }
}

const fixes: Record<PostgresStore.Problem, string> = {
  invalid: "write state.url (or TONGBU_STATE_URL) as postgres://user@host:port/database",
  unreachable:
    "start the PostgreSQL server, or correct the host and port of state.url / TONGBU_STATE_URL (and let this machine reach it)",
  authentication:
    "check the user of state.url and the password in TONGBU_STATE_PASSWORD / state.passwordFile (and the server's pg_hba.conf for this host)",
  database:
    "create the database (createdb, or CREATE DATABASE … OWNER the user of state.url), or name another in state.url",
  permission:
    "grant the user of state.url the right to create tables in the database (or have its owner run tongbu init once)",
  notAStore: "point state.url at a database of tongbu's own, or at an empty one (tongbu creates its tables there)",
  other: "see the server's words above; check state.url / TONGBU_STATE_URL and the server's log"
}

/** The PostgreSQL store as `PostgresStore.inspect` found it, or why it could not (with the fix for that). */
export const postgresItem = (
  url: string,
  found:
    | { readonly state: PostgresStore.StoreState }
    | { readonly problem: PostgresStore.Problem; readonly message: string }
): CheckItem =>
  "state" in found ? migrations(url, found.state) : fail("state store", found.message, fixes[found.problem])

/** Text for a person: one ✓/✗/– line per item, its fix indented beneath. Mobiles are masked, as in every output. */
export const render = (items: ReadonlyArray<CheckItem>): string =>
  [
    ...items.flatMap((item) => [
      `${item.status === "pass" ? "✓" : item.status === "fail" ? "✗" : "–"} ${item.name}: ${Logging.maskMobiles(item.seen)}`,
      ...(item.fix === undefined ? [] : [`    fix: ${Logging.maskMobiles(item.fix)}`])
    ]),
    "",
    allPassed(items)
      ? "all checks passed"
      : `${items.filter((item) => item.status !== "pass").length} of ${items.length} checks did not pass`
  ].join("\n")

/** The `--json` object. */
export const json = (items: ReadonlyArray<CheckItem>) => ({
  ok: allPassed(items),
  items: items.map((item) => ({ ...item, seen: Logging.maskMobiles(item.seen) }))
})
