import { Chunk, Clock, Effect, HashMap, HashSet, Option, Ref, Stream } from "effect"
import type { Capabilities, Compensation, RecordOutcome, SideEvent, SyncAdapter } from "./Adapter.js"
import type { AdapterError } from "./AdapterError.js"
import { CollisionError, FatalError, RejectedError, StaleError, TransientError } from "./AdapterError.js"
import type { Fields, RecordId, SideRecord } from "./Domain.js"
import { ListEntry } from "./Domain.js"
import type { State, WriteCall } from "./internal/inMemory/store.js"
import * as Store from "./internal/inMemory/store.js"

export type { WriteCall } from "./internal/inMemory/store.js"

/** One call into the in-memory adapter, as a fault hook sees it. */
export interface AdapterCall {
  readonly op: "list" | "read" | "create" | "findCreated" | "update" | "compensateCreate" | "perform" | "events" | "acknowledge"
  readonly key?: string
  readonly id?: RecordId
}

/**
 * A fault to inject into one call: an `AdapterError` fails the call before it has any effect; `AckLost` lets the write
 * happen and then fails with a `TransientError` (the answer was lost on the way back); `AfterReserve` (creates only)
 * reserves the provisional id and then fails without creating.
 */
export type InMemoryFault =
  | AdapterError
  | { readonly _tag: "AckLost" }
  | { readonly _tag: "AfterReserve"; readonly error: AdapterError }

export const InMemoryFault = {
  ackLost: { _tag: "AckLost" } as InMemoryFault,
  afterReserve: (error: AdapterError): InMemoryFault => ({ _tag: "AfterReserve", error })
}

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
}

/** A `SyncAdapter` over records kept in memory, plus the handle tests drive and inspect it with. */
export interface InMemoryAdapter extends SyncAdapter {
  readonly records: Effect.Effect<ReadonlyArray<SideRecord>>
  readonly get: (id: RecordId) => Effect.Effect<Option.Option<SideRecord>>
  /** A person edits a record (not the sync): merges `fields`, bumps version and updatedAt. Dies on an unknown id. */
  readonly edit: (id: RecordId, fields: Fields) => Effect.Effect<SideRecord>
  /** A person enters a new record. */
  readonly insert: (fields: Fields) => Effect.Effect<SideRecord>
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

interface Faults {
  readonly hook: Option.Option<(call: AdapterCall) => Option.Option<InMemoryFault>>
  readonly queue: ReadonlyArray<{ readonly remaining: number; readonly fault: InMemoryFault; readonly op?: AdapterCall["op"] }>
}

const noFaults: Faults = { hook: Option.none(), queue: [] }

const isAdapterError = (fault: InMemoryFault): fault is AdapterError => fault._tag !== "AckLost" && fault._tag !== "AfterReserve"

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
    const faults = yield* Ref.make<Faults>(noFaults)

    const takeFault = (call: AdapterCall): Effect.Effect<Option.Option<InMemoryFault>> =>
      Ref.modify(faults, (current): readonly [Option.Option<InMemoryFault>, Faults] => {
        const index = current.queue.findIndex((entry) => entry.op === undefined || entry.op === call.op)
        const entry = current.queue[index]
        if (entry !== undefined) {
          const queue = current.queue
            .map((e, i) => (i === index ? { ...e, remaining: e.remaining - 1 } : e))
            .filter((e) => e.remaining > 0)
          return [Option.some(entry.fault), { ...current, queue }]
        }
        return [Option.flatMap(current.hook, (hook) => hook(call)), current]
      })

    /** Fails now for a plain error fault; otherwise hands the fault on for the write to honour. */
    const enter = (call: AdapterCall): Effect.Effect<Option.Option<InMemoryFault>, AdapterError> =>
      Effect.flatMap(takeFault(call), (fault) =>
        Option.isSome(fault) && isAdapterError(fault.value) ? Effect.fail(fault.value) : Effect.succeed(fault)
      )

    const ackLost = (fault: Option.Option<InMemoryFault>, what: string): Effect.Effect<void, TransientError> =>
      Option.isSome(fault) && fault.value._tag === "AckLost"
        ? Effect.fail(new TransientError({ adapter: name, message: `the answer to ${what} was lost (the write happened)` }))
        : Effect.void

    const parseCheckpoint = (since: Option.Option<string>): Effect.Effect<number, FatalError> => {
      if (Option.isNone(since)) return Effect.succeed(0)
      const value = Number(since.value)
      return Number.isInteger(value) && value >= 0
        ? Effect.succeed(value)
        : Effect.fail(new FatalError({ adapter: name, message: `checkpoint "${since.value}" was not issued by this adapter` }))
    }

    const missing = (id: RecordId, what: string) =>
      new RejectedError({ adapter: name, message: `cannot ${what}: no record ${id} on ${name}` })

    const collision = (state: State, fields: Fields, self: Option.Option<RecordId>): Effect.Effect<void, CollisionError> =>
      Option.match(Store.findUniqueHolder(state, unique, fields, self), {
        onNone: () => Effect.void,
        onSome: ({ field, id }) =>
          Effect.fail(
            new CollisionError({ adapter: name, field, collidingId: id, message: `${field} already belongs to record ${id} on ${name}` })
          )
      })

    const adapter: SyncAdapter = {
      name,
      capabilities,
      list: (request) =>
        Stream.unwrap(
          Effect.gen(function* () {
            const since = yield* parseCheckpoint(request.since)
            const snapshot = Store.changedSince(yield* Ref.get(state), since)
            return Stream.paginateChunkEffect(0, (offset) =>
              Effect.as(enter({ op: "list" }), [
                Chunk.fromIterable(
                  snapshot.slice(offset, offset + pageSize).map(
                    (stored) =>
                      new ListEntry({
                        id: stored.record.id,
                        version: stored.record.version,
                        record: stored.record,
                        checkpoint: Store.checkpointOf(stored.seq)
                      })
                  )
                ),
                offset + pageSize < snapshot.length ? Option.some(offset + pageSize) : Option.none()
              ] as const)
            )
          })
        ),
      read: (id) =>
        Effect.zipRight(
          enter({ op: "read", id }),
          Effect.map(Ref.get(state), (s) => Option.map(HashMap.get(s.records, id), (stored) => stored.record))
        ),
      create: (request) =>
        Effect.gen(function* () {
          const fault = yield* enter({ op: "create", key: request.key })
          const [id, allocated] = Store.allocateId(yield* Ref.get(state), prefix)
          yield* Ref.set(state, allocated)
          yield* request.reserve(id)
          if (Option.isSome(fault) && fault.value._tag === "AfterReserve") return yield* Effect.fail(fault.value.error)
          yield* collision(yield* Ref.get(state), request.fields, Option.none())
          const now = yield* Clock.currentTimeMillis
          yield* Ref.update(state, (s) => {
            const [, next] = Store.putRecord(s, id, request.fields, now, {
              key: Option.some(request.key),
              provisionalId: Option.some(id)
            })
            return Store.logWrite(next, { _tag: "Create", key: request.key, id, fields: request.fields })
          })
          yield* ackLost(fault, `create ${request.key}`)
          return id
        }),
      findCreated: (request) =>
        Effect.zipRight(
          enter({ op: "findCreated", key: request.key }),
          Effect.map(Ref.get(state), (s) => {
            for (const [id, stored] of s.records) {
              const byKey = Option.contains(stored.key, request.key)
              const byProvisional =
                Option.isSome(request.provisionalId) && Option.contains(stored.provisionalId, request.provisionalId.value)
              if (byKey || byProvisional) return Option.some(id)
            }
            return Option.none<RecordId>()
          })
        ),
      update: (request) =>
        Effect.gen(function* () {
          const fault = yield* enter({ op: "update", key: request.key, id: request.id })
          const s = yield* Ref.get(state)
          const stored = HashMap.get(s.records, request.id)
          if (Option.isNone(stored)) return yield* Effect.fail(missing(request.id, "update"))
          const current = stored.value.record.fields
          const pending = Object.keys(request.changes).filter((f) => !Store.sameValue(current[f], request.changes[f]))
          if (pending.length === 0) return
          const moved = pending.find((f) => !Store.sameValue(current[f], request.expected[f]))
          if (moved !== undefined) {
            return yield* Effect.fail(
              new StaleError({ adapter: name, field: moved, message: `${moved} of record ${request.id} on ${name} changed since it was read` })
            )
          }
          yield* collision(s, request.changes, Option.some(request.id))
          const now = yield* Clock.currentTimeMillis
          yield* Ref.update(state, (s) => {
            const [, next] = Store.putRecord(s, request.id, { ...current, ...request.changes }, now)
            return Store.logWrite(next, { _tag: "Update", key: request.key, id: request.id, changes: request.changes })
          })
          yield* ackLost(fault, `update ${request.key}`)
        }),
      compensateCreate: (id, key) =>
        Effect.gen(function* () {
          const fault = yield* enter({ op: "compensateCreate", key, id })
          const now = yield* Clock.currentTimeMillis
          const result = yield* Ref.modify(state, (s): readonly [Compensation, State] => {
            const stored = HashMap.get(s.records, id)
            if (capabilities.canDelete) {
              if (Option.isNone(stored)) return [{ _tag: "Deleted" }, s]
              return [{ _tag: "Deleted" }, Store.logWrite(Store.removeRecord(s, id), { _tag: "Compensate", key, id, result: "Deleted" })]
            }
            const note = `record ${id} on ${name} cannot be deleted: marked withdrawn, a person must remove it`
            if (Option.isNone(stored) || stored.value.withdrawn) return [{ _tag: "Withdrawn", note }, s]
            const [, next] = Store.putRecord(s, id, stored.value.record.fields, now, { withdrawn: true })
            return [{ _tag: "Withdrawn", note }, Store.logWrite(next, { _tag: "Compensate", key, id, result: "Withdrawn" })]
          })
          yield* ackLost(fault, `compensation ${key}`)
          return result
        }),
      perform: (request) =>
        Effect.gen(function* () {
          const fault = yield* enter({ op: "perform", key: request.key, id: request.id })
          const s = yield* Ref.get(state)
          if (!HashMap.has(s.records, request.id)) return yield* Effect.fail(missing(request.id, `perform ${request.kind}`))
          // A side with idempotent actions recognizes a repeated key; one without does the action again, as the ERP would.
          if (capabilities.idempotentActions && HashSet.has(s.performed, request.key)) return
          yield* Ref.update(state, (s) =>
            Store.logWrite(
              { ...s, performed: HashSet.add(s.performed, request.key) },
              { _tag: "Perform", key: request.key, id: request.id, kind: request.kind, payload: request.payload }
            )
          )
          yield* ackLost(fault, `action ${request.key}`)
        }),
      events: (request) =>
        Stream.unwrap(
          Effect.gen(function* () {
            yield* enter({ op: "events" })
            const since = yield* parseCheckpoint(request.since)
            const events = Chunk.toReadonlyArray((yield* Ref.get(state)).events)
            return Stream.fromIterable(events.filter((event) => Number(event.checkpoint) > since))
          })
        ),
      acknowledge: (outcomes) =>
        Effect.zipRight(
          enter({ op: "acknowledge" }),
          Ref.update(state, (s) => ({ ...s, acknowledged: Chunk.appendAll(s.acknowledged, Chunk.fromIterable(outcomes)) }))
        )
    }

    const personWrite = (id: RecordId, fields: Fields) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.modify(state, (s) => Store.putRecord(s, id, fields, now))
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
        Effect.flatMap(Ref.get(state), (s) =>
          Option.match(HashMap.get(s.records, id), {
            onNone: () => Effect.dieMessage(`${name}: edit of unknown record ${id}`),
            onSome: (stored) => personWrite(id, { ...stored.record.fields, ...fields })
          })
        ),
      insert: (fields) =>
        Effect.flatMap(
          Ref.modify(state, (s) => Store.allocateId(s, prefix)),
          (id) => personWrite(id, fields)
        ),
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
      setFault: (hook) => Ref.update(faults, (f) => ({ ...f, hook: Option.some(hook) })),
      failNext: (times, fault, op) =>
        Ref.update(faults, (f) => ({ ...f, queue: [...f.queue, ...(times > 0 ? [{ remaining: times, fault, op }] : [])] })),
      clearFaults: Ref.set(faults, noFaults)
    }
  })
