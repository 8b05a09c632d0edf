/**
 * Where the suite accepts what its invariants, as the issue words them, would call a violation: each hook exempts one
 * kind of finding as narrowly as it can be, and each exemption is a named entry of `choices` below.
 */
import type { FieldValue, LinkState, Operation } from "@tongbu/core"
import type { Row, Snapshot } from "./snapshot.js"

export interface Deviations {
  /** A linked pair may disagree on `field` this way after a fault-free sync (`row`: the hub row as stored). */
  readonly disagreement: (field: string, link: LinkState, hub: FieldValue, erp: FieldValue, row: Row) => boolean
  /** One more sync may still plan `op` after a fault-free sync that started from `before`. */
  readonly nextPlan: (op: Operation, before: Snapshot) => boolean
  /**
   * A rollback with no edits in between may leave this hub row (`column`, or the whole row when undefined: a row the
   * run added) other than it was before the run.
   */
  readonly rollbackLeftover: (column: string | undefined, was: Row | undefined, row: Row) => boolean
}

/**
 * Behaviours the spec or the user's policy chose, which the invariants as the issue words them would call a violation.
 * A bug the suite finds is fixed, not listed here; while one is being fixed, an entry naming its owner and its replay
 * command may exempt it as narrowly as it can be.
 */
export const choices = {
  /**
   * A customer the sync pushed into the ERP holds the source, value, category and follow level the push gave it
   * (sync-rules §3); the link's baseline records them, and the hub's `erp_*` mirror columns stay empty until the ERP
   * changes one of them (then the hub takes it, §4). So a pair may differ there while the ERP still holds exactly
   * what the link's baseline says it was given and the hub's column is empty.
   */
  pushedErpValuesNotCopiedBack: "apps/runner src/HubErpPolicy.ts (mirror)"
} as const

const mirrorColumns: Record<string, string> = {
  erpSource: "erp_source",
  erpValue: "erp_value_assessment",
  erpCategory: "erp_customer_category",
  erpFollowLevel: "erp_follow_level"
}

const blank = (value: unknown) =>
  value === null || value === undefined || (typeof value === "string" && value.trim() === "")

/** `choices.pushedErpValuesNotCopiedBack` */
const pushedValueKept = (field: string, link: LinkState, erp: FieldValue, row: Row) =>
  field in mirrorColumns &&
  blank(row[mirrorColumns[field]!]) &&
  (link.left[field] ?? null) === null &&
  link.right[field] === erp

export const deviations: Deviations = {
  disagreement: (field, link, _hub, erp, row) => pushedValueKept(field, link, erp, row),
  nextPlan: () => false,
  rollbackLeftover: () => false
}
