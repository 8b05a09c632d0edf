import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import type {
  ConflictResolution,
  Direction,
  FieldMapping,
  Fields,
  FieldValue,
  Plan,
  PlanInput,
  RecordId,
  Side,
  SideEvent,
  SyncPolicy
} from "../src/index.js"
import { canonicalize, goneFrom, isWrite, LinkState, Planner, SideRecord, toNative } from "../src/index.js"

const numRuns = Number(process.env.TONGBU_PROP_RUNS ?? 150)
// A soak raises the run count (the time allowed grows with it) and draws each round's seed; CI's is fixed.
const timeout = Math.max(5_000, numRuns * 20)
const seed = { seed: Number(process.env.TONGBU_PROP_SEED ?? 101) }
const rid = (id: string) => id as RecordId
const sides = ["left", "right"] as const

const digits = (value: FieldValue) =>
  typeof value === "string" ? value.replace(/\D/g, "").replace(/^86(?=\d{11}$)/, "") : value

interface PolicyChoice {
  readonly conflicts: {
    readonly name: ConflictResolution
    readonly mobile: ConflictResolution
    readonly level: ConflictResolution
  }
  readonly unique: { readonly left: boolean; readonly right: boolean }
}

const makePolicy = (choice: PolicyChoice): SyncPolicy => {
  const mappings: Array<FieldMapping> = [
    { name: "name", left: "name", right: "name", conflict: choice.conflicts.name },
    { name: "mobile", left: "phone", right: "mobile", normalize: digits, conflict: choice.conflicts.mobile },
    { name: "wechat", left: "wechat_id", right: "weixinAcc", conflict: "right", fillIn: true },
    { name: "level", left: "level", right: "jz", conflict: choice.conflicts.level },
    { name: "origin", left: "origin", right: "ly", conflict: "left", createOnly: true },
    { name: "khid", left: { read: (r) => `WX${r.id}` }, right: "khid", conflict: "right" }
  ]
  return {
    mappings,
    naturalKey: { left: (r) => `WX${r.id}`, right: (r) => (typeof r.fields.khid === "string" ? r.fields.khid : null) },
    uniqueKeys: { left: choice.unique.left ? ["mobile"] : [], right: choice.unique.right ? ["mobile"] : [] },
    admission: {
      toRight: [
        {
          name: "validMobile",
          check: (_, c) => (typeof c.mobile === "string" && /^1\d{10}$/.test(c.mobile) ? null : "no valid mobile")
        }
      ],
      toLeft: [{ name: "named", check: (_, c) => (c.name === null ? "no name" : null) }]
    },
    afterCreate: { toRight: () => [{ kind: "assign", payload: { pool: "general" } }] }
  }
}

/** Both systems and the sync's own state, as a run sees them. */
interface World {
  readonly records: { readonly left: ReadonlyMap<string, SideRecord>; readonly right: ReadonlyMap<string, SideRecord> }
  readonly links: ReadonlyArray<LinkState>
  readonly settled: ReadonlySet<string>
  readonly clock: number
}

interface Scenario {
  readonly world: World
  readonly policy: SyncPolicy
  readonly direction: Direction
  readonly incremental: boolean
  readonly events: ReadonlyArray<SideEvent>
}

const snapshot = (s: Scenario, world: World = s.world): PlanInput => {
  const linked = {
    left: new Map(world.links.map((l) => [l.leftId, l.leftVersion])),
    right: new Map(world.links.map((l) => [l.rightId, l.rightVersion]))
  }
  // An incremental run reads unlinked records and linked ones whose version moved (or was cleared after a write).
  const read = (side: Side) =>
    Array.from(world.records[side].values()).filter(
      (r) =>
        !s.incremental ||
        !linked[side].has(r.id) ||
        linked[side].get(r.id) === undefined ||
        linked[side].get(r.id) !== r.version
    )
  const gone = (side: Side) =>
    s.incremental
      ? new Set<RecordId>()
      : goneFrom(
          side,
          Array.from(world.records[side].values(), (r) => r.id),
          world.links
        )
  return {
    left: { records: read("left"), gone: gone("left"), events: world === s.world ? s.events : [] },
    right: { records: read("right"), gone: gone("right"), events: [] },
    links: world.links,
    policy: s.policy,
    direction: s.direction,
    settled: world.settled
  }
}

/** Applies a plan as a dispatcher would if every operation succeeded; returns the next world. */
const apply = (world: World, p: Plan): World => {
  let clock = world.clock
  const records = { left: new Map(world.records.left), right: new Map(world.records.right) }
  const createdIds = new Map<string, string>()
  const settled = new Set(world.settled)
  for (const op of p.operations) {
    if (op._tag !== "Update") settled.add(op.key)
    if (op._tag === "Update") {
      const old = records[op.side].get(op.id)!
      records[op.side].set(
        op.id,
        new SideRecord({
          id: old.id,
          fields: { ...old.fields, ...op.changes },
          version: `w${++clock}`,
          updatedAt: clock
        })
      )
    } else if (op._tag === "Create") {
      const id = `${op.side === "left" ? "n" : "9"}${++clock}`
      createdIds.set(op.key, id)
      records[op.side].set(
        id,
        new SideRecord({ id: rid(id), fields: op.fields, version: `w${clock}`, updatedAt: clock })
      )
    }
  }
  const resolve = (id: RecordId) => rid(createdIds.get(id) ?? id)
  const links = p.links.map((l) => new LinkState({ ...l, leftId: resolve(l.leftId), rightId: resolve(l.rightId) }))
  return { records, links, settled, clock }
}

const value = {
  name: fc.constantFrom<FieldValue>("Alpha Co", "Beta Co", "Gamma Co", null),
  mobile: fc.constantFrom<FieldValue>("13800000001", "138 0000 0001", "13800000002", "+86 13800000003", "12345", null),
  wechat: fc.constantFrom<FieldValue>("wx1", "wx2", null),
  level: fc.constantFrom<FieldValue>("A", "B", null),
  origin: fc.constantFrom<FieldValue>("hub", "erp", null)
}
const canonicalArb = fc.record(value)
const editsArb = fc.record(
  { name: value.name, mobile: value.mobile, wechat: value.wechat, level: value.level, origin: value.origin },
  { requiredKeys: [] }
)
const conflictArb = fc.constantFrom<ConflictResolution>("left", "right", "newest", "manual")

const toNativeOf = (policy: SyncPolicy, side: Side, canonical: Fields): Fields =>
  toNative(policy.mappings, side, canonical)

const choiceArb = (conflict = conflictArb, unique = fc.boolean()) =>
  fc.record({
    conflicts: fc.record({ name: conflict, mobile: conflict, level: conflict }),
    unique: fc.record({ left: unique, right: unique })
  })

const scenarioArb = (choice: fc.Arbitrary<PolicyChoice> = choiceArb(), unlinked = true) =>
  fc
    .record({
      choice,
      linkedCount: fc.nat(4),
      extraLeft: fc.nat(unlinked ? 3 : 0),
      extraRight: fc.nat(unlinked ? 3 : 0),
      vanish: fc.option(fc.nat(7)),
      direction: fc.constantFrom<Direction>("both", "both", "push", "pull"),
      incremental: fc.boolean(),
      seedValues: fc.array(
        fc.record({
          base: canonicalArb,
          apart: fc.option(value.wechat),
          partial: fc.boolean(),
          left: editsArb,
          right: editsArb,
          leftAt: fc.nat(3),
          rightAt: fc.nat(3)
        }),
        { minLength: 12, maxLength: 12 }
      ),
      unlinkedKhid: fc.array(fc.constantFrom("match", "other", "none"), { minLength: 3, maxLength: 3 }),
      eventOn: fc.array(fc.nat(8), { maxLength: unlinked ? 3 : 0 })
    })
    .map((g): Scenario => {
      const policy = makePolicy(g.choice)
      const left = new Map<string, SideRecord>()
      const right = new Map<string, SideRecord>()
      const links: Array<LinkState> = []
      const seed = (i: number) => g.seedValues[i % g.seedValues.length]!
      for (let i = 0; i < g.linkedCount; i++) {
        const s = seed(i)
        const leftId = String(i + 1)
        const rightId = String(101 + i)
        const base: Record<string, FieldValue> = {
          ...s.base,
          mobile: digits(s.base.mobile ?? null),
          khid: `WX${leftId}`
        }
        const rightBase = s.apart === null ? base : { ...base, wechat: s.apart }
        if (s.partial) delete base.level
        const edited = (side: Side, baseline: Fields, edits: Fields, at: number) => {
          const changed = Object.keys(edits).length > 0
          const fields = toNativeOf(policy, side, { ...baseline, level: baseline.level ?? s.base.level, ...edits })
          return new SideRecord({
            id: rid(side === "left" ? leftId : rightId),
            fields,
            version: changed ? "v1" : "v0",
            updatedAt: at
          })
        }
        left.set(leftId, edited("left", base, s.left, s.leftAt))
        right.set(rightId, edited("right", rightBase, s.right, s.rightAt))
        links.push(
          new LinkState({
            leftId: rid(leftId),
            rightId: rid(rightId),
            left: base,
            right: rightBase,
            leftVersion: "v0",
            rightVersion: "v0"
          })
        )
      }
      for (let i = 0; i < g.extraLeft; i++) {
        const id = String(50 + i)
        left.set(
          id,
          new SideRecord({
            id: rid(id),
            fields: toNativeOf(policy, "left", seed(i + 4).base),
            version: "v0",
            updatedAt: seed(i).leftAt
          })
        )
      }
      for (let i = 0; i < g.extraRight; i++) {
        const id = String(150 + i)
        const kind = g.unlinkedKhid[i]
        const khid = kind === "match" ? `WX${50 + i}` : kind === "other" ? `ZB${i}` : null
        right.set(
          id,
          new SideRecord({
            id: rid(id),
            fields: { ...toNativeOf(policy, "right", seed(i + 8).base), khid },
            version: "v0",
            updatedAt: seed(i).rightAt
          })
        )
      }
      // A complete listing can find a linked record deleted.
      if (g.vanish !== null && !g.incremental && g.vanish < g.linkedCount * 2) {
        ;(g.vanish % 2 === 0 ? left : right).delete(String((g.vanish % 2 === 0 ? 1 : 101) + Math.floor(g.vanish / 2)))
      }
      const leftIds = Array.from(left.keys())
      const events = g.eventOn.flatMap((n, i) => {
        const id = leftIds[n % Math.max(1, leftIds.length)]
        return id === undefined ? [] : [{ key: `m${i}`, id: rid(id), kind: "followUp", payload: { n } }]
      })
      return {
        world: { records: { left, right }, links, settled: new Set(), clock: 0 },
        policy,
        direction: g.direction,
        incremental: g.incremental,
        events
      }
    })

const writes = (p: Plan) => p.operations.filter(isWrite)
const canonicalOf = (s: Scenario, side: Side, world: World, id: string) => {
  const record = world.records[side].get(id)
  return record === undefined ? undefined : canonicalize(s.policy.mappings, side, record)
}

describe("plan: properties", () => {
  it.prop(
    "a plan applied, then planned again with no new edits, plans no more writes",
    [scenarioArb()],
    ([s]) => {
      let world = apply(s.world, Planner.plan(snapshot(s)))
      const noUnique = s.policy.uniqueKeys.left.length === 0 && s.policy.uniqueKeys.right.length === 0
      // A write skipped because another pair's record still held the key can land once that record moved on.
      for (let run = 0; run < (noUnique ? 1 : 6); run++) {
        const next = Planner.plan(snapshot(s, world))
        if (writes(next).length === 0) return
        world = apply(world, next)
      }
      expect(writes(Planner.plan(snapshot(s, world)))).toEqual([])
    },
    { fastCheck: { numRuns, ...seed }, timeout }
  )

  it.prop(
    "under right wins, a right value changed since the baseline is never overwritten",
    [scenarioArb(choiceArb(fc.constant("right")))],
    ([s]) => {
      const input = snapshot(s)
      const byRight = new Map(s.world.links.map((l) => [l.rightId, l]))
      for (const op of Planner.plan(input).operations) {
        if (op._tag !== "Update" || op.side !== "right") continue
        const link = byRight.get(op.id)
        const current = canonicalOf(s, "right", s.world, op.id)!
        for (const field of op.canonicalFields) {
          if (field === "wechat") continue
          expect(link, `right ${op.id} written with no baseline`).toBeDefined()
          expect(current[field], `right ${op.id}.${field} changed since its baseline`).toEqual(link?.right[field])
        }
      }
    },
    { fastCheck: { numRuns, ...seed }, timeout }
  )

  it.prop(
    "fill-in never overwrites a non-empty value",
    [scenarioArb()],
    ([s]) => {
      for (const op of Planner.plan(snapshot(s)).operations) {
        if (op._tag !== "Update" || !op.canonicalFields.includes("wechat")) continue
        expect(canonicalOf(s, op.side, s.world, op.id)?.wechat).toBeNull()
      }
    },
    { fastCheck: { numRuns, ...seed }, timeout }
  )

  it.prop(
    "no plan gives a unique key to two records of a side",
    [scenarioArb()],
    ([s]) => {
      const p = Planner.plan(snapshot(s))
      const after = apply(s.world, p)
      const createdOn = (side: Side) =>
        p.links.filter((l) => (side === "left" ? l.leftId : l.rightId).startsWith("create:")).length
      for (const side of sides) {
        if (!s.policy.uniqueKeys[side].includes("mobile")) continue
        const written = new Set(
          p.operations.flatMap((op) =>
            op._tag === "Update" && op.side === side && op.canonicalFields.includes("mobile") ? [op.id as string] : []
          )
        )
        const holders = new Map<FieldValue, Array<string>>()
        for (const [id, record] of after.records[side]) {
          const mobile = canonicalize(s.policy.mappings, side, record).mobile ?? null
          if (mobile !== null) holders.set(mobile, [...(holders.get(mobile) ?? []), id])
        }
        for (const ids of holders.values()) {
          const fresh = ids.filter((id) => written.has(id) || !s.world.records[side].has(id))
          if (ids.length > 1)
            expect(fresh, `mobile shared by ${side} ${ids.join(", ")} (${createdOn(side)} created)`).toEqual([])
        }
      }
    },
    { fastCheck: { numRuns, ...seed }, timeout }
  )

  it.prop(
    "the same input always gives the same plan, whatever the order of records, links and events",
    [scenarioArb(), fc.nat()],
    ([s, salt]) => {
      const input = snapshot(s)
      const rotate = <A>(items: ReadonlyArray<A>) => items.map((_, i) => items[(i + salt) % items.length]!)
      const reordered: PlanInput = {
        ...input,
        left: { ...input.left, records: rotate(input.left.records).reverse(), events: rotate(input.left.events) },
        right: { ...input.right, records: rotate(input.right.records) },
        links: rotate(input.links)
      }
      const first = Planner.plan(input)
      expect(Planner.plan(input)).toEqual(first)
      expect(Planner.plan(reordered)).toEqual(first)
    },
    { fastCheck: { numRuns, ...seed }, timeout }
  )

  it.prop(
    "a change one direction cannot carry is carried by a later run the other way: push and pull end as both",
    [scenarioArb(choiceArb(fc.constantFrom<ConflictResolution>("left", "right", "manual"), fc.constant(false)), false)],
    ([s]) => {
      // Repeats a cycle of runs until a whole cycle plans no write: a value read for the first time can take one more.
      const converge = (cycle: ReadonlyArray<Direction>) => {
        let world = s.world
        for (let round = 0; round < 4; round++) {
          let wrote = false
          for (const direction of cycle) {
            const next = Planner.plan(snapshot({ ...s, direction }, world))
            wrote ||= writes(next).length > 0
            world = apply(world, next)
          }
          if (!wrote) break
        }
        return sides.map((side) =>
          Array.from(world.records[side].values()).map((r) => [r.id, canonicalize(s.policy.mappings, side, r)])
        )
      }
      const together = converge(["both"])
      expect(converge(["push", "pull"])).toEqual(together)
      expect(converge(["pull", "push"])).toEqual(together)
    },
    { fastCheck: { numRuns, ...seed }, timeout }
  )
})
