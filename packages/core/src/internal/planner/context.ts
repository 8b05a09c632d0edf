import type { Fields, FieldValue, IdempotencyKey, LinkState, RecordId, Side, SideRecord } from "../../Domain.js"
import type { FieldMapping } from "../../Mapping.js"
import { writableField } from "../../Mapping.js"
import type { Operation, PlanInput, ReasonParams } from "../../Plan.js"
import { Reason, Skip } from "../../Plan.js"
import { guard, readGuarded } from "./guard.js"
import { stableHash } from "./hash.js"
import { compareIds } from "./order.js"
import { UniqueIndex } from "./unique.js"

/** A mapping with what the planner asks of it on every pair, computed once. */
export interface MappingInfo {
  readonly name: string
  readonly mapping: FieldMapping
  /** Held on both sides: the only fields that are compared. */
  readonly shared: boolean
  readonly writable: { readonly left: string | null; readonly right: string | null }
}

/** Both sides' values of one thing. */
export interface BySide<A> {
  left: A
  right: A
}

export const bySide = <A>(make: (side: Side) => A): BySide<A> => ({ left: make("left"), right: make("right") })

const key = (value: string) => value as IdempotencyKey

export const keys = {
  create: (side: Side, sourceId: string) => key(`create:${side}:${sourceId}`),
  link: (leftId: string, rightId: string) => key(`link:${leftId}:${rightId}`),
  update: (side: Side, id: string, content: unknown) => key(`update:${side}:${id}:${stableHash(content)}`),
  action: (side: Side, eventKey: string) => key(`action:${side}:${eventKey}`),
  afterCreate: (side: Side, sourceId: string, index: number, kind: string) =>
    key(`action:${side}:created-from:${sourceId}:${index}:${kind}`),
  skip: (side: Side, id: string, reasons: ReadonlyArray<Reason>) => key(`skip:${side}:${id}:${stableHash(reasons)}`),
  conflict: (leftId: string, rightId: string, field: string, values: unknown) =>
    key(`conflict:${leftId}:${rightId}:${field}:${stableHash(values)}`)
}

/** A side's records by id; a plain loop, as `new Map(records.map(…))` allocates an entry array per record. */
const recordsById = (records: ReadonlyArray<SideRecord>): Map<RecordId, SideRecord> => {
  const byId = new Map<RecordId, SideRecord>()
  for (const record of records) byId.set(record.id, record)
  return byId
}

/** Everything a plan is computed from, indexed once, and the operations emitted so far. */
export class PlanContext {
  readonly mappings: ReadonlyArray<MappingInfo>
  /** Fill-in fields held on both sides: the only thing a pair neither side changed may still have to do. */
  readonly fillIns: ReadonlyArray<string>
  readonly records: BySide<ReadonlyMap<RecordId, SideRecord>>
  /** Pairs linked by natural key in this plan, by each side's id. */
  readonly matched: BySide<Map<RecordId, RecordId>> = bySide(() => new Map())
  /** Records whose claimed link (`SyncPolicy.claimedLink`) decided them: linked, or skipped with why. */
  readonly claimed: BySide<Set<RecordId>> = bySide(() => new Set())
  /** Records whose claimed link this plan adopts: their events so far are withheld unless `backfillAdopted`. */
  readonly adopted: BySide<Set<RecordId>> = bySide(() => new Set())
  /** Events withheld for that target side because their record's link is adopted this run, and their records. */
  readonly withheld: BySide<{ events: number; records: Set<RecordId> }> = bySide(() => ({
    events: 0,
    records: new Set()
  }))
  /** Source ids of records this plan creates on that side. */
  readonly created: BySide<Set<RecordId>> = bySide(() => new Set())
  /**
   * Both sides' current values of the pair being reconciled (left, right per mapping): one array for the whole plan,
   * since a pair's reconciliation never starts another's.
   */
  readonly pairValues: Array<FieldValue | undefined>
  private readonly canonicalCache: BySide<Map<RecordId, Fields>> = bySide(() => new Map())
  readonly unique: BySide<UniqueIndex>
  private links: BySide<Map<RecordId, LinkState>> | undefined
  private readonly emitted: Array<{
    readonly side: Side
    readonly id: string
    readonly seq: number
    readonly op: Operation
  }> = []

  constructor(readonly input: PlanInput) {
    this.mappings = input.policy.mappings.map((mapping) => ({
      name: mapping.name,
      mapping,
      shared: mapping.left !== null && mapping.right !== null,
      writable: { left: writableField(mapping, "left"), right: writableField(mapping, "right") }
    }))
    this.pairValues = new Array<FieldValue | undefined>(this.mappings.length * 2).fill(undefined)
    this.fillIns = this.mappings.filter((info) => info.shared && info.mapping.fillIn).map((info) => info.name)
    this.records = bySide((side) => recordsById(input[side].records))
    this.unique = bySide((side) => {
      const fields = this.mappings.filter((info) => input.policy.uniqueKeys[side].includes(info.name))
      const createdFrom = (sourceId: RecordId) => input.settled.has(keys.create(side, sourceId))
      return new UniqueIndex(
        side,
        fields,
        this.records[side],
        input.links,
        input[side].gone,
        input[side].held ?? [],
        createdFrom,
        (id) => this.linkOf[side].get(id)
      )
    })
  }

  /** Links by each side's id; built on first use, as only unlinked records and events need it. */
  get linkOf(): BySide<Map<RecordId, LinkState>> {
    if (this.links !== undefined) return this.links
    const links = bySide(() => new Map<RecordId, LinkState>())
    for (const link of this.input.links) {
      links.left.set(link.leftId, link)
      links.right.set(link.rightId, link)
    }
    this.links = links
    return links
  }

  /** Whether a pair neither side changed still has a fill-in to do (one side empty, the other not). */
  fillInPending(link: LinkState): boolean {
    for (const name of this.fillIns) {
      const left = link.left[name]
      const right = link.right[name]
      if (left !== undefined && right !== undefined && left !== right && (left === null || right === null)) return true
    }
    return false
  }

  canonical(side: Side, record: SideRecord): Fields {
    const cache = this.canonicalCache[side]
    let fields = cache.get(record.id)
    if (fields === undefined) {
      const values: Record<string, FieldValue> = {}
      for (const info of this.mappings) values[info.name] = readGuarded(info, side, record)
      fields = values
      cache.set(record.id, fields)
    }
    return fields
  }

  /** Whether this run's direction lets the plan write to `side`. */
  /** The name a person knows `record` by (`SyncPolicy.displayName`); a throw of it is the record's policy error. */
  displayName(side: Side, record: SideRecord | undefined): string | undefined {
    const name = this.input.policy.displayName?.[side]
    if (name === undefined || record === undefined) return undefined
    return guard(`displayName.${side}`, side, record.id, () => name(record)) ?? undefined
  }

  writes(side: Side): boolean {
    return this.input.direction === "both" || (this.input.direction === "push") === (side === "right")
  }

  /** How many operations were planned so far. */
  get planned(): number {
    return this.emitted.length
  }

  settled(key: IdempotencyKey): boolean {
    return this.input.settled.has(key)
  }

  /** Adds an operation, filed under the record it is about; settled keys are not planned again (updates always are). */
  emit(side: Side, id: string, op: Operation): boolean {
    if (op._tag !== "Update" && this.settled(op.key)) return false
    this.emitted.push({ side, id, seq: this.emitted.length, op })
    return true
  }

  skip(side: Side, id: RecordId, reasons: ReadonlyArray<Reason>): boolean {
    return this.emit(side, id, new Skip({ key: keys.skip(side, id, reasons), side, id, reasons }, true))
  }

  reason(rule: string, message: string, collidingId?: RecordId, params?: ReasonParams): Reason {
    return new Reason(
      {
        rule,
        message,
        ...(collidingId === undefined ? {} : { collidingId }),
        ...(params === undefined ? {} : { params })
      },
      true
    )
  }

  /** Operations grouped by the record they are about, left side first, then by id; in emission order within. */
  operations(): ReadonlyArray<Operation> {
    return this.emitted
      .slice()
      .sort((a, b) => (a.side !== b.side ? (a.side === "left" ? -1 : 1) : compareIds(a.id, b.id) || a.seq - b.seq))
      .map((entry) => entry.op)
  }
}
