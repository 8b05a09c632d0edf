import { Check } from "@tongbu/pair"
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
  switch (state._tag) {
    case "Missing":
      return pass("state store", `${file} does not exist yet: tongbu init or the first sync creates it`)
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
