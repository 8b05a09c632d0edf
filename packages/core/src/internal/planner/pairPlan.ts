import type { Fields, FieldValue, LinkState, RecordId, Side, SideRecord } from "../../Domain.js"
import { otherSide } from "../../Domain.js"
import type { Reason } from "../../Plan.js"
import { Conflict } from "../../Plan.js"
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
export const currentOf = (ctx: PlanContext, pair: Pair, side: Side): Fields => {
  const record = pair.record(side)
  return record !== undefined ? ctx.canonical(side, record) : (pair.baseline?.[side] ?? {})
}

interface Writes {
  readonly changes: Record<string, FieldValue>
  readonly before: Record<string, FieldValue>
  readonly fields: Array<string>
  readonly canonicalBefore: Record<string, FieldValue>
}

export const sides = ["left", "right"] as const

/** What a pair has to do, allocated only for a pair that has something to do (most have nothing). */
export class PairPlan {
  private readonly next: Partial<BySide<Record<string, FieldValue>>> = {}
  readonly writes: Partial<BySide<Writes>> = {}
  /** Why fields of each side's record are left as they are (a unique key taken, a fill-in kept apart): one `Skip` each. */
  readonly leftAlone: Partial<BySide<Array<Reason>>> = {}
  /** A change this run could not carry over: both sides are read again next run, to see it again. */
  reread = false

  constructor(
    readonly ctx: PlanContext,
    readonly pair: Pair
  ) {}

  nextOf(side: Side): Record<string, FieldValue> {
    let next = this.next[side]
    if (next === undefined) {
      next = { ...currentOf(this.ctx, this.pair, side) }
      this.next[side] = next
    }
    return next
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
        const params = {
          field: info.name,
          value: String(value),
          side: target,
          id: pair.id(target),
          ...(holder.createdFrom === undefined ? {} : { createdFrom: holder.createdFrom })
        }
        this.leaveAlone(source, ctx.reason("uniqueKey", message, holder.id, params))
        this.keepPending(info.name)
        return
      }
      ctx.unique[target].claim(info.name, value, {
        id: pair.id(target),
        description: `${target} record ${pair.id(target)}`
      })
    }
    const native = info.writable[target]!
    const record = pair.record(target)
    const writes = this.writes[target] ?? { changes: {}, before: {}, fields: [], canonicalBefore: {} }
    this.writes[target] = writes
    writes.changes[native] = value
    writes.before[native] =
      record !== undefined ? (record.fields[native] ?? null) : (pair.baseline?.[target][info.name] ?? null)
    writes.fields.push(info.name)
    const next = this.nextOf(target)
    writes.canonicalBefore[info.name] = next[info.name] ?? null
    next[info.name] = value
  }

  private leaveAlone(side: Side, reason: Reason): void {
    const reasons = this.leftAlone[side] ?? []
    reasons.push(reason)
    this.leftAlone[side] = reasons
  }

  /** A fill-in field holding two different values: neither is copied (never over a value); reported on the left record. */
  keptApart(name: string, left: FieldValue, right: FieldValue): void {
    const { leftId, rightId } = this.pair
    const message = `${name} differs: left ${leftId} holds "${left}", right ${rightId} holds "${right}"; fill-in copies only into an empty field, so both are kept`
    const params = { field: name, left: String(left), right: String(right) }
    this.leaveAlone("left", this.ctx.reason("fillIn", message, rightId, params))
  }

  conflict(name: string, left: FieldValue, right: FieldValue): void {
    const { leftId, rightId, baseline } = this.pair
    const base = { left: baseline?.left[name] ?? null, right: baseline?.right[name] ?? null }
    this.keepPending(name)
    const key = keys.conflict(leftId, rightId, name, { left, right })
    this.ctx.emit(
      "left",
      leftId,
      new Conflict({ key, leftId, rightId, field: name, left, right, baseline: base }, true)
    )
  }
}
