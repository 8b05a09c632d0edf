import type { ZhibangClient, ZhibangError } from "@tongbu/adapter-zhibang"
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
