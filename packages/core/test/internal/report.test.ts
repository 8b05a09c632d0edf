import { describe, expect, it } from "@effect/vitest"
import { RunId } from "../../src/Domain.js"
import { withEarlier } from "../../src/internal/report.js"
import { Outcome } from "../../src/SyncStore.js"
import { id } from "../harness.js"

const outcome = (
  run: string,
  side: "left" | "right",
  self: string,
  other: string | undefined,
  operation: string,
  result: Outcome["outcome"]
) =>
  new Outcome({
    runId: RunId.make(run),
    side,
    id: id(self),
    ...(other === undefined ? {} : { otherId: id(other) }),
    operation,
    outcome: result,
    reasons: []
  })

describe("withEarlier", () => {
  it("adds what earlier runs never told, the latest word on a record winning, actions aside", () => {
    const current = [
      outcome("3", "left", "1", "R1", "update", "updated"),
      outcome("3", "left", "2", "R2", "action:followUp", "performed")
    ]
    const previous = [
      outcome("2", "right", "R1", "1", "create", "failed"), // the pair of left 1: this run's word wins
      outcome("2", "left", "2", "R2", "create", "created"), // only an action this run: still untold
      outcome("2", "left", "3", undefined, "skip", "skipped")
    ]
    const oldest = [
      outcome("1", "left", "3", undefined, "create", "failed"),
      outcome("1", "left", "4", "R4", "link", "linked")
    ]
    expect(withEarlier(current, [previous, oldest])).toEqual([...current, previous[1], previous[2], oldest[1]])
  })

  it("adds nothing when there is nothing earlier", () => {
    const current = [outcome("1", "left", "1", "R1", "create", "created")]
    expect(withEarlier(current, [])).toEqual(current)
  })
})
