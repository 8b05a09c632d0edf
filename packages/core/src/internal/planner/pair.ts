import type { FieldValue, Fields, RecordId, Side, SideRecord } from "../../Domain.js"
import { LinkState, otherSide } from "../../Domain.js"
import { readField } from "../../Mapping.js"
import { Conflict, Update } from "../../Plan.js"
import type { Reason } from "../../Plan.js"
import type { BySide, MappingInfo, PlanContext } from "./context.js"
import { keys } from "./context.js"

/** One pair to reconcile: a stored link, or two records just matched by natural key (no baseline yet). */
export class Pair {
  constructor(
    readonly leftId: RecordId,
    readonly rightId: RecordId,
    /** The records read this run; an unread side is represented by its baseline. */
    readonly left: SideRecord | undefined,
    readonly right: SideRecord | undefined,
    readonly baseline: LinkState | undefined
  ) {}

  id(side: Side): RecordId {
    return side === "left" ? this.leftId : this.rightId
  }

  record(side: Side): SideRecord | undefined {
    return side === "left" ? this.left : this.right
  }
}

/** A side's current canonical values: the read record's, else its baseline. */
const currentOf = (ctx: PlanContext, pair: Pair, side: Side): Fields => {
  const record = pair.record(side)
  return record !== undefined ? ctx.canonical(side, record) : (pair.baseline?.[side] ?? {})
}

interface Writes {
  readonly changes: Record<string, FieldValue>
  readonly before: Record<string, FieldValue>
  readonly fields: Array<string>
}

const sides = ["left", "right"] as const

/** What a pair has to do, allocated only for a pair that has something to do (most have nothing). */
class PairPlan {
  private readonly next: Partial<BySide<Record<string, FieldValue>>> = {}
  readonly writes: Partial<BySide<Writes>> = {}
  readonly collisions: Partial<BySide<Array<Reason>>> = {}
  /** A change this run could not carry over: both sides are read again next run, to see it again. */
  reread = false

  constructor(
    readonly ctx: PlanContext,
    readonly pair: Pair
  ) {}

  nextOf(side: Side): Record<string, FieldValue> {
    return (this.next[side] ??= { ...currentOf(this.ctx, this.pair, side) })
  }

  nextFields(side: Side): Fields {
    return this.next[side] ?? currentOf(this.ctx, this.pair, side)
  }

  /**
   * Leaves a field's baseline where it was, so the change is still seen as a change next run; both sides are read
   * again then, since a baseline kept for an unread side would hide a change made there.
   */
  keepPending(field: string): void {
    this.reread = true
    for (const side of sides) {
      const base = this.pair.baseline?.[side]
      const next = this.nextOf(side)
      if (base !== undefined && field in base) next[field] = base[field] ?? null
      else delete next[field]
    }
  }

  /** Plans writing `value` into `info` on `target`; when it cannot be done now, keeps the change pending. */
  write(info: MappingInfo, target: Side, value: FieldValue, fillIn: boolean): void {
    const { ctx, pair } = this
    const source = otherSide(target)
    if (!ctx.writes(target)) {
      if (!fillIn) this.keepPending(info.name)
      return
    }
    if (value !== null && ctx.input.policy.uniqueKeys[target].includes(info.name)) {
      const holder = ctx.unique[target].holderOf(info.name, value, pair.id(target))
      if (holder !== undefined) {
        const message = `${info.name} "${value}" already belongs to ${holder.description}; not written to ${target} record ${pair.id(target)}`
        ;(this.collisions[source] ??= []).push(ctx.reason("uniqueKey", message, holder.id))
        this.keepPending(info.name)
        return
      }
      ctx.unique[target].claim(info.name, value, { id: pair.id(target), description: `${target} record ${pair.id(target)}` })
    }
    const native = info.writable[target]!
    const record = pair.record(target)
    const writes = (this.writes[target] ??= { changes: {}, before: {}, fields: [] })
    writes.changes[native] = value
    writes.before[native] = record !== undefined ? (record.fields[native] ?? null) : (pair.baseline?.[target][info.name] ?? null)
    writes.fields.push(info.name)
    this.nextOf(target)[info.name] = value
  }

  conflict(name: string, left: FieldValue, right: FieldValue): void {
    const { leftId, rightId, baseline } = this.pair
    const base = { left: baseline?.left[name] ?? null, right: baseline?.right[name] ?? null }
    this.keepPending(name)
    const key = keys.conflict(leftId, rightId, name, { left, right })
    this.ctx.emit("left", leftId, new Conflict({ key, leftId, rightId, field: name, left, right, baseline: base }, true))
  }
}

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
    if (left === null && writable(info, "left")) (state ??= new PairPlan(ctx, pair)).write(info, "left", right, true)
    else if (right === null && writable(info, "right")) (state ??= new PairPlan(ctx, pair)).write(info, "right", left, true)
    return state
  }
  const known = baseline !== undefined && name in baseline.left && name in baseline.right
  const leftChanged = !known || left !== baseline.left[name]
  const rightChanged = !known || right !== baseline.right[name]
  if (!leftChanged && !rightChanged) return state
  let winner: Side
  if (leftChanged !== rightChanged) winner = leftChanged ? "left" : "right"
  else if (info.mapping.conflict === "manual") {
    ;(state ??= new PairPlan(ctx, pair)).conflict(name, left, right)
    return state
  } else if (info.mapping.conflict === "newest") {
    const leftAt = pair.left?.updatedAt ?? Number.NEGATIVE_INFINITY
    const rightAt = pair.right?.updatedAt ?? Number.NEGATIVE_INFINITY
    winner = leftAt > rightAt ? "left" : "right"
  } else winner = info.mapping.conflict
  const target = otherSide(winner)
  if (writable(info, target)) (state ??= new PairPlan(ctx, pair)).write(info, target, winner === "left" ? left : right, false)
  return state
}

const versionOf = (pair: Pair, side: Side): string | undefined =>
  pair.record(side)?.version ?? (side === "left" ? pair.baseline?.leftVersion : pair.baseline?.rightVersion)

/** A side's current value of a field: read from its record, else its baseline's (`undefined`: unknown). */
const valueOf = (pair: Pair, side: Side, info: MappingInfo): FieldValue | undefined => {
  const record = pair.record(side)
  return record !== undefined ? readField(info.mapping, side, record) : pair.baseline?.[side][info.name]
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
  for (const info of ctx.mappings) {
    const left = valueOf(pair, "left", info)
    const right = valueOf(pair, "right", info)
    if (same && !(baseline!.left[info.name] === left && info.name in baseline!.left && baseline!.right[info.name] === right && info.name in baseline!.right)) {
      same = false
    }
    // A value neither read nor in the baseline is unknown: nothing is decided on it until a read brings it.
    if (!info.shared || left === undefined || right === undefined || left === right) continue
    state = decide(ctx, pair, info, left, right, state)
  }
  if (state === undefined) {
    const versions = { left: versionOf(pair, "left"), right: versionOf(pair, "right") }
    if (same && versions.left === baseline!.leftVersion && versions.right === baseline!.rightVersion) return baseline!
    return linkState(pair, { left: currentOf(ctx, pair, "left"), right: currentOf(ctx, pair, "right") }, versions)
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
      { key: keys.update(target, id, content), side: target, id, otherId: pair.id(otherSide(target)), changes: writes.changes, before: writes.before, canonicalFields: writes.fields },
      true
    )
    ctx.emit("left", pair.leftId, update)
  }
  for (const source of sides) {
    const reasons = done.collisions[source]
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
