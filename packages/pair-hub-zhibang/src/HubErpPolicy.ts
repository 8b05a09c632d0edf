import type { HubAdmissionOptions } from "@tongbu/adapter-wechat-hub"
import { CUSTOMER_NAME, hubAdmission, normalizeMobile, PULLED_FROM_ERP } from "@tongbu/adapter-wechat-hub"
import type { ZhibangMapping } from "@tongbu/adapter-zhibang"
import { assignmentFor, jzForScore, khidFor } from "@tongbu/adapter-zhibang"
import type { Admission, ConflictResolution, FieldMapping, FieldValue, SideRecord, SyncPolicy } from "@tongbu/core"
import { RecordId } from "@tongbu/core"
import { Option } from "effect"
import type { ConflictRule, PolicyField } from "./Sections.js"

/**
 * The hub↔ERP policy of sync-rules §1–§6 as a core `SyncPolicy`: the hub is the left side (native fields = its column
 * names), the ERP the right (the ERP's field names). Every choice is a value of `HubErpSettings`, so a deployment
 * changes it in configuration.
 */
export interface HubErpSettings {
  readonly conflicts: Readonly<Record<PolicyField, ConflictRule>>
  readonly fillIn: ReadonlyArray<PolicyField>
  readonly admission: Partial<HubAdmissionOptions>
  /** Pull only ERP customers of these sources (`ly`); empty = all. */
  readonly pullSources: ReadonlyArray<number>
  readonly mapping: ZhibangMapping
  /**
   * Fields the ERP's duplicate check (查重) refuses twice: the planner skips a write that would repeat one, naming
   * the ERP customer that holds it, instead of letting the ERP refuse it run after run. Default name and mobile.
   */
  readonly erpUnique?: ReadonlyArray<PolicyField>
  /**
   * Whether the conversation history of hub rows whose ERP link is adopted (linked by the hub itself, or by a tongbu
   * whose state was lost) is pushed as follow-ups in the run that adopts them. Default off: whoever linked them may
   * have pushed it already, and a follow-up is written at most once, ever.
   */
  readonly backfillAdopted?: boolean
}

const resolution: Record<ConflictRule, ConflictResolution> = {
  erpWins: "right",
  hubWins: "left",
  newestWins: "newest",
  manual: "manual"
}

const text = (value: FieldValue | undefined): string | null =>
  value === undefined || value === null ? null : String(value).trim() === "" ? null : String(value).trim()

const asText = (value: FieldValue): FieldValue => text(value)

const mobile = (value: FieldValue): FieldValue =>
  typeof value === "string" ? Option.getOrElse(normalizeMobile(value), () => value.trim()) : value

const scoreOf = (record: SideRecord): number => (typeof record.fields.score === "number" ? record.fields.score : 0)

const isPerson = (record: SideRecord) => record.fields.erp_customer_type === 2

/** The ERP code of a hub customer: the one it carries (it came from the ERP, or was linked), else `WX<id>`. */
export const hubCode =
  (mapping: ZhibangMapping) =>
  (record: SideRecord): string =>
    text(record.fields.erp_customer_code) ?? khidFor(mapping, record.id)

export const make = (settings: HubErpSettings): SyncPolicy => {
  const { mapping } = settings
  const field = (
    name: PolicyField,
    left: string,
    right: string,
    normalize: (v: FieldValue) => FieldValue = asText
  ): FieldMapping => ({
    name,
    left,
    right,
    normalize,
    conflict: resolution[settings.conflicts[name]],
    fillIn: settings.fillIn.includes(name)
  })
  /** Written into the ERP when the customer is created there from the hub; never updated afterwards (§3). */
  const intoErpOnCreate = (name: string, right: string, read: (record: SideRecord) => FieldValue): FieldMapping => ({
    name,
    left: { read },
    right,
    normalize: asText,
    conflict: "right",
    createOnly: true
  })
  /**
   * An ERP value the hub keeps in an `erp_*` column (§4): it flows ERP → hub only. A customer pushed from the hub
   * holds the values the push gave it (§3); the link's baseline records them, so the empty hub column is not taken for
   * a change, and the column is filled when the ERP changes the value.
   */
  const mirror = (
    name: string,
    conflict: ConflictResolution,
    left: string,
    right: (record: SideRecord) => FieldValue
  ): FieldMapping => ({
    name,
    left,
    right: { read: right },
    normalize: asText,
    conflict
  })
  const sort1Part = (index: 0 | 1) => (value: FieldValue | undefined) => text(text(value)?.split(",")[index])

  const mappings: ReadonlyArray<FieldMapping> = [
    intoErpOnCreate("code", "khid", hubCode(mapping)),
    field("name", CUSTOMER_NAME, "name"),
    field("mobile", "phone", "mobile", mobile),
    field("wechat", "wechat_id", "weixinAcc"),
    field("email", "email", "email"),
    field("address", "address", "address"),
    {
      name: "type",
      left: "erp_customer_type",
      right: "intsort",
      normalize: (v) => (v === null ? null : Number(v)),
      conflict: "right",
      createOnly: true
    },
    intoErpOnCreate("personName", "person_name", (r) =>
      isPerson(r) ? null : (text(r.fields.real_name) ?? text(r.fields.company_name))
    ),
    intoErpOnCreate("source", "ly", () => mapping.ly),
    intoErpOnCreate("category", "sort1", () => mapping.sort1),
    intoErpOnCreate("value", "jz", (r) => jzForScore(mapping, scoreOf(r))),
    intoErpOnCreate("intro", "intro", (r) => `来自微信中台，评分: ${scoreOf(r)}`),
    intoErpOnCreate("product", "product", (r) => text(r.fields.thread_topic)),
    mirror("erpCode", "right", "erp_customer_code", (r) => text(r.fields.khid)),
    mirror("erpSource", resolution[settings.conflicts.erpSource], "erp_source", (r) => text(r.fields.ly)),
    mirror("erpValue", resolution[settings.conflicts.erpValue], "erp_value_assessment", (r) => text(r.fields.jz)),
    mirror("erpCategory", resolution[settings.conflicts.erpCategory], "erp_customer_category", (r) =>
      sort1Part(0)(r.fields.sort1)
    ),
    mirror("erpFollowLevel", resolution[settings.conflicts.erpFollowLevel], "erp_follow_level", (r) =>
      sort1Part(1)(r.fields.sort1)
    )
  ]

  const pullSource: Admission = {
    name: "pullSource",
    check: (record) => {
      if (settings.pullSources.length === 0) return null
      const ly = Number(record.fields.ly)
      const source = text(record.fields.ly) ?? "none"
      return settings.pullSources.includes(ly)
        ? null
        : { message: `source (ly) ${source} is not pulled (policy.pull.sources)`, params: { source } }
    }
  }

  return {
    mappings,
    naturalKey: { left: hubCode(mapping), right: (record) => text(record.fields.khid) },
    // A hub row that already carries an ERP ord (linked by the hub itself, or pulled from the ERP) adopts that link.
    claimedLink: {
      left: (record) =>
        typeof record.fields.erp_customer_id === "number" ? RecordId.make(String(record.fields.erp_customer_id)) : null
    },
    // A row the hub itself pulled from the ERP, not linked: found by its code (khid) or reported, never pushed.
    cameFromOther: { left: (record) => record.fields[PULLED_FROM_ERP] === true },
    backfillAdopted: settings.backfillAdopted ?? false,
    // the name the ERP customer bears (the hub pushes it as `name`), by which a person finds it
    displayName: {
      left: (record) => text(record.fields[CUSTOMER_NAME]),
      right: (record) => text(record.fields.name)
    },
    uniqueKeys: { left: ["wechat"], right: settings.erpUnique ?? ["name", "mobile"] },
    admission: { toRight: hubAdmission(settings.admission), toLeft: [pullSource] },
    afterCreate: {
      toRight: (source) => [{ kind: "assign", payload: assignmentFor(mapping, scoreOf(source), Number(source.id)) }]
    }
  }
}
