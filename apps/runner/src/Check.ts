import type { ZhibangClient, ZhibangError } from "@tongbu/adapter-zhibang"
import type { SqliteStore } from "@tongbu/core"
import * as Logging from "./Logging.js"

/** One line of `tongbu check`: what was checked, whether it passed, what was seen, and for a failure the fix. */
export interface CheckItem {
  readonly name: string
  readonly status: "pass" | "fail" | "skipped"
  readonly seen: string
  readonly fix?: string
}

export const pass = (name: string, seen: string): CheckItem => ({ name, status: "pass", seen })
export const fail = (name: string, seen: string, fix: string): CheckItem => ({ name, status: "fail", seen, fix })
export const skipped = (name: string, because: string): CheckItem => ({ name, status: "skipped", seen: because })

/** A check passes only when every item passed: a skipped item was not checked. */
export const allPassed = (items: ReadonlyArray<CheckItem>): boolean => items.every((item) => item.status === "pass")

/** An ERP call that failed: the login's refusal names the account and where its password comes from. */
export const erpFailure = (name: string, user: string, error: ZhibangError): CheckItem =>
  error._tag === "ZhibangFatalError" && error.operation === "login"
    ? fail(
        name,
        `the ERP refused the login: ${error.message}`,
        `the ERP refused user ${user}: check TONGBU_ERP_PASSWORD / erp.passwordFile (and erp.user / TONGBU_ERP_USER)`
      )
    : error._tag === "ZhibangTransientError"
      ? fail(name, error.message, "check erp.url / TONGBU_ERP_URL and that the ERP answers from this machine")
      : fail(name, error.message, "check that the ERP account may read customers and contacts")

/** `mapping.ly` must be one of the installation's customer sources (enumeration 13). */
export const lyItem = (ly: number, sources: ReadonlyArray<ZhibangClient.EnumValue>): CheckItem => {
  const listed = sources.map((source) => `${source.id} ${source.name}`).join(", ")
  return sources.some((source) => source.id === String(ly))
    ? pass("mapping.ly", `${ly} is a customer source of the ERP`)
    : fail(
        "mapping.ly",
        `${ly} is not a customer source of the ERP`,
        sources.length === 0
          ? `mapping.ly = ${ly} cannot be checked: the ERP lists no customer sources (enumeration 13)`
          : `mapping.ly = ${ly} is not one of the ERP's customer sources: ${listed}`
      )
}

/** The salespeople of one assignment tier, by the yaml key that lists them. */
export interface Tier {
  readonly key: string
  readonly ids: ReadonlyArray<string>
}

/** Every salesperson id `mapping.assignment` names must be an ERP account: a ✗ names each unknown id and its key. */
export const salespeopleItem = (tiers: ReadonlyArray<Tier>, users: ReadonlyArray<ZhibangClient.ErpUser>): CheckItem => {
  const known = new Set(users.map((user) => user.id))
  const named = tiers.flatMap((tier) => tier.ids)
  if (named.length === 0)
    return pass("mapping.assignment", "no salespeople configured: customers created in the ERP go to the public pool")
  const unknown = tiers.flatMap((tier) => tier.ids.filter((id) => !known.has(id)).map((id) => ({ key: tier.key, id })))
  if (unknown.length === 0)
    return pass("mapping.assignment", `salespeople ${named.join(", ")} are ERP users (${users.length} users listed)`)
  const listed = users
    .slice(0, 20)
    .map((user) => `${user.id} ${user.name}`)
    .join(", ")
  return fail(
    "mapping.assignment",
    unknown.map(({ key, id }) => `${id} (${key}) is not an ERP user`).join("; "),
    `${unknown.map(({ key, id }) => `remove or correct ${id} in ${key}`).join("; ")}: the ERP's users are ${users.length === 0 ? "none listed" : listed}${users.length > 20 ? ", …" : ""}`
  )
}

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

/** The hub file's required tables and columns (`inspectHubDatabase`). */
export const hubItem = (path: string, missing: ReadonlyArray<string>): CheckItem =>
  missing.length === 0
    ? pass("hub columns", `${path} has every table and column the sync uses`)
    : fail(
        "hub columns",
        missing.join("; "),
        `the hub's schema in ${path} is older or newer than this tongbu expects (spec wechat-hub.md): upgrade the hub or tongbu so that ${missing.join(", ")} exist`
      )

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
