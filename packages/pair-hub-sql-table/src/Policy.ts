import { CUSTOMER_NAME, hubAdmission, normalizeMobile } from "@tongbu/adapter-wechat-hub"
import type { ConflictResolution, FieldMapping, FieldValue, SideRecord, SyncPolicy } from "@tongbu/core"
import { Option } from "effect"
import type { ConflictField, ConflictRule } from "./Sections.js"
import type { Settings } from "./Settings.js"

/**
 * The hub (left, its column names) and a customer table (right, the fields its `columns` name): name, mobile and the
 * contact fields both ways, under the configured conflict rules; `code` (`HUB<id>`, written once into the table)
 * matches a hub customer with its table row. Hub customers pass the hub's own admission (a verified mobile, a name).
 */

const resolution: Record<ConflictRule, ConflictResolution> = {
  hubWins: "left",
  tableWins: "right",
  newestWins: "newest",
  manual: "manual"
}

const text = (value: FieldValue | undefined): string | null =>
  value === undefined || value === null || String(value).trim() === "" ? null : String(value).trim()

const mobile = (value: FieldValue): FieldValue =>
  typeof value === "string" ? Option.getOrElse(normalizeMobile(value), () => value.trim()) : value

/** The code a hub customer has in the table. */
export const codeOf = (record: SideRecord): string => `HUB${record.id}`

const hubColumns: Record<ConflictField, string> = {
  name: CUSTOMER_NAME,
  mobile: "phone",
  wechat: "wechat_id",
  email: "email",
  address: "address"
}

export const make = (settings: Settings, tableFields: ReadonlyArray<string>): SyncPolicy => {
  const field = (name: ConflictField): FieldMapping => ({
    name,
    left: hubColumns[name],
    right: name,
    normalize: name === "mobile" ? mobile : (v) => text(v),
    conflict: resolution[settings.policy.conflicts[name]],
    fillIn: settings.policy.fillIn.includes(name)
  })
  const shared = (["name", "mobile", "wechat", "email", "address"] as const).filter((name) =>
    tableFields.includes(name)
  )
  return {
    mappings: [
      { name: "code", left: { read: codeOf }, right: "code", conflict: "left", createOnly: true },
      ...shared.map(field)
    ],
    naturalKey: { left: codeOf, right: (record) => text(record.fields.code) },
    uniqueKeys: { left: [], right: [] },
    admission: { toRight: hubAdmission({}), toLeft: [] }
  }
}
