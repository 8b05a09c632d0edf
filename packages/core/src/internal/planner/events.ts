import type { SideEvent } from "../../Adapter.js"
import type { RecordId, Side } from "../../Domain.js"
import { otherSide } from "../../Domain.js"
import { Action } from "../../Plan.js"
import type { PlanContext } from "./context.js"
import { keys } from "./context.js"
import { attempt, PolicyFailure } from "./guard.js"
import { compareIds } from "./order.js"

const byRecordThenKey = (a: SideEvent, b: SideEvent) =>
  compareIds(a.id, b.id) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

/** The record on `target` an event about `id` of the other side lands on, if the two are (or are becoming) linked. */
const targetOf = (ctx: PlanContext, side: Side, id: RecordId): Action["target"] | undefined => {
  const target = otherSide(side)
  const link = ctx.linkOf[side].get(id)
  if (link !== undefined) return { _tag: "Id", id: target === "left" ? link.leftId : link.rightId }
  const matched = ctx.matched[side].get(id)
  if (matched !== undefined) return { _tag: "Id", id: matched }
  if (ctx.created[target].has(id)) return { _tag: "CreatedFrom", sourceId: id }
  return undefined
}

/** The target record's name when it was read this run, else the name of the record the event is about. */
const labelOf = (ctx: PlanContext, side: Side, id: RecordId, found: Action["target"]): string | undefined => {
  const target = otherSide(side)
  const onTarget = found._tag === "Id" ? ctx.displayName(target, ctx.records[target].get(found.id)) : undefined
  return onTarget ?? ctx.displayName(side, ctx.records[side].get(id))
}

/**
 * Turns each side's events into actions on the other side, at most once per event key, ever. An event about a record
 * neither linked nor created this run plans nothing: its side emits it again until the record is linked, and the
 * record's own skip (or its absence from the plan's creates) already says why it is not linked, so a reason here would
 * only reword that record's status each time its content changes. The events of a record whose claimed link is
 * adopted this run all predate the adoption, and whoever made the link may have carried them: they are withheld
 * (counted, not planned) unless the policy's `backfillAdopted`; the side's checkpoint then passes them.
 */
export const planEvents = (ctx: PlanContext): void => {
  for (const side of ["left", "right"] as const) {
    const target = otherSide(side)
    if (!ctx.writes(target)) continue
    for (const event of ctx.input[side].events.slice().sort(byRecordThenKey)) {
      const found = targetOf(ctx, side, event.id)
      if (found === undefined) continue
      if (ctx.adopted[side].has(event.id) && ctx.input.policy.backfillAdopted !== true) {
        const withheld = ctx.withheld[target]
        withheld.events++
        withheld.records.add(event.id)
        continue
      }
      const key = keys.action(target, event.key)
      const label = attempt(() => labelOf(ctx, side, event.id, found))
      if (label instanceof PolicyFailure) {
        ctx.skip(label.side, label.id, [label.reason])
        continue
      }
      ctx.emit(
        side,
        event.id,
        new Action(
          {
            key,
            side: target,
            target: found,
            kind: event.kind,
            payload: event.payload,
            ...(label === undefined ? {} : { label })
          },
          true
        )
      )
    }
  }
}
