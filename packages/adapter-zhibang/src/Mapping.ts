import { Option, Schema } from "effect"

/**
 * The business mapping of sync-rules.md between the hub and the ERP, as plain configuration with the rules' defaults.
 * Decode a deployment's settings with `Schema.decodeUnknown(ZhibangMapping)`: every key is optional.
 */

const JzStep = Schema.Union(Schema.Struct({ min: Schema.Number, jz: Schema.Int }), Schema.Struct({ else: Schema.Int }))

/** Score → `jz` (价值评估): the first step whose `min` the score reaches, else the `else` step (which must come last). */
export const JzScale = Schema.Array(JzStep).pipe(
  Schema.filter((steps) => {
    const last = steps[steps.length - 1]
    return (
      (last !== undefined && "else" in last && steps.filter((step) => "else" in step).length === 1) ||
      "the jz scale must end with exactly one { else: <jz> } step"
    )
  })
)

/** A follow-up template (洽谈进展) chosen when the text contains one of its keywords. */
export const FollowUpTemplate = Schema.Struct({ id: Schema.Int, keywords: Schema.Array(Schema.String) })

const Tier = Schema.Struct({
  minScore: Schema.Number,
  /** ERP user ids. */
  salespeople: Schema.Array(Schema.String)
})

const defaults = {
  jzScale: [{ min: 90, jz: 175 }, { min: 75, jz: 289 }, { min: 60, jz: 176 }, { min: 45, jz: 177 }, { else: 290 }],
  templates: [
    { id: 106, keywords: ["很好", "发合同", "签约"] },
    { id: 107, keywords: ["无人接听", "未接"] },
    { id: 108, keywords: ["还没考虑", "再等等"] },
    { id: 109, keywords: ["面谈", "见面"] },
    { id: 120, keywords: ["考虑中", "研究一下"] }
  ],
  top: { minScore: 80, salespeople: [] },
  general: { minScore: 60, salespeople: [] }
} as const

const withDefault = <S extends Schema.Schema.Any>(schema: S, value: () => Schema.Schema.Type<S>) =>
  Schema.optionalWith(schema, { default: value })

export const FollowUpRules = Schema.Struct({
  templates: withDefault(Schema.Array(FollowUpTemplate), () => defaults.templates),
  defaultTemplate: withDefault(Schema.Int, () => 120),
  /** 481 phone, 482 mail, 483 visit, 484 other. */
  sort: withDefault(Schema.Int, () => 484),
  /** 0 no schedule. */
  plantype: withDefault(Schema.Int, () => 0)
})

export const AssignmentRules = Schema.Struct({
  /** Assigned to all of them. */
  top: withDefault(Tier, () => defaults.top),
  /** Assigned to one of them, in turn. */
  general: withDefault(Tier, () => defaults.general)
})

export const ZhibangMapping = Schema.Struct({
  /** The ERP customer code of a hub-born customer is `khidPrefix + hub id`. */
  khidPrefix: withDefault(Schema.String, () => "WX"),
  /** 客户来源: 171 网站注册 (the WeChat channel). */
  ly: withDefault(Schema.Int, () => 171),
  /** 客户分类, required by the ERP: "category,follow-level" as the installation defines them. */
  sort1: withDefault(Schema.String, () => "17,146"),
  jzScale: withDefault(JzScale, () => defaults.jzScale),
  followUp: withDefault(FollowUpRules, () => Schema.decodeSync(FollowUpRules)({})),
  assignment: withDefault(AssignmentRules, () => Schema.decodeSync(AssignmentRules)({}))
})
export type ZhibangMapping = typeof ZhibangMapping.Type

/** The mapping with every default. */
export const defaultMapping: ZhibangMapping = Schema.decodeSync(ZhibangMapping)({})

export const jzForScore = (mapping: ZhibangMapping, score: number): number => {
  for (const step of mapping.jzScale) {
    if ("else" in step) return step.else
    if (score >= step.min) return step.jz
  }
  // unreachable for a decoded scale (it ends with `else`); the last step is the lowest value then
  return 290
}

/** The template id whose keywords the text contains first (in the templates' order), else the default. */
export const followUpTemplate = (mapping: ZhibangMapping, text: string): number =>
  mapping.followUp.templates.find((template) => template.keywords.some((keyword) => text.includes(keyword)))?.id ??
  mapping.followUp.defaultTemplate

/** The `followUp` action's payload for a conversation text. */
export const followUpPayload = (mapping: ZhibangMapping, text: string) => ({
  intro: String(followUpTemplate(mapping, text)),
  sort: mapping.followUp.sort,
  plantype: mapping.followUp.plantype
})

/**
 * The `assign` action's payload for a score. `turn` picks the general salesperson round-robin (e.g. the hub id), so
 * the choice is a pure function of the record. A tier without salespeople falls through to the next.
 */
export const assignmentFor = (mapping: ZhibangMapping, score: number, turn: number) => {
  const { top, general } = mapping.assignment
  if (score >= top.minScore && top.salespeople.length > 0) return { member1: 0, member2: top.salespeople.join(",") }
  const n = general.salespeople.length
  if (score >= general.minScore && n > 0) {
    return { member1: 0, member2: general.salespeople[((Math.trunc(turn) % n) + n) % n]! }
  }
  return { member1: 1, member2: "" }
}

export const khidFor = (mapping: ZhibangMapping, hubId: string | number): string => `${mapping.khidPrefix}${hubId}`

/** The hub id a khid was made from, when it was made by `khidFor`. */
export const hubIdOfKhid = (mapping: ZhibangMapping, khid: string): Option.Option<string> =>
  khid.startsWith(mapping.khidPrefix) && khid.length > mapping.khidPrefix.length
    ? Option.some(khid.slice(mapping.khidPrefix.length))
    : Option.none()
