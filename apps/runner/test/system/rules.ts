/**
 * The user's policy as the suite checks it, derived from the runner's real `HubErpPolicy` with the default
 * configuration (so a world running a deliberately broken variant is still judged by the rules the user wrote), and
 * the hub columns the sync owns, derived from that policy and the hub adapter's exports.
 */
import { customerNameColumn, HubSchema, writableFields } from "@tongbu/adapter-wechat-hub"
import type { SyncPolicy } from "@tongbu/core"
import { writableField } from "@tongbu/core"
import { Sections, Sides } from "@tongbu/pair-hub-zhibang"
import { Schema } from "effect"
import type { Settings } from "../../src/Config.js"

/**
 * How a canonical field travels. `twoWay`: both sides write it, a change on one side is carried to the other, a
 * change on both is decided for `winner`. `fillIn`: copied only into an empty field, never over a value. `mirror`: an
 * ERP value the hub keeps a copy of (it flows ERP → hub only).
 */
export type FieldRule =
  | { readonly name: string; readonly kind: "twoWay"; readonly winner: "hub" | "erp" }
  | { readonly name: string; readonly kind: "fillIn" | "mirror" }

/** The policy of a world's settings with the conflict rules of the default configuration: what the user asked for. */
export const intendedPolicy = (settings: Settings): SyncPolicy => {
  const defaults = Schema.decodeUnknownSync(Schema.Struct(Sections.sections))({})
  return Sides.policyOf({ ...settings, policy: { ...settings.policy, conflicts: defaults.policy.conflicts } })
}

/** Every field the sync keeps in step after a record exists on both sides (create-only fields are written once). */
export const fieldRules = (policy: SyncPolicy): ReadonlyArray<FieldRule> =>
  policy.mappings.flatMap((mapping): Array<FieldRule> => {
    if (mapping.left === null || mapping.right === null || mapping.createOnly) return []
    const toHub = writableField(mapping, "left") !== null
    const toErp = writableField(mapping, "right") !== null
    if (mapping.fillIn) return [{ name: mapping.name, kind: "fillIn" }]
    if (toHub && toErp) {
      if (mapping.conflict !== "left" && mapping.conflict !== "right") {
        throw new Error(`the system suite models erpWins and hubWins only; ${mapping.name} is ${mapping.conflict}`)
      }
      return [{ name: mapping.name, kind: "twoWay", winner: mapping.conflict === "right" ? "erp" : "hub" }]
    }
    if (toHub) return [{ name: mapping.name, kind: "mirror" }]
    throw new Error(`${mapping.name} flows hub → ERP only; the system suite has no rule for that`)
  })

/** The native ERP fields the sync may change on an existing customer (its two-way and fill-in fields). */
export const erpWritable = (policy: SyncPolicy): ReadonlySet<string> =>
  new Set(
    policy.mappings.flatMap((mapping) => {
      const field = mapping.createOnly ? null : writableField(mapping, "right")
      return field === null ? [] : [field]
    })
  )

/**
 * The sync's own bookkeeping in `customers_unified`: the link's mirror, the outcome shown to the hub's people, and
 * the row's last-change stamps. (The hub adapter has no export for these; this is the list sync-rules §1 and the
 * adapter's `acknowledge` document.)
 */
export const syncStateColumns: ReadonlyArray<string> = [
  "erp_customer_id",
  "erp_sync_status",
  "erp_sync_action",
  "erp_sync_error",
  "erp_last_pulled",
  "erp_last_pushed",
  "updated_at",
  "updated_by"
]

/**
 * The `customers_unified` columns the sync may change in an existing row: the hub columns the policy writes (the
 * virtual customer name is the company's or the person's name column), the provenance of those that have one, and
 * the sync state. Each is also one the hub adapter declares writable or a sync-state column.
 */
export const ownedHubColumns = (policy: SyncPolicy): ReadonlySet<string> => {
  const written = policy.mappings.flatMap((mapping) => {
    const field = writableField(mapping, "left")
    if (field === null) return []
    return field === "customer_name" ? [customerNameColumn(1), customerNameColumn(2)] : [field]
  })
  for (const column of written) {
    if (!writableFields.has(column))
      throw new Error(`the policy writes ${column}, which the hub adapter does not declare writable`)
  }
  const provenance = HubSchema.provenanceColumns.filter((column) => written.includes(column)).map((c) => `${c}_source`)
  return new Set([...written, ...provenance, ...syncStateColumns])
}

/** Columns a row the sync inserts may fill besides the owned ones: its identity and creation stamps, and intake's remark. */
export const insertedHubColumns: ReadonlyArray<string> = ["id", "created_at", "created_by", "wechat_remark"]
