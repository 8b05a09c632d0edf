import { Chunk, HashMap, HashSet, Option } from "effect"
import type { LinkShown, RecordOutcome, SideEvent } from "../../Adapter.js"
import type { Fields, FieldValue, RecordId } from "../../Domain.js"
import { SideRecord } from "../../Domain.js"

/** A record as the in-memory side keeps it, with what a real system would keep beside it. */
export interface Stored {
  readonly record: SideRecord
  /** The change counter value of the record's last change: its list checkpoint. */
  readonly seq: number
  /** Creation order, for a stable `records()` order. */
  readonly order: number
  readonly key: Option.Option<string>
  readonly provisionalId: Option.Option<string>
  readonly withdrawn: boolean
  /** A person changed or entered it (a record the sync created and nobody touched is deleted by a compensation). */
  readonly touched: boolean
  /** Taken in by the side itself and not reported on yet: listed as `intake` until acknowledged. */
  readonly intake: boolean
}

export type WriteCall =
  | { readonly _tag: "Create"; readonly key: string; readonly id: RecordId; readonly fields: Fields }
  | { readonly _tag: "Update"; readonly key: string; readonly id: RecordId; readonly changes: Fields }
  | {
      readonly _tag: "Compensate"
      readonly key: string
      readonly id: RecordId
      readonly result: "Deleted" | "Withdrawn"
    }
  | {
      readonly _tag: "Perform"
      readonly key: string
      readonly id: RecordId
      readonly kind: string
      readonly payload: Fields
    }

export interface State {
  readonly records: HashMap.HashMap<RecordId, Stored>
  /** The change counter: bumped by every change, so checkpoints and versions only grow. */
  readonly seq: number
  readonly nextId: number
  readonly writes: Chunk.Chunk<WriteCall>
  readonly performed: HashSet.HashSet<string>
  readonly events: Chunk.Chunk<SideEvent>
  readonly acknowledged: Chunk.Chunk<RecordOutcome>
}

/** Zero-padded so checkpoints order the same as strings and as numbers. */
export const checkpointOf = (seq: number): string => String(seq).padStart(12, "0")

export const sameValue = (a: FieldValue | undefined, b: FieldValue | undefined): boolean => (a ?? null) === (b ?? null)

export const initialState = (records: Iterable<SideRecord>): State => {
  let seq = 0
  let map = HashMap.empty<RecordId, Stored>()
  for (const record of records) {
    seq++
    map = HashMap.set(map, record.id, {
      record: new SideRecord({ ...record, version: `v${seq}` }),
      seq,
      order: seq,
      key: Option.none(),
      provisionalId: Option.none(),
      withdrawn: false,
      touched: false,
      intake: false
    })
  }
  return {
    records: map,
    seq,
    nextId: 1,
    writes: Chunk.empty(),
    performed: HashSet.empty(),
    events: Chunk.empty(),
    acknowledged: Chunk.empty()
  }
}

/** Allocates the next free id, as a real system allocates a primary key before the save. */
export const allocateId = (state: State, prefix: string): readonly [RecordId, State] => {
  let next = state.nextId
  while (HashMap.has(state.records, `${prefix}${next}` as RecordId)) next++
  return [`${prefix}${next}` as RecordId, { ...state, nextId: next + 1 }]
}

/** Stores `fields` as the record's new content: a new version and updatedAt, a new change counter value. */
export const putRecord = (
  state: State,
  id: RecordId,
  fields: Fields,
  now: number,
  extra: Partial<Pick<Stored, "key" | "provisionalId" | "withdrawn" | "touched" | "intake">> = {}
): readonly [SideRecord, State] => {
  const seq = state.seq + 1
  const previous = HashMap.get(state.records, id)
  const record = new SideRecord({ id, fields, version: `v${seq}`, updatedAt: now })
  const stored: Stored = Option.match(previous, {
    onNone: () => ({
      record,
      seq,
      order: seq,
      key: Option.none(),
      provisionalId: Option.none(),
      withdrawn: false,
      touched: false,
      intake: false,
      ...extra
    }),
    onSome: (old) => ({ ...old, record, seq, ...extra })
  })
  return [record, { ...state, seq, records: HashMap.set(state.records, id, stored) }]
}

export const removeRecord = (state: State, id: RecordId): State => ({
  ...state,
  seq: state.seq + 1,
  records: HashMap.remove(state.records, id)
})

export const logWrite = (state: State, write: WriteCall): State => ({
  ...state,
  writes: Chunk.append(state.writes, write)
})

/** The record other than `self` that already holds the (trimmed, non-empty) value of one of the `unique` fields. */
export const findUniqueHolder = (
  state: State,
  unique: ReadonlyArray<string>,
  fields: Fields,
  self: Option.Option<RecordId>
): Option.Option<{ readonly field: string; readonly id: RecordId }> => {
  for (const field of unique) {
    const value = fields[field]
    if (value === undefined || value === null || String(value).trim() === "") continue
    const wanted = String(value).trim()
    for (const [id, stored] of state.records) {
      if (Option.isSome(self) && self.value === id) continue
      const held = stored.record.fields[field]
      if (held !== undefined && held !== null && String(held).trim() === wanted) return Option.some({ field, id })
    }
  }
  return Option.none()
}

/** Records changed after `since` (all when none), oldest change first so each entry's checkpoint only grows. */
export const changedSince = (state: State, since: number): ReadonlyArray<Stored> =>
  Array.from(HashMap.values(state.records))
    .filter((stored) => stored.seq > since)
    .sort((a, b) => a.seq - b.seq)

/**
 * Records what the side was told; a record it took in is reported from then on, and with a `linkField` a synced
 * record shows its partner's id there (as the hub shows the ERP id), which is returned as what was shown.
 */
export const acknowledge = (
  state: State,
  outcomes: ReadonlyArray<RecordOutcome>,
  linkField: Option.Option<string>,
  now: number
): readonly [ReadonlyArray<LinkShown>, State] => {
  let next: State = { ...state, acknowledged: Chunk.appendAll(state.acknowledged, Chunk.fromIterable(outcomes)) }
  const shown: Array<LinkShown> = []
  for (const outcome of outcomes) {
    const stored = HashMap.get(next.records, outcome.id)
    if (Option.isNone(stored)) continue
    if (stored.value.intake) {
      next = { ...next, records: HashMap.set(next.records, outcome.id, { ...stored.value, intake: false }) }
    }
    if (Option.isNone(linkField) || outcome.status !== "synced" || Option.isNone(outcome.linkedId)) continue
    const field = linkField.value
    const before = stored.value.record.fields[field] ?? null
    if (sameValue(before, outcome.linkedId.value)) continue
    next = putRecord(next, outcome.id, { ...stored.value.record.fields, [field]: outcome.linkedId.value }, now)[1]
    shown.push({
      id: outcome.id,
      linkedId: outcome.linkedId.value,
      before: { [field]: before },
      written: { [field]: outcome.linkedId.value }
    })
  }
  return [shown, next]
}
