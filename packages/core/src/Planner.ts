import type { Side } from "./Domain.js"
import { LinkState } from "./Domain.js"
import { PlanContext } from "./internal/planner/context.js"
import { planEvents } from "./internal/planner/events.js"
import { attemptWith, PolicyFailure } from "./internal/planner/guard.js"
import { compareIds } from "./internal/planner/order.js"
import { reconcilePair } from "./internal/planner/pair.js"
import { Pair } from "./internal/planner/pairPlan.js"
import { planUnlinked } from "./internal/planner/unlinked.js"
import type { PlanInput } from "./Plan.js"
import { Plan } from "./Plan.js"

/**
 * Plans one run: a pure function of both sides' records, the links and their baselines, the policy, the direction
 * and the keys already settled. A dry run and a real run call it alike and get the same plan, operations ordered by
 * side then id, with deterministic idempotency keys:
 *
 * - linked pairs are compared field by field against their baseline; a change on one side is carried to the other,
 *   a change on both is decided by the field's `conflict` rule (`manual` parks a `Conflict`), `fillIn` fields are
 *   only ever copied into an empty field; a write that would give a unique key to a second record is skipped;
 * - an unlinked record that claims its counterpart (`policy.claimedLink`) is linked to it when it exists and is free,
 *   else skipped (never created);
 * - an unlinked record is linked to the one record on the other side with its natural key, or else created there
 *   if every admission rule passes and no record there holds its unique keys (each failure is a reason in a `Skip`);
 * - events become actions on the linked (or newly created) record of the other side, except those of a record whose
 *   claimed link is adopted in this plan (counted in `Plan.withheld`, unless `policy.backfillAdopted`);
 * - a policy function that throws on a record (a field's `normalize` or `read`, the natural key, an admission rule,
 *   `afterCreate`) does not stop the plan: that record is skipped with a `policyError` reason naming the field or rule,
 *   the record and what was thrown.
 *
 * `Plan.links` predicts every pair's link state once the plan is applied. A pair created by this plan has the
 * create's idempotency key in place of the new record's id, until the dispatcher learns that id. A change the plan
 * could not carry over (the direction forbids it, a unique key is taken, a `manual` conflict) keeps its old baseline
 * and clears both sides' versions, so the next run reads both records again and sees the change again. Links are
 * assumed one-to-one (one link per id on each side), as the store keeps them.
 */
export const plan = (input: PlanInput): Plan => {
  const ctx = new PlanContext(input)
  const links: Array<LinkState> = []
  const linkedRead = { left: 0, right: 0 }
  let unchanged = 0
  const gone = { left: input.left.gone, right: input.right.gone }
  const unchangedRecord = { left: input.left.unchanged, right: input.right.unchanged }
  // Pairs are visited in id order, not input order: which of two writes of one unique value wins must not depend on it.
  for (const link of sortedByLeftId(input.links)) {
    const leftRead = ctx.records.left.get(link.leftId)
    const rightRead = ctx.records.right.get(link.rightId)
    if (leftRead !== undefined) linkedRead.left++
    if (rightRead !== undefined) linkedRead.right++
    const left = leftRead !== undefined && unchangedRecord.left?.has(link.leftId) ? undefined : leftRead
    const right = rightRead !== undefined && unchangedRecord.right?.has(link.rightId) ? undefined : rightRead
    // Most runs list no record gone: the lookups are skipped then.
    const leftGone = gone.left.size > 0 && gone.left.has(link.leftId)
    const rightGone = gone.right.size > 0 && gone.right.has(link.rightId)
    if (leftGone || rightGone) {
      skipVanished(ctx, link, leftGone, rightGone)
      links.push(link)
      continue
    }
    if (left === undefined && right === undefined && !ctx.fillInPending(link)) {
      links.push(link)
      unchanged++
      continue
    }
    const planned = ctx.planned
    const next = attemptWith(reconcilePair, ctx, new Pair(link.leftId, link.rightId, left, right, link))
    if (next instanceof PolicyFailure) {
      // The pair keeps its baseline and is read again next run; both records are left alone, the failure named.
      ctx.skip(next.side, next.id, [next.reason])
      links.push(new LinkState({ ...link, leftVersion: undefined, rightVersion: undefined }, true))
      continue
    }
    links.push(next)
    if (ctx.planned === planned) unchanged++
  }
  const anyUnlinked = linkedRead.left < ctx.records.left.size || linkedRead.right < ctx.records.right.size
  if (anyUnlinked) links.push(...planUnlinked(ctx))
  planEvents(ctx)
  const withheld = (["left", "right"] as const).flatMap((side) => {
    const { events, records } = ctx.withheld[side]
    return events === 0 ? [] : [{ side, events, records: records.size }]
  })
  return new Plan({ operations: ctx.operations(), links, unchanged, withheld }, true)
}

/** A linked record missing from a listing of every id no longer exists: the pair is reported, nothing is written. */
const skipVanished = (ctx: PlanContext, link: LinkState, leftGone: boolean, rightGone: boolean): void => {
  const reasons = [
    ...(leftGone
      ? [
          ctx.reason("linkedRecordMissing", `linked left record ${link.leftId} no longer exists on left`, undefined, {
            side: "left",
            id: link.leftId
          })
        ]
      : []),
    ...(rightGone
      ? [
          ctx.reason(
            "linkedRecordMissing",
            `linked right record ${link.rightId} no longer exists on right`,
            undefined,
            {
              side: "right",
              id: link.rightId
            }
          )
        ]
      : [])
  ]
  const survivor: Side = leftGone && !rightGone ? "right" : "left"
  ctx.skip(survivor, survivor === "left" ? link.leftId : link.rightId, reasons)
}

const sortedByLeftId = (links: ReadonlyArray<LinkState>): ReadonlyArray<LinkState> =>
  links.slice().sort((a, b) => compareIds(a.leftId, b.leftId))
