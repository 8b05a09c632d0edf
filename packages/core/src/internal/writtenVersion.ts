import { Option } from "effect"
import type { Fields } from "../Domain.js"

/**
 * The version a write gave (`Created.version`, `Updated.version`) travels in the outbox inside the operation's
 * `written` fields, under a key no side's field can have: every store keeps `written` as it is, so no store changes
 * its schema for it. Only the core reads `written`, through `split`.
 */
const key = "@tongbu/version"

/** `fields` with the write's version, if it gave one. */
export const carry = (fields: Fields, version: string | undefined): Fields =>
  version === undefined ? fields : { ...fields, [key]: version }

/** The fields a write wrote, and the version it gave (none when it gave none). */
export const split = (written: Fields): { readonly fields: Fields; readonly version: Option.Option<string> } => {
  if (!(key in written)) return { fields: written, version: Option.none() }
  const { [key]: version, ...fields } = written
  return { fields, version: typeof version === "string" ? Option.some(version) : Option.none() }
}
