import type { Fields, RecordId, SideRecord } from "./Domain.js"
import type { FieldMapping } from "./Mapping.js"
import type { ReasonParams } from "./Plan.js"

/** Why an admission rule refuses a record: the reason in English words and the values it is made of. */
export interface Refusal {
  readonly message: string
  readonly params: ReasonParams
}

/** The English words of a refusal. */
export const refusalMessage = (refusal: string | Refusal): string =>
  typeof refusal === "string" ? refusal : refusal.message

/** A named admission rule: `null` admits the record, a string or a `Refusal` is the reason it is not. */
export interface Admission {
  readonly name: string
  readonly check: (record: SideRecord, canonical: Fields) => string | Refusal | null
}

/** An action to perform on the target side right after a record was created there (e.g. assign to a salesperson). */
export interface FollowingAction {
  readonly kind: string
  readonly payload: Fields
}

/**
 * Everything the planner needs to know about one entity (customers), besides the data. Each piece is plain data or
 * a pure function, so a deployment composes its policies in configuration.
 */
export interface SyncPolicy {
  readonly mappings: ReadonlyArray<FieldMapping>
  /** Matches unlinked records: equal non-null keys on both sides are the same entity ("khid exists → update"). */
  readonly naturalKey: {
    readonly left: (record: SideRecord) => string | null
    readonly right: (record: SideRecord) => string | null
  }
  /**
   * The counterpart an unlinked record names itself (a link made before this sync knew it, e.g. the hub's
   * `erp_customer_id`): the other side's id, or null. Preferred over the natural key; the named record must exist
   * and be free, else the record is skipped (`claimedLinkMissing`, `claimedLinkTaken`, `claimedLinkShared`), never
   * created anew nor judged by the admission rules.
   */
  readonly claimedLink?: {
    readonly left?: (record: SideRecord) => RecordId | null
    readonly right?: (record: SideRecord) => RecordId | null
  }
  /**
   * Whether the events of records whose claimed link is adopted in a run are carried over in that run. Off (the
   * default), they are not: whoever made the link may have carried them already, and an action happens at most once,
   * ever, so the run withholds them and says how many in a warning (`adopted-history-withheld`); events after the
   * adoption go as usual. On, that history is sent like any linked record's.
   */
  readonly backfillAdopted?: boolean
  /**
   * Whether an unlinked record came from the other side, copied there by something other than this sync (the hub's
   * own pull of ERP customers): it is matched by natural key like any record, but never created on the other side nor
   * judged by its admission rules; with no match it is skipped (`cameFromOther`), its reason worded from its key.
   */
  readonly cameFromOther?: {
    readonly left?: (record: SideRecord) => boolean
    readonly right?: (record: SideRecord) => boolean
  }
  /**
   * A record's name as a person looks it up on its side (a customer's name): an action that may have landed names
   * its record by it as well as by id. Null when the record has none.
   */
  readonly displayName?: {
    readonly left?: (record: SideRecord) => string | null
    readonly right?: (record: SideRecord) => string | null
  }
  /** Canonical fields whose normalized value must stay unique on that side (the mobile on the ERP side). */
  readonly uniqueKeys: { readonly left: ReadonlyArray<string>; readonly right: ReadonlyArray<string> }
  /** Which records of one side may be created on the other. */
  readonly admission: { readonly toRight: ReadonlyArray<Admission>; readonly toLeft: ReadonlyArray<Admission> }
  /** Actions planned on the target side after a create there, from the source record. */
  readonly afterCreate?: {
    readonly toRight?: (source: SideRecord, canonical: Fields) => ReadonlyArray<FollowingAction>
    readonly toLeft?: (source: SideRecord, canonical: Fields) => ReadonlyArray<FollowingAction>
  }
}

export const Direction = ["push", "pull", "both"] as const
/** push = left → right only, pull = right → left only. */
export type Direction = (typeof Direction)[number]
