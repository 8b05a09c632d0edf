import type { Fields, RecordId } from "../Domain.js"
import { LinkState, otherSide, writtenVersion } from "../Domain.js"
import type { Create, Plan, Update } from "../Plan.js"

/**
 * The link state of each pair the dispatch touches, as its updates finish: what the plan expected (`planned`) where
 * they succeeded, the old baseline (`before`) for the fields of those that did not (so the change is seen again next
 * run). The version of a side written to becomes `writtenVersion` (the next run reads it again unless its listing shows
 * what was written); that of a failed update's target is cleared, and so is the version of the source of a failed
 * update (its change was not carried across, so it must be read again even if it does not change).
 * Built from typed values on the dispatcher's hot path, link states are constructed without re-validation.
 */
type Status = "open" | "done" | "failed"

interface Pair {
  readonly leftId: RecordId
  readonly rightId: RecordId
  readonly before: LinkState | undefined
  readonly planned: LinkState | undefined
  readonly updates: Map<string, { readonly op: Update; status: Status }>
}

const pairKey = (leftId: string, rightId: string) => `${leftId}\u0000${rightId}`

const restore = (target: Record<string, unknown>, from: Fields | undefined, field: string) => {
  if (from !== undefined && field in from) target[field] = from[field]
  else delete target[field]
}

export class PairLinks {
  private readonly pairs = new Map<string, Pair>()
  private readonly before: Map<string, LinkState>
  private readonly planned: Map<string, LinkState>

  constructor(before: ReadonlyArray<LinkState>, planned: ReadonlyArray<LinkState>) {
    this.before = new Map(before.map((link) => [pairKey(link.leftId, link.rightId), link]))
    this.planned = new Map(planned.map((link) => [pairKey(link.leftId, link.rightId), link]))
  }

  private pair(leftId: RecordId, rightId: RecordId): Pair {
    const key = pairKey(leftId, rightId)
    let pair = this.pairs.get(key)
    if (pair === undefined) {
      pair = { leftId, rightId, before: this.before.get(key), planned: this.planned.get(key), updates: new Map() }
      this.pairs.set(key, pair)
    }
    return pair
  }

  /** Declares an update before any operation of its pair finishes, so an earlier link save does not advance it. */
  register(op: Update): void {
    const [leftId, rightId] = op.side === "left" ? [op.id, op.otherId] : [op.otherId, op.id]
    this.pair(leftId, rightId).updates.set(op.key, { op, status: "open" })
  }

  /** The pair's link as it was before this dispatch. */
  linkBefore(leftId: RecordId, rightId: RecordId): LinkState | undefined {
    return this.pair(leftId, rightId).before
  }

  /**
   * Records how an update ended and returns the pair's link state to save with it; `otherId`, the counterpart's id
   * when the plan knew it only by its create's key (the update fills back a create's source).
   */
  settle(op: Update, succeeded: boolean, otherId: RecordId = op.otherId): LinkState {
    const [leftId, rightId] = op.side === "left" ? [op.id, op.otherId] : [op.otherId, op.id]
    const pair = this.pair(leftId, rightId)
    pair.updates.set(op.key, { op, status: succeeded ? "done" : "failed" })
    const link = this.current(pair)
    if (otherId === op.otherId) return link
    // the counterpart is what this run created; a failed fill-back has it read again (`current` cleared it)
    const created = succeeded ? writtenVersion : undefined
    return new LinkState(
      {
        ...link,
        ...(op.side === "left"
          ? { rightId: otherId, rightVersion: created }
          : { leftId: otherId, leftVersion: created })
      },
      true
    )
  }

  /**
   * The link a create made. The plan files it under the create's key in place of the id the create has just
   * produced; resumed without the plan, both baselines are the values the record was created with.
   */
  created(op: Create, id: RecordId): LinkState {
    const ids = op.side === "left" ? { leftId: id, rightId: op.sourceId } : { leftId: op.sourceId, rightId: id }
    const planned = this.planned.get(op.side === "left" ? pairKey(op.key, op.sourceId) : pairKey(op.sourceId, op.key))
    if (planned === undefined) return new LinkState({ ...ids, left: op.canonical, right: op.canonical }, true)
    return new LinkState(
      {
        ...ids,
        left: planned.left,
        right: planned.right,
        leftVersion: op.side === "left" ? writtenVersion : planned.leftVersion,
        rightVersion: op.side === "left" ? planned.rightVersion : writtenVersion
      },
      true
    )
  }

  /** The link state of a pair linked by a `Link` operation, given what its updates have done so far. */
  linked(leftId: RecordId, rightId: RecordId): LinkState {
    return this.current(this.pair(leftId, rightId))
  }

  private current(pair: Pair): LinkState {
    const base = pair.planned ?? pair.before
    if (pair.planned === undefined) {
      // Resumed after a crash, the plan's expectations are gone: keep the old baseline and read both sides again,
      // so the next plan sees what each holds now.
      return new LinkState(
        { leftId: pair.leftId, rightId: pair.rightId, left: base?.left ?? {}, right: base?.right ?? {} },
        true
      )
    }
    const sides = { left: { ...pair.planned.left }, right: { ...pair.planned.right } }
    const versions = { left: pair.planned.leftVersion, right: pair.planned.rightVersion }
    for (const { op, status } of pair.updates.values()) if (status === "done") versions[op.side] = writtenVersion
    // after every success, so that a failure's clearing is never overwritten by a success on the same side
    for (const { op, status } of pair.updates.values()) {
      if (status === "done") continue
      const source = otherSide(op.side)
      for (const field of op.canonicalFields) {
        restore(sides[op.side], pair.before?.[op.side], field)
        restore(sides[source], pair.before?.[source], field)
      }
      versions[op.side] = undefined
      versions[source] = undefined
    }
    return new LinkState(
      {
        leftId: pair.leftId,
        rightId: pair.rightId,
        left: sides.left,
        right: sides.right,
        leftVersion: versions.left,
        rightVersion: versions.right
      },
      true
    )
  }
}

/**
 * The link states of pairs no dispatched operation touched (a version seen, a baseline moved) that the store does not
 * hold already (`stored`: the links as read, which the plan passes on as they are when nothing changed, so a steady
 * run writes none); placeholders left out.
 */
export const untouchedLinks = (
  plan: Plan,
  dispatched: ReadonlySet<string>,
  stored: ReadonlySet<LinkState>
): ReadonlyArray<LinkState> => {
  const creates = new Set<string>(plan.operations.filter((op) => op._tag === "Create").map((op) => op.key))
  const touched = new Set<string>()
  for (const op of plan.operations) {
    if (!dispatched.has(op.key)) continue
    if (op._tag === "Update")
      touched.add(op.side === "left" ? `${op.id}\u0000${op.otherId}` : `${op.otherId}\u0000${op.id}`)
    if (op._tag === "Link") touched.add(`${op.leftId}\u0000${op.rightId}`)
  }
  return plan.links.filter(
    (link) =>
      !stored.has(link) &&
      !creates.has(link.leftId) &&
      !creates.has(link.rightId) &&
      !touched.has(`${link.leftId}\u0000${link.rightId}`)
  )
}
