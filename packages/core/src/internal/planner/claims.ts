import type { LinkState, RecordId, Side, SideRecord } from "../../Domain.js"
import { otherSide } from "../../Domain.js"
import type { PlanContext } from "./context.js"
import { attempt, guard, PolicyFailure } from "./guard.js"
import { compareIds } from "./order.js"

/** The other side's id an unlinked record names as its counterpart, or null (no claim, or no claim function). */
export const claimOf = (ctx: PlanContext, side: Side, record: SideRecord): RecordId | null => {
  const claim = ctx.input.policy.claimedLink?.[side]
  return claim === undefined
    ? null
    : guard(`the claimed link (claimedLink.${side})`, side, record.id, () => claim(record))
}

/**
 * Adopts the links unlinked records claim (`SyncPolicy.claimedLink`), left side first: the claimed record must exist
 * and be free, and be claimed by no other record (two claimants of one record are both reported, none linked).
 * Each claimant is marked in `ctx.claimed`, so the natural key and creates pass it over.
 */
export const planClaims = (
  ctx: PlanContext,
  unlinked: { readonly left: ReadonlyArray<SideRecord>; readonly right: ReadonlyArray<SideRecord> },
  link: (left: SideRecord, right: SideRecord) => LinkState | undefined
): ReadonlyArray<LinkState> => {
  const links: Array<LinkState> = []
  for (const side of ["left", "right"] as const) {
    const other = otherSide(side)
    const claimants = new Map<RecordId, Array<RecordId>>()
    for (const record of unlinked[side]) {
      if (ctx.claimed[side].has(record.id)) continue
      const claim = attempt(() => claimOf(ctx, side, record))
      if (claim === null) continue
      ctx.claimed[side].add(record.id)
      if (claim instanceof PolicyFailure) ctx.skip(claim.side, claim.id, [claim.reason])
      else claimants.set(claim, [...(claimants.get(claim) ?? []), record.id])
    }
    for (const [claimed, ids] of [...claimants].sort(([a], [b]) => compareIds(a, b))) {
      const names = `names ${other} record ${claimed} as its counterpart`
      if (ids.length > 1) {
        const message = `${side} records ${ids.join(", ")} all name ${other} record ${claimed} as their counterpart; none is linked until only one does`
        const params = { side: other, ids: ids.join(", ") }
        for (const id of ids) ctx.skip(side, id, [ctx.reason("claimedLinkShared", message, claimed, params)])
        // The claimed record is not created anew on this side either: it waits with its claimants.
        if (ctx.records[other].has(claimed) && !ctx.claimed[other].has(claimed)) {
          ctx.claimed[other].add(claimed)
          ctx.skip(other, claimed, [ctx.reason("claimedLinkShared", message, undefined, { ...params, claimed })])
        }
        continue
      }
      const id = ids[0]!
      const linked = ctx.linkOf[other].get(claimed)
      const partner = ctx.claimed[other].has(claimed) ? undefined : ctx.records[other].get(claimed)
      if (linked !== undefined || (partner === undefined && ctx.records[other].has(claimed))) {
        const to =
          linked === undefined ? "another claim" : `${side} record ${side === "left" ? linked.leftId : linked.rightId}`
        const params = {
          side: other,
          ...(linked === undefined ? {} : { partner: side === "left" ? linked.leftId : linked.rightId })
        }
        ctx.skip(side, id, [
          ctx.reason("claimedLinkTaken", `${names}, which is already linked to ${to}`, claimed, params)
        ])
        continue
      }
      if (partner === undefined) {
        ctx.skip(side, id, [
          ctx.reason("claimedLinkMissing", `${names}, which does not exist on ${other}`, claimed, { side: other })
        ])
        continue
      }
      const record = ctx.records[side].get(id)!
      ctx.claimed[other].add(claimed)
      const made = attempt(() => (side === "left" ? link(record, partner) : link(partner, record)))
      if (made instanceof PolicyFailure) {
        ctx.skip(made.side, made.id, [made.reason])
        const [otherSideOf, otherId] = made.id === id && made.side === side ? [other, claimed] : [side, id]
        const message = `its claimed counterpart, ${made.side} record ${made.id}, could not be read: ${made.reason.message}`
        ctx.skip(otherSideOf, otherId, [ctx.reason("policyError", message, made.id)])
      } else if (made !== undefined) {
        links.push(made)
        ctx.adopted[side].add(id)
        ctx.adopted[other].add(claimed)
      }
    }
  }
  return links
}
