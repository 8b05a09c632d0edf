import { Check } from "@tongbu/pair"
import * as Logging from "./Logging.js"

// The items are a pair's (`@tongbu/pair` declares them); the runner renders them.
export type CheckItem = Check.CheckItem
export const { pass, fail, skipped, allPassed } = Check

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
