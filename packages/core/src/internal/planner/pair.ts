import type { Fields, FieldValue, RecordId, Side } from "../../Domain.js"
import { LinkState, otherSide } from "../../Domain.js"
import { Update } from "../../Plan.js"
import type { BySide, MappingInfo, PlanContext } from "./context.js"
import { keys } from "./context.js"
import { readGuarded } from "./guard.js"
import type { Pair } from "./pairPlan.js"
import { currentOf, PairPlan, sides } from "./pairPlan.js"

const writable = (info: MappingInfo, target: Side) => info.writable[target] !== null && !info.mapping.createOnly

/**
 * Decides one shared field whose two current values differ; returns the pair's plan, allocated on the first field that
 * has something to do (most pairs have nothing, and allocate nothing).
 */
const decide = (
  ctx: PlanContext,
  pair: Pair,
  info: MappingInfo,
  left: FieldValue,
  right: FieldValue,
  state: PairPlan | undefined
): PairPlan | undefined => {
  const { baseline } = pair
  const name = info.name
  if (info.mapping.fillIn) {
    const target = left === null ? "left" : right === null ? "right" : undefined
    if (target === undefined) {
      // Two different values, neither empty: fill-in copies neither, and the run says so.
      const plan = state ?? new PairPlan(ctx, pair)
      plan.keptApart(name, left, right)
      return plan
    }
    if (!writable(info, target)) return state
    const plan = state ?? new PairPlan(ctx, pair)
    plan.write(info, target, target === "left" ? right : left, true)
    return plan
  }
  const known = baseline !== undefined && name in baseline.left && name in baseline.right
  const leftChanged = !known || left !== baseline.left[name]
  const rightChanged = !known || right !== baseline.right[name]
  if (!leftChanged && !rightChanged) return state
  let winner: Side
  if (leftChanged !== rightChanged) winner = leftChanged ? "left" : "right"
  else if (info.mapping.conflict === "manual") {
    const plan = state ?? new PairPlan(ctx, pair)
    plan.conflict(name, left, right)
    return plan
  } else if (info.mapping.conflict === "newest") {
    const leftAt = pair.left?.updatedAt ?? Number.NEGATIVE_INFINITY
    const rightAt = pair.right?.updatedAt ?? Number.NEGATIVE_INFINITY
    winner = leftAt > rightAt ? "left" : "right"
  } else winner = info.mapping.conflict
  const target = otherSide(winner)
  if (!writable(info, target)) return state
  const plan = state ?? new PairPlan(ctx, pair)
  plan.write(info, target, winner === "left" ? left : right, false)
  return plan
}

const versionOf = (pair: Pair, side: Side): string | undefined =>
  pair.record(side)?.version ?? (side === "left" ? pair.baseline?.leftVersion : pair.baseline?.rightVersion)

/** A side's current value of a field: read from its record, else its baseline's (`undefined`: unknown). */
const currentValue = (pair: Pair, side: Side, info: MappingInfo): FieldValue | undefined => {
  const record = pair.record(side)
  return record !== undefined ? readGuarded(info, side, record) : pair.baseline?.[side][info.name]
}

/**
 * Reconciles one pair field by field against its baseline, emits its updates, conflicts and collision skips, and
 * returns its next link state.
 */
export const reconcilePair = (ctx: PlanContext, pair: Pair): LinkState => {
  const { baseline } = pair
  let state: PairPlan | undefined
  // Whether each side still holds exactly its baseline: then the stored link stands as it is.
  let same = baseline !== undefined
  // Every value is read before anything is decided, so a policy that throws (see `guard`) leaves no trace of the pair.
  const count = ctx.mappings.length
  const values = ctx.pairValues
  for (let i = 0; i < count; i++) {
    const info = ctx.mappings[i]!
    values[2 * i] = currentValue(pair, "left", info)
    values[2 * i + 1] = currentValue(pair, "right", info)
  }
  for (let i = 0; i < count; i++) {
    const info = ctx.mappings[i]!
    const name = info.name
    const left = values[2 * i]
    const right = values[2 * i + 1]
    // `in` only for an unknown value: a known one equal to the baseline's is in it.
    if (
      same &&
      !(
        baseline!.left[name] === left &&
        baseline!.right[name] === right &&
        (left !== undefined || name in baseline!.left) &&
        (right !== undefined || name in baseline!.right)
      )
    ) {
      same = false
    }
    // A value neither read nor in the baseline is unknown: nothing is decided on it until a read brings it.
    if (!info.shared || left === undefined || right === undefined || left === right) continue
    state = decide(ctx, pair, info, left, right, state)
  }
  if (state === undefined) {
    const left = versionOf(pair, "left")
    const right = versionOf(pair, "right")
    if (same && left === baseline!.leftVersion && right === baseline!.rightVersion) return baseline!
    return linkState(
      pair,
      { left: currentOf(ctx, pair, "left"), right: currentOf(ctx, pair, "right") },
      { left, right }
    )
  }
  return finish(ctx, pair, state)
}

/** Turns a pair's plan into its operations and next link state. */
const finish = (ctx: PlanContext, pair: Pair, done: PairPlan): LinkState => {
  for (const target of sides) {
    const writes = done.writes[target]
    if (writes === undefined) continue
    const id = pair.id(target)
    const content = { changes: writes.changes, before: writes.before, version: versionOf(pair, target) }
    const update = new Update(
      {
        key: keys.update(target, id, content),
        side: target,
        id,
        otherId: pair.id(otherSide(target)),
        changes: writes.changes,
        before: writes.before,
        canonicalFields: writes.fields,
        canonicalBefore: writes.canonicalBefore
      },
      true
    )
    ctx.emit("left", pair.leftId, update)
  }
  for (const source of sides) {
    const reasons = done.leftAlone[source]
    if (reasons !== undefined) ctx.skip(source, pair.id(source), reasons)
  }
  const versions = {
    left: done.writes.left !== undefined || done.reread ? undefined : versionOf(pair, "left"),
    right: done.writes.right !== undefined || done.reread ? undefined : versionOf(pair, "right")
  }
  return linkState(pair, { left: done.nextFields("left"), right: done.nextFields("right") }, versions)
}

export const linkState = (
  ids: { readonly leftId: RecordId; readonly rightId: RecordId },
  fields: BySide<Fields>,
  versions: BySide<string | undefined>
): LinkState =>
  new LinkState(
    {
      leftId: ids.leftId,
      rightId: ids.rightId,
      left: fields.left,
      right: fields.right,
      ...(versions.left === undefined ? {} : { leftVersion: versions.left }),
      ...(versions.right === undefined ? {} : { rightVersion: versions.right })
    },
    true
  )
