import { Chunk, Clock, Effect, HashMap, Option, Ref } from "effect"
import type { Capabilities, RecordOutcome, SideEvent, SyncAdapter } from "./Adapter.js"
import type { Fields, FieldValue, RecordId, SideRecord } from "./Domain.js"
import type { AdapterCall, InMemoryFault } from "./internal/inMemory/faults.js"
import { FaultGate } from "./internal/inMemory/faults.js"
import { makePort } from "./internal/inMemory/port.js"
import type { State, WriteCall } from "./internal/inMemory/store.js"
import * as Store from "./internal/inMemory/store.js"

export type { AdapterCall } from "./internal/inMemory/faults.js"
export { InMemoryFault } from "./internal/inMemory/faults.js"
export type { WriteCall } from "./internal/inMemory/store.js"

export interface InMemoryAdapterOptions {
  readonly name: string
  readonly capabilities?: Partial<Capabilities>
  readonly records?: Iterable<SideRecord>
  /** Prefix of allocated ids (default: none, ids are "1", "2", …). */
  readonly idPrefix?: string
  /** Entries per listed page (default 50). */
  readonly pageSize?: number
  /** Native fields no two records may share (trimmed, non-empty): creates and updates fail with `CollisionError`. */
  readonly unique?: ReadonlyArray<string>
  /** A native field where `acknowledge` shows a synced record's partner id, as the hub shows the ERP id. */
  readonly linkField?: string
  /**
   * A side that normalizes values, as the hub does mobiles: `list` and `read` give stored values through it, and
   * what the sync writes is stored normalized (unless `asStored`); a person's `edit` or `insert` is stored as given,
   * and `records` / `get` show what is stored.
   */
  readonly normalize?: (field: string, value: FieldValue) => FieldValue
}

/** A `SyncAdapter` over records kept in memory, plus the handle tests drive and inspect it with. */
export interface InMemoryAdapter extends SyncAdapter {
  readonly records: Effect.Effect<ReadonlyArray<SideRecord>>
  readonly get: (id: RecordId) => Effect.Effect<Option.Option<SideRecord>>
  /** A person edits a record (not the sync): merges `fields`, bumps version and updatedAt. Dies on an unknown id. */
  readonly edit: (id: RecordId, fields: Fields) => Effect.Effect<SideRecord>
  /** A person enters a new record. */
  readonly insert: (fields: Fields) => Effect.Effect<SideRecord>
  /**
   * The side takes in a record for the sync on its own, as the hub's intake turns a promoted WeChat contact into a
   * customer: it is listed as `intake` until a run reports on it.
   */
  readonly intake: (fields: Fields) => Effect.Effect<SideRecord>
  /** A person deletes a record. */
  readonly remove: (id: RecordId) => Effect.Effect<void>
  /** Every write that took effect (a no-op update is not one), in order. */
  readonly writes: Effect.Effect<ReadonlyArray<WriteCall>>
  readonly withdrawn: Effect.Effect<ReadonlyArray<RecordId>>
  readonly acknowledged: Effect.Effect<ReadonlyArray<RecordOutcome>>
  /** Adds an event for the other side; its checkpoint is assigned here. */
  readonly emit: (event: Omit<SideEvent, "checkpoint">) => Effect.Effect<SideEvent>
  /** Consulted on every call (after `failNext`): `Some(fault)` injects it. */
  readonly setFault: (hook: (call: AdapterCall) => Option.Option<InMemoryFault>) => Effect.Effect<void>
  /** Injects `fault` into the next `times` calls (of `op` only, when given). */
  readonly failNext: (times: number, fault: InMemoryFault, op?: AdapterCall["op"]) => Effect.Effect<void>
  readonly clearFaults: Effect.Effect<void>
}

export const makeInMemoryAdapter = (options: InMemoryAdapterOptions): Effect.Effect<InMemoryAdapter> =>
  Effect.gen(function* () {
    const name = options.name
    const prefix = options.idPrefix ?? ""
    const pageSize = Math.max(1, options.pageSize ?? 50)
    const unique = options.unique ?? []
    const capabilities: Capabilities = {
      serializeCreates: false,
      concurrency: 4,
      canDelete: true,
      idempotentActions: true,
      ...options.capabilities
    }
    const state = yield* Ref.make<State>(Store.initialState(options.records ?? []))
    const gate = yield* FaultGate.make(name)
    const linkField = Option.fromNullable(options.linkField)
    const normalize = Option.fromNullable(options.normalize)
    const adapter = makePort({ name, capabilities, prefix, pageSize, unique, linkField, normalize }, state, gate)

    /** A write that is not the sync's: a person's (`touched`), or the side taking a record in on its own (`intake`). */
    type Origin = { readonly touched: true } | { readonly intake: true }
    const person: Origin = { touched: true }
    const write = (id: RecordId, fields: (current: Option.Option<SideRecord>) => Option.Option<Fields>, who: Origin) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.flatten(
          Ref.modify(state, (s) =>
            Option.match(fields(Option.map(HashMap.get(s.records, id), (stored) => stored.record)), {
              onNone: () => [Effect.dieMessage(`${name}: edit of unknown record ${id}`), s] as const,
              onSome: (next) => {
                const [record, changed] = Store.putRecord(s, id, next, now, who)
                return [Effect.succeed(record), changed] as const
              }
            })
          )
        )
      )

    const newRecord = (fields: Fields, who: Origin) =>
      Effect.flatMap(
        Ref.modify(state, (s) => Store.allocateId(s, prefix)),
        (id) => write(id, () => Option.some(fields), who)
      )

    return {
      ...adapter,
      records: Effect.map(Ref.get(state), (s) =>
        Array.from(HashMap.values(s.records))
          .sort((a, b) => a.order - b.order)
          .map((stored) => stored.record)
      ),
      get: (id) => Effect.map(Ref.get(state), (s) => Option.map(HashMap.get(s.records, id), (stored) => stored.record)),
      edit: (id, fields) =>
        write(
          id,
          Option.map((current) => ({ ...current.fields, ...fields })),
          person
        ),
      insert: (fields) => newRecord(fields, person),
      intake: (fields) => newRecord(fields, { intake: true }),
      remove: (id) => Ref.update(state, (s) => Store.removeRecord(s, id)),
      writes: Effect.map(Ref.get(state), (s) => Chunk.toReadonlyArray(s.writes)),
      withdrawn: Effect.map(Ref.get(state), (s) =>
        Array.from(HashMap.values(s.records))
          .filter((stored) => stored.withdrawn)
          .sort((a, b) => a.order - b.order)
          .map((stored) => stored.record.id)
      ),
      acknowledged: Effect.map(Ref.get(state), (s) => Chunk.toReadonlyArray(s.acknowledged)),
      emit: (event) =>
        Ref.modify(state, (s) => {
          const emitted: SideEvent = { ...event, checkpoint: Store.checkpointOf(Chunk.size(s.events) + 1) }
          return [emitted, { ...s, events: Chunk.append(s.events, emitted) }]
        }),
      setFault: (hook) => gate.setHook(hook),
      failNext: (times, fault, op) => gate.failNext(times, fault, op),
      clearFaults: gate.clear
    }
  })
