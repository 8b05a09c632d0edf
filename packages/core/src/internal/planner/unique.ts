import type { HeldValue } from "../../Adapter.js"
import type { FieldValue, LinkState, RecordId, Side, SideRecord } from "../../Domain.js"
import { otherSide } from "../../Domain.js"
import { canonicalValue, readField } from "../../Mapping.js"
import type { MappingInfo } from "./context.js"
import { compareIds } from "./order.js"

/** Who already holds a unique value: an existing record, or a write planned earlier in the same plan. */
export interface Holder {
  readonly id?: RecordId
  readonly description: string
  /** The record of the other side the holder was (or is being) created from by the sync, which names it stably. */
  readonly createdFrom?: RecordId
}

/** The record on `side` the sync creates (or created) from `other` record `id`. */
export const describeCreated = (side: Side, other: Side, id: RecordId): string =>
  `the ${side} record created from ${other} record ${id}`

/** Value → the id holding it, or the ids when several do (an array only then: most values have one holder). */
type Holders = Map<FieldValue, RecordId | Array<RecordId>>

/** Value → what holds it outside the records (the side's `HeldValue`s), by canonical field. */
type Held = Map<string, Map<FieldValue, Array<Holder & { readonly id: RecordId }>>>

/**
 * The unique fields of one side: the values its existing records hold (read this run, or known from their baseline),
 * those held outside its records (an ERP customer's further contacts), and those this plan's own writes claim, so
 * that no plan gives one value to two holders.
 */
export class UniqueIndex {
  private index: Map<string, Holders> | undefined
  private heldIndex: Held | undefined
  private readonly claims = new Map<string, Map<FieldValue, Holder>>()

  constructor(
    private readonly side: Side,
    private readonly fields: ReadonlyArray<MappingInfo>,
    private readonly records: ReadonlyMap<RecordId, SideRecord>,
    private readonly links: ReadonlyArray<LinkState>,
    /** Linked records that no longer exist: they hold nothing. */
    private readonly gone: ReadonlySet<RecordId>,
    private readonly held: ReadonlyArray<HeldValue>,
    /** Whether the sync created a record on this side from the other side's record `sourceId` in an earlier run. */
    private readonly createdFrom: (sourceId: RecordId) => boolean,
    /** The link of a record of this side, by its id. */
    private readonly linkOf: (id: RecordId) => LinkState | undefined
  ) {}

  /** Who other than `self` (the record or something of it) holds `value` in `field`. */
  holderOf(field: string, value: FieldValue, self: RecordId | undefined): Holder | undefined {
    const records = this.built().get(field)?.get(value)
    const others =
      records === undefined ? [] : (Array.isArray(records) ? records : [records]).filter((id) => id !== self)
    const existing = others.sort(compareIds)[0]
    if (existing !== undefined) return this.existing(existing)
    const outside = this.builtHeld()
      .get(field)
      ?.get(value)
      ?.find((holder) => holder.id !== self)
    if (outside !== undefined) return outside
    const claim = this.claims.get(field)?.get(value)
    return claim !== undefined && (claim.id === undefined || claim.id !== self) ? claim : undefined
  }

  claim(field: string, value: FieldValue, holder: Holder): void {
    const byValue = this.claims.get(field) ?? new Map<FieldValue, Holder>()
    byValue.set(value, holder)
    this.claims.set(field, byValue)
  }

  /**
   * A record the sync created is named by the record it was created from, as the plan names one it is creating, so a
   * reason reads the same in the run that creates the holder and in every run after.
   */
  private existing(id: RecordId): Holder {
    const link = this.linkOf(id)
    const other = otherSide(this.side)
    const source = link === undefined ? undefined : other === "left" ? link.leftId : link.rightId
    return source !== undefined && this.createdFrom(source)
      ? { id, description: describeCreated(this.side, other, source), createdFrom: source }
      : { id, description: `${this.side} record ${id}` }
  }

  /** Built on first use: most runs write no unique field, and building it touches every link. */
  private built(): Map<string, Holders> {
    if (this.index !== undefined) return this.index
    const index = new Map<string, Holders>()
    for (const info of this.fields) {
      const holders: Holders = new Map()
      index.set(info.name, holders)
      const add = (id: RecordId, value: FieldValue | undefined) => {
        if (value === undefined || value === null) return
        const held = holders.get(value)
        if (held === undefined) holders.set(value, id)
        else if (Array.isArray(held)) held.push(id)
        else holders.set(value, [held, id])
      }
      for (const record of this.records.values()) {
        // A record whose value cannot be read is skipped by its own reconciliation; here it holds nothing known
        // (the side's own unique constraint, if any, still stands behind this check).
        let value: FieldValue
        try {
          value = readField(info.mapping, this.side, record)
        } catch {
          continue
        }
        add(record.id, value)
      }
      for (const link of this.links) {
        const id = this.side === "left" ? link.leftId : link.rightId
        if (!this.records.has(id) && !(this.gone.size > 0 && this.gone.has(id))) add(id, link[this.side][info.name])
      }
    }
    this.index = index
    return index
  }

  /** The held values by the canonical field whose native field they are, in comparable form, in a stable order. */
  private builtHeld(): Held {
    if (this.heldIndex !== undefined) return this.heldIndex
    const index: Held = new Map()
    const sorted = this.held.slice().sort((a, b) => compareIds(a.id, b.id) || compareIds(a.holder, b.holder))
    for (const info of this.fields) {
      const native = info.writable[this.side]
      const byValue = new Map<FieldValue, Array<Holder & { readonly id: RecordId }>>()
      index.set(info.name, byValue)
      for (const held of sorted) {
        if (held.field !== native) continue
        // a value the field's normalize cannot read is left to the side's own unique constraint, as for records
        let value: FieldValue
        try {
          value = canonicalValue(info.mapping, held.value)
        } catch {
          continue
        }
        if (value === null) continue
        const holders = byValue.get(value)
        const holder = { id: held.id, description: held.holder }
        if (holders === undefined) byValue.set(value, [holder])
        else holders.push(holder)
      }
    }
    this.heldIndex = index
    return index
  }
}
