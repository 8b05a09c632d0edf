import { describe, expect, it } from "@effect/vitest"
import type { Fields, PlanInput, RecordId, SyncPolicy } from "../src/index.js"
import { LinkState, Planner, SideRecord } from "../src/index.js"

const rid = (id: string) => id as RecordId
let reads = 0
const policy: SyncPolicy = {
  mappings: [
    { name: "name", left: "name", right: "name", conflict: "right" },
    {
      name: "code",
      left: {
        read: (r) => {
          reads++
          return `WX${r.id}`
        }
      },
      right: "code",
      conflict: "left",
      createOnly: true
    }
  ],
  naturalKey: { left: (r) => `WX${r.id}`, right: (r) => (typeof r.fields.code === "string" ? r.fields.code : null) },
  uniqueKeys: { left: [], right: [] },
  admission: { toRight: [], toLeft: [] }
}
const agreed: Fields = { name: "Li Lei", code: "WX1" }
const link = new LinkState({ leftId: rid("1"), rightId: rid("101"), left: agreed, right: agreed, leftVersion: "h1" })
const listed = (name: string) => new SideRecord({ id: rid("1"), fields: { name }, version: "h1" })

const input = (name: string, unchanged: ReadonlySet<RecordId> | undefined): PlanInput => ({
  left: { records: [listed(name)], gone: new Set(), events: [], ...(unchanged ? { unchanged } : {}) },
  right: { records: [], gone: new Set(), events: [] },
  links: [link],
  policy,
  direction: "both",
  settled: new Set()
})

describe("plan: linked records a listing showed at their link's version", () => {
  it("are not compared again: their baseline stands for them, and the link is kept as it was", () => {
    reads = 0
    const p = Planner.plan(input("Li Lei", new Set([rid("1")])))
    expect(p.operations).toEqual([])
    expect(p.unchanged).toBe(1)
    expect(p.links).toEqual([link])
    expect(reads).toBe(0)
  })

  it("are compared field by field when not marked unchanged (a full run)", () => {
    reads = 0
    const p = Planner.plan(input("Li Lei Ltd", undefined))
    expect(p.operations.map((op) => op._tag)).toEqual(["Update"])
    expect(reads).toBeGreaterThan(0)
  })
})
