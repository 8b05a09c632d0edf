import { performance } from "node:perf_hooks"
import type { Fields, FieldValue, PlanInput, RecordId, SyncPolicy } from "../src/index.js"
import { goneFrom, LinkState, Planner, SideRecord } from "../src/index.js"

// One scenario of the planner bench (`planner.ts`), run in its own process from a bundle of this file.

const digits = (value: FieldValue) =>
  typeof value === "string" ? value.replace(/\D/g, "").replace(/^86(?=\d{11}$)/, "") : value

const policy: SyncPolicy = {
  mappings: [
    { name: "name", left: "company_name", right: "name", conflict: "right" },
    { name: "mobile", left: "phone", right: "mobile", normalize: digits, conflict: "right" },
    { name: "wechat", left: "wechat_id", right: "weixinAcc", conflict: "right", fillIn: true },
    { name: "email", left: "email", right: "email", conflict: "right", fillIn: true },
    { name: "address", left: "address", right: "address", conflict: "right", fillIn: true },
    { name: "level", left: "intent_level", right: "jz", conflict: "newest" },
    { name: "note", left: "notes", right: "intro", conflict: "manual" },
    { name: "khid", left: { read: (r) => `WX${r.id}` }, right: "khid", conflict: "right" }
  ],
  naturalKey: { left: (r) => `WX${r.id}`, right: (r) => (typeof r.fields.khid === "string" ? r.fields.khid : null) },
  uniqueKeys: { left: [], right: ["mobile"] },
  admission: { toRight: [{ name: "hasMobile", check: (_, c) => (c.mobile === null ? "no mobile" : null) }], toLeft: [] }
}

const canonicalOf = (i: number): Fields => ({
  name: `Customer ${i} Trading Co`,
  mobile: `13${String(i).padStart(9, "0")}`,
  wechat: `wx_${i}`,
  email: `c${i}@example.com`,
  address: `No. ${i} Jiefang Road, Chongqing`,
  level: i % 3 === 0 ? "high" : "medium",
  note: `customer since ${2000 + (i % 20)}`,
  khid: `WX${i}`
})

interface Data {
  readonly left: ReadonlyArray<SideRecord>
  readonly right: ReadonlyArray<SideRecord>
  readonly links: ReadonlyArray<LinkState>
}

/** The links of `pairs` pairs, and the records a run reads: every one (full) or only the changed ones. */
const generate = (pairs: number, full: boolean): Data => {
  const left: Array<SideRecord> = []
  const right: Array<SideRecord> = []
  const links: Array<LinkState> = []
  for (let i = 1; i <= pairs; i++) {
    const c = canonicalOf(i)
    const leftId = String(i) as RecordId
    const rightId = String(1_000_000 + i) as RecordId
    links.push(new LinkState({ leftId, rightId, left: c, right: c, leftVersion: "v1", rightVersion: "v1" }, true))
    const onLeft = i % 200 === 0
    const onRight = i % 200 === 100
    if (full || onLeft) {
      const fields = {
        company_name: c.name!,
        phone: c.mobile!,
        wechat_id: c.wechat!,
        email: c.email!,
        address: c.address!,
        intent_level: c.level!,
        notes: c.note!,
        intent_score: 70
      }
      const changed = { ...fields, company_name: `${c.name} Ltd`, phone: `17${String(i).padStart(9, "0")}` }
      left.push(
        new SideRecord(
          { id: leftId, fields: onLeft ? changed : fields, version: onLeft ? "v2" : "v1", updatedAt: i },
          true
        )
      )
    }
    if (full || onRight) {
      const fields = {
        name: c.name!,
        mobile: c.mobile!,
        weixinAcc: c.wechat!,
        email: c.email!,
        address: c.address!,
        jz: c.level!,
        intro: c.note!,
        khid: c.khid!,
        ly: 171
      }
      const changed = { ...fields, mobile: `15${String(i).padStart(9, "0")}` }
      right.push(
        new SideRecord(
          { id: rightId, fields: onRight ? changed : fields, version: onRight ? "v2" : "v1", updatedAt: i },
          true
        )
      )
    }
  }
  return { left, right, links }
}

const inputOf = (data: Data, full: boolean): PlanInput => ({
  left: {
    records: data.left,
    gone: full
      ? goneFrom(
          "left",
          data.left.map((r) => r.id),
          data.links
        )
      : new Set(),
    events: []
  },
  right: {
    records: data.right,
    gone: full
      ? goneFrom(
          "right",
          data.right.map((r) => r.id),
          data.links
        )
      : new Set(),
    events: []
  },
  links: data.links,
  policy,
  direction: "both",
  settled: new Set()
})

const median = (values: ReadonlyArray<number>) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const time = (runs: number, body: () => unknown): number => {
  body()
  const times: Array<number> = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    body()
    times.push(performance.now() - start)
  }
  return median(times)
}

export interface Row {
  readonly pairs: number
  readonly full: boolean
  readonly planMs: number
  readonly mapPassMs: number
  readonly operations: number
  readonly unchanged: number
  readonly inputMb: number
  readonly planMb: number
  readonly startRssMb: number
  readonly peakRssMb: number
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)

/** One scenario, alone in its process so that its peak RSS is its own. */
const scenario = (pairs: number, full: boolean): Row => {
  const gc = globalThis.gc!
  const startRssMb = mb(process.resourceUsage().maxRSS * 1024)
  gc()
  const empty = process.memoryUsage().heapUsed
  const data = generate(pairs, full)
  const input = inputOf(data, full)
  const runs = pairs >= 100_000 ? 7 : 21
  const planMs = time(runs, () => Planner.plan(input))
  // Read before the Map pass, whose own garbage would count otherwise.
  const peakRssMb = mb(process.resourceUsage().maxRSS * 1024)
  const mapPassMs = time(runs, () => [
    new Map(data.left.map((r) => [r.id, r])),
    new Map(data.right.map((r) => [r.id, r])),
    new Map(data.links.map((l) => [l.leftId, l]))
  ])
  gc()
  const withInput = process.memoryUsage().heapUsed
  const result = Planner.plan(input)
  gc()
  const withPlan = process.memoryUsage().heapUsed
  return {
    pairs,
    full,
    planMs,
    mapPassMs,
    operations: result.operations.length,
    unchanged: result.unchanged,
    inputMb: mb(withInput - empty),
    planMb: mb(withPlan - withInput),
    startRssMb,
    peakRssMb
  }
}

export const scenarioFlag = "--planner-scenario"

if (process.argv[2] === scenarioFlag) {
  process.send!(scenario(Number(process.argv[3]), process.argv[4] === "full"))
}
