import type { Fields, LinkState, RecordId, Side } from "../../Domain.js"
import { otherSide, SideRecord } from "../../Domain.js"
import type { Reason } from "../../Plan.js"
import { Action, Create, Link } from "../../Plan.js"
import { planClaims } from "./claims.js"
import type { PlanContext } from "./context.js"
import { bySide, keys } from "./context.js"
import { planFillBack } from "./fillBack.js"
import { attempt, guard, PolicyFailure, readGuarded } from "./guard.js"
import { compareIds } from "./order.js"
import { linkState, reconcilePair } from "./pair.js"
import { Pair } from "./pairPlan.js"
import { describeCreated } from "./unique.js"

const byId = (a: SideRecord, b: SideRecord) => compareIds(a.id, b.id)

const naturalKeyOf = (ctx: PlanContext, side: Side, record: SideRecord): string | null =>
  guard(`the natural key (naturalKey.${side})`, side, record.id, () => ctx.input.policy.naturalKey[side](record))

/** Natural key → the records of `side` holding it; a record whose key cannot be computed is in none (it is skipped). */
const naturalKeyIndex = (ctx: PlanContext, side: Side): Map<string, Array<RecordId>> => {
  const index = new Map<string, Array<RecordId>>()
  for (const record of ctx.records[side].values()) {
    const key = attempt(() => naturalKeyOf(ctx, side, record))
    if (key === null || key instanceof PolicyFailure) continue
    const ids = index.get(key)
    if (ids === undefined) index.set(key, [record.id])
    else ids.push(record.id)
  }
  return index
}

const list = (ids: ReadonlyArray<RecordId>) => ids.slice().sort(compareIds).join(", ")

/**
 * Decides, for an unlinked record with a natural key found on the other side, what it is: the single unlinked
 * record with that key on both sides is a match; anything else is reported, never guessed.
 */
const matchOf = (
  ctx: PlanContext,
  side: Side,
  record: SideRecord,
  index: { readonly left: Map<string, Array<RecordId>>; readonly right: Map<string, Array<RecordId>> }
):
  | { readonly _tag: "None" }
  | { readonly _tag: "Match"; readonly otherId: RecordId }
  | { readonly _tag: "Skip"; readonly reason: Reason } => {
  const key = naturalKeyOf(ctx, side, record)
  const other = otherSide(side)
  const theirs = key === null ? undefined : index[other].get(key)
  if (key === null || theirs === undefined) return { _tag: "None" }
  const ours = index[side].get(key) ?? [record.id]
  const [otherId] = theirs
  if (ours.length > 1 || theirs.length > 1 || otherId === undefined) {
    const message = `natural key "${key}" belongs to several records: ${side} ${list(ours)}; ${other} ${list(theirs)}`
    return { _tag: "Skip", reason: ctx.reason("naturalKey", message, undefined, { key, problem: "several" }) }
  }
  if (ctx.claimed[other].has(otherId)) {
    const message = `natural key "${key}" belongs to ${other} record ${otherId}, whose claimed link decides it`
    return { _tag: "Skip", reason: ctx.reason("naturalKey", message, otherId) }
  }
  const linked = ctx.linkOf[other].get(otherId)
  if (linked !== undefined) {
    const partner = side === "left" ? linked.leftId : linked.rightId
    const message = `natural key "${key}" belongs to ${other} record ${otherId}, already linked to ${side} record ${partner}`
    return {
      _tag: "Skip",
      reason: ctx.reason("naturalKey", message, otherId, { key, problem: "linked", side: other, partner })
    }
  }
  return { _tag: "Match", otherId }
}

const linkPair = (ctx: PlanContext, left: SideRecord, right: SideRecord): LinkState | undefined => {
  // Read both records before emitting anything: a policy that throws then leaves no half-planned link.
  ctx.canonical("left", left)
  ctx.canonical("right", right)
  const key = keys.link(left.id, right.id)
  if (ctx.settled(key)) {
    const reason = ctx.reason(
      "linkUndone",
      `an earlier link of left ${left.id} and right ${right.id} is recorded and was undone; they are left apart`
    )
    ctx.skip("left", left.id, [reason])
    ctx.skip("right", right.id, [reason])
    return undefined
  }
  ctx.emit("left", left.id, new Link({ key, leftId: left.id, rightId: right.id }, true))
  ctx.matched.left.set(left.id, right.id)
  ctx.matched.right.set(right.id, left.id)
  return reconcilePair(ctx, new Pair(left.id, right.id, left, right, undefined))
}

/** Plans creating `record` of `side` on the other side, or the skip that explains why not. */
const createFrom = (ctx: PlanContext, side: Side, record: SideRecord): LinkState | undefined => {
  const target = otherSide(side)
  const key = keys.create(target, record.id)
  if (ctx.settled(key)) {
    const message = `an earlier create of this record on ${target} is recorded (it may have been rolled back); it is not created again`
    ctx.skip(side, record.id, [ctx.reason("alreadyCreated", message, undefined, { side: target })])
    return undefined
  }
  const cameFrom = ctx.input.policy.cameFromOther?.[side]
  if (cameFrom !== undefined && guard(`cameFromOther.${side}`, side, record.id, () => cameFrom(record))) {
    const natural = naturalKeyOf(ctx, side, record)
    const message =
      natural === null
        ? `came from ${target} but has no natural key to find it there by: it is not created on ${target}`
        : `came from ${target} but no ${target} record has its natural key "${natural}": it is not created on ${target}`
    ctx.skip(side, record.id, [
      ctx.reason("cameFromOther", message, undefined, { side: target, ...(natural === null ? {} : { key: natural }) })
    ])
    return undefined
  }
  const canonical = ctx.canonical(side, record)
  const admission = ctx.input.policy.admission[target === "right" ? "toRight" : "toLeft"]
  const refused = admission.flatMap((rule) => {
    const failure = guard(`admission rule "${rule.name}"`, side, record.id, () => rule.check(record, canonical))
    if (failure === null) return []
    return [
      typeof failure === "string"
        ? ctx.reason(rule.name, failure)
        : ctx.reason(rule.name, failure.message, undefined, failure.params)
    ]
  })
  if (refused.length > 0) {
    ctx.skip(side, record.id, refused)
    return undefined
  }
  const written = ctx.mappings.filter((info) => info.writable[target] !== null)
  const unique = ctx.input.policy.uniqueKeys[target]
  const collisions = written.flatMap((info) => {
    const value = canonical[info.name] ?? null
    if (value === null || !unique.includes(info.name)) return []
    const holder = ctx.unique[target].holderOf(info.name, value, undefined)
    return holder === undefined
      ? []
      : [
          ctx.reason("uniqueKey", `${info.name} "${value}" already belongs to ${holder.description}`, holder.id, {
            field: info.name,
            value: String(value),
            side: target,
            ...(holder.createdFrom === undefined ? {} : { createdFrom: holder.createdFrom })
          })
        ]
  })
  if (collisions.length > 0) {
    ctx.skip(side, record.id, collisions)
    return undefined
  }
  const direction = target === "right" ? "toRight" : "toLeft"
  const following = guard(
    `afterCreate.${direction}`,
    side,
    record.id,
    () => ctx.input.policy.afterCreate?.[direction]?.(record, canonical) ?? []
  )
  const fields: Record<string, Fields[string]> = {}
  const targetCanonical: Record<string, Fields[string]> = {}
  for (const info of written) {
    const value = canonical[info.name] ?? null
    targetCanonical[info.name] = value
    if (value !== null) fields[info.writable[target]!] = value
    if (value !== null && unique.includes(info.name)) {
      ctx.unique[target].claim(info.name, value, {
        description: describeCreated(target, side, record.id),
        createdFrom: record.id
      })
    }
  }
  // A field the target only reads (an ERP value the source mirrors) holds what the payload gives it: the baseline
  // records that, so the value the create set is not taken for a change of the target next run.
  const created = new SideRecord({ id: key as string as RecordId, fields })
  for (const info of ctx.mappings) {
    if (info.writable[target] === null && !info.mapping.createOnly && !(info.name in targetCanonical)) {
      targetCanonical[info.name] = readGuarded(info, target, created)
    }
  }
  ctx.emit(
    side,
    record.id,
    new Create({ key, side: target, sourceId: record.id, fields, canonical: targetCanonical }, true)
  )
  ctx.created[target].add(record.id)
  // the created record bears the source's name, so a person finds it on the target by that name
  const label = following.length === 0 ? undefined : ctx.displayName(side, record)
  following.forEach((action, index) => {
    const actionKey = keys.afterCreate(target, record.id, index, action.kind)
    const op = new Action(
      {
        key: actionKey,
        side: target,
        target: { _tag: "CreatedFrom", sourceId: record.id },
        kind: action.kind,
        payload: action.payload,
        ...(label === undefined ? {} : { label })
      },
      true
    )
    ctx.emit(side, record.id, op)
  })
  // The created record's id is known only once the create is done: its key stands for it until then.
  const ids =
    side === "left"
      ? { leftId: record.id, rightId: key as string as RecordId }
      : { leftId: key as string as RecordId, rightId: record.id }
  const source = { ...canonical, ...planFillBack(ctx, side, record, canonical, targetCanonical, key, fields) }
  const baseline = side === "left" ? { left: source, right: targetCanonical } : { left: targetCanonical, right: source }
  return linkState(
    ids,
    baseline,
    side === "left" ? { left: record.version, right: undefined } : { left: undefined, right: record.version }
  )
}

/** Matches, links or creates every unlinked record read this run; returns the link states this adds. */
export const planUnlinked = (ctx: PlanContext): ReadonlyArray<LinkState> => {
  const index = { left: naturalKeyIndex(ctx, "left"), right: naturalKeyIndex(ctx, "right") }
  const links: Array<LinkState> = []
  const unlinked = bySide((side) =>
    Array.from(ctx.records[side].values())
      .filter((record) => !ctx.linkOf[side].has(record.id))
      .sort(byId)
  )
  links.push(...planClaims(ctx, unlinked, (left, right) => linkPair(ctx, left, right)))
  const unmatched: { left: Array<SideRecord>; right: Array<SideRecord> } = { left: [], right: [] }
  // A match is handled from its left record; its right record is passed over (linked, or skipped with it).
  const paired = new Set<RecordId>()
  for (const side of ["left", "right"] as const) {
    for (const record of unlinked[side]) {
      if ((side === "right" && paired.has(record.id)) || ctx.claimed[side].has(record.id)) continue
      const failed = attempt(() => {
        const match = matchOf(ctx, side, record, index)
        if (match._tag === "None") unmatched[side].push(record)
        else if (match._tag === "Skip") ctx.skip(side, record.id, [match.reason])
        else {
          const other = ctx.records[otherSide(side)].get(match.otherId)!
          paired.add(side === "left" ? other.id : record.id)
          const link = attempt(() => (side === "left" ? linkPair(ctx, record, other) : linkPair(ctx, other, record)))
          if (link instanceof PolicyFailure) {
            // Both records of the match are left apart: the one that failed, and its partner with why.
            skipFailed(ctx, link)
            const partner = link.id === record.id ? other : record
            const partnerSide = link.side === side ? otherSide(side) : side
            const message = `its natural-key match, ${link.side} record ${link.id}, could not be read: ${link.reason.message}`
            ctx.skip(partnerSide, partner.id, [ctx.reason("policyError", message, link.id)])
          } else if (link !== undefined) links.push(link)
        }
      })
      if (failed instanceof PolicyFailure) skipFailed(ctx, failed)
    }
  }
  for (const side of ["left", "right"] as const) {
    if (!ctx.writes(otherSide(side))) continue
    for (const record of unmatched[side]) {
      const link = attempt(() => createFrom(ctx, side, record))
      if (link instanceof PolicyFailure) skipFailed(ctx, link)
      else if (link !== undefined) links.push(link)
    }
  }
  return links
}

const skipFailed = (ctx: PlanContext, failure: PolicyFailure): void => {
  ctx.skip(failure.side, failure.id, [failure.reason])
}
