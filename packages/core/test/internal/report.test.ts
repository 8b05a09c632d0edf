import { describe, expect, it } from "@effect/vitest"
import { LinkState, RunId } from "../../src/Domain.js"
import { linksStanding, withEarlier } from "../../src/internal/report.js"
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

describe("linksStanding", () => {
  it("leaves out what would show a link no longer standing, whichever side the outcome is about", () => {
    const links = [new LinkState({ leftId: id("1"), rightId: id("R1"), left: {}, right: {} })]
    const run = [
      outcome("1", "left", "1", "R1", "update", "updated"), // stands
      outcome("1", "right", "R1", "1", "create", "created"), // stands, told from the other side
      outcome("1", "left", "2", "R2", "link", "linked"), // the link was rolled back
      outcome("1", "right", "R3", "3", "create", "created"), // so was this create's
      outcome("1", "left", "4", "R4", "update", "failed"), // shows no link: told as it is
      outcome("1", "left", "5", undefined, "skip", "skipped")
    ]
    expect(linksStanding([run], links)).toEqual([[run[0], run[1], run[4], run[5]]])
    expect(linksStanding([], links)).toEqual([])
  })
})
