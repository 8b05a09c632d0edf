import { Run, type RunId } from "@tongbu/core"
import type { CallLogEntry } from "@tongbu/mock-erp"
import { describe, expect, it } from "vitest"
import { overlaps } from "./overlaps.js"

const counts = { created: 0, updated: 0, linked: 0, unchanged: 0, skipped: 0, conflicts: 0, actions: 0, failed: 0 }
const run = (id: number, startedAt: number, finishedAt?: number, status: Run["status"] = "completed") =>
  new Run({
    id: String(id) as RunId,
    kind: "sync",
    status,
    direction: "both",
    dryRun: false,
    full: false,
    startedAt,
    ...(finishedAt === undefined ? {} : { finishedAt }),
    counts,
    warnings: []
  })
let seq = 0
const call = (at: number, session: string, answer: CallLogEntry["answer"] = "data"): CallLogEntry => ({
  seq: ++seq,
  at,
  method: "POST",
  path: "/sysa/mobilephone/clientlist.asp",
  command: "",
  endpoint: "customer.list",
  user: "admin",
  session,
  faults: [],
  answer,
  message: ""
})

describe("overlaps", () => {
  it("none for runs one after another, each its runner's session; an attempt that recorded no run before the next", () => {
    const runs = [run(1, 100, 200), run(2, 300, 400)]
    const calls = [
      call(50, "A"),
      call(150, "A"),
      call(220, "C"),
      call(250, "A", "session"),
      call(260, "B"),
      call(350, "B")
    ]
    expect(overlaps(runs, calls, [])).toEqual([])
    expect(overlaps(runs, [call(350, "B"), { ...call(360, "A", "session"), endpoint: "logout" }], [])).toEqual([])
  })
  it("a run recorded while another had not ended", () => {
    expect(overlaps([run(1, 100, 300), run(2, 250, 400)], [], [])).toEqual(["run 2 started during run 1"])
  })
  it("another client while a run writes, or the run's own session kicked meanwhile", () => {
    const runs = [run(1, 100, 200), run(2, 300, 400)]
    expect(overlaps(runs, [call(150, "A"), call(160, "B"), call(170, "A")], [])).toEqual([
      expect.stringMatching(/^during run 1, 2 clients called the ERP: 2 calls/)
    ])
    expect(overlaps(runs, [call(310, "B"), call(320, "B", "session"), call(330, "B2")], [])).toEqual([
      expect.stringMatching(/^during run 2, 2 clients called the ERP: /)
    ])
  })
  it("a killed runner's calls before its death and the new owner's after it are no overlap; after it, they are", () => {
    const runs = [run(1, 100, 200), run(2, 300, 600, "interrupted"), run(3, 700, 800)]
    const handover = [call(250, "A"), call(310, "A"), call(500, "B"), call(750, "B")]
    expect(overlaps(runs, handover, [400])).toEqual([])
    expect(overlaps(runs, [...handover, call(550, "C")], [400])).toEqual([
      expect.stringMatching(/^during run 2, 2 clients called the ERP: /)
    ])
  })
})
