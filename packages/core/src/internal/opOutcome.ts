import type { RecordId, RunId, Side } from "../Domain.js"
import { otherSide } from "../Domain.js"
import type { Operation, ReasonParams } from "../Plan.js"
import { Reason } from "../Plan.js"
import { Outcome } from "../SyncStore.js"
import { keys } from "./planner/context.js"

// Built from values the types already guarantee, on the dispatcher's hot path: constructed without re-validation.

/** The record an operation is about, as reports name it: the source of a create, the record an update wrote. */
export const subject = (
  op: Operation,
  resolvedId?: RecordId
): { readonly side: Side; readonly id: RecordId; readonly otherId?: RecordId; readonly operation: string } => {
  switch (op._tag) {
    case "Create":
      return { side: otherSide(op.side), id: op.sourceId, otherId: resolvedId, operation: "create" }
    case "Update":
      // a fill-back's counterpart is known by its create's key until the create lands: no id to show before
      return {
        side: op.side,
        id: op.id,
        otherId:
          resolvedId ?? ((op.otherId as string) === keys.create(otherSide(op.side), op.id) ? undefined : op.otherId),
        operation: "update"
      }
    case "Link":
      return { side: "left", id: op.leftId, otherId: op.rightId, operation: "link" }
    case "Action":
      return {
        side: op.side,
        id: resolvedId ?? (op.target._tag === "Id" ? op.target.id : op.target.sourceId),
        operation: `action:${op.kind}`
      }
    case "Skip":
      return { side: op.side, id: op.id, operation: "skip" }
    case "Conflict":
      return { side: "left", id: op.leftId, otherId: op.rightId, operation: "conflict" }
    case "Intake":
      return { side: op.side, id: op.id, operation: "intake" }
  }
}

const succeeded = {
  Create: "created",
  Update: "updated",
  Link: "linked",
  Action: "performed",
  Skip: "skipped",
  Conflict: "conflict",
  Intake: "created"
} as const

// One literal, not a spread of the subject: the class's constructor costs several times more with a spread argument.
const outcomeOf = (
  runId: RunId,
  op: Operation,
  resolvedId: RecordId | undefined,
  outcome: Outcome["outcome"],
  reasons: Array<Reason>
) => {
  const { side, id, otherId, operation } = subject(op, resolvedId)
  return new Outcome({ runId, side, id, otherId, operation, outcome, reasons }, true)
}

export const done = (runId: RunId, op: Operation, resolvedId?: RecordId): Outcome =>
  outcomeOf(runId, op, resolvedId, succeeded[op._tag], [])

export const notDone = (
  runId: RunId,
  op: Operation,
  outcome: Outcome["outcome"],
  reason: Reason,
  resolvedId?: RecordId
): Outcome => outcomeOf(runId, op, resolvedId, outcome, [reason])

export const reason = (rule: string, message: string, collidingId?: RecordId, params?: ReasonParams) =>
  new Reason({ rule, message, collidingId, ...(params === undefined ? {} : { params }) })
