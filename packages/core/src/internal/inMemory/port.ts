import { Chunk, Clock, Effect, Either, HashMap, HashSet, Option, Ref, Stream } from "effect"
import type { Capabilities, Compensation, SyncAdapter } from "../../Adapter.js"
import type { AdapterError } from "../../AdapterError.js"
import { CollisionError, FatalError, RejectedError, StaleError } from "../../AdapterError.js"
import type { Fields, FieldValue, RecordId } from "../../Domain.js"
import { ListEntry, SideRecord } from "../../Domain.js"
import type { FaultGate } from "./faults.js"
import type { State } from "./store.js"
import * as Store from "./store.js"

export interface PortConfig {
  readonly name: string
  readonly capabilities: Capabilities
  readonly prefix: string
  readonly pageSize: number
  readonly unique: ReadonlyArray<string>
  readonly linkField: Option.Option<string>
  readonly normalize: Option.Option<(field: string, value: FieldValue) => FieldValue>
}

type Outcome<A> = readonly [Either.Either<A, AdapterError>, State]

/** The `SyncAdapter` half of the in-memory adapter: each check and the write it guards happen in one `Ref.modify`. */
export const makePort = (config: PortConfig, state: Ref.Ref<State>, gate: FaultGate): SyncAdapter => {
  const { name, capabilities, pageSize } = config

  const parseCheckpoint = (since: Option.Option<string>): Effect.Effect<number, FatalError> => {
    if (Option.isNone(since)) return Effect.succeed(0)
    const value = Number(since.value)
    return Number.isInteger(value) && value >= 0
      ? Effect.succeed(value)
      : Effect.fail(
          new FatalError({ adapter: name, message: `checkpoint "${since.value}" was not issued by this adapter` })
        )
  }

  const missing = (id: RecordId, what: string) =>
    new RejectedError({ adapter: name, message: `cannot ${what}: no record ${id} on ${name}` })

  const collision = (s: State, fields: Fields, self: Option.Option<RecordId>): Option.Option<CollisionError> =>
    Option.map(
      Store.findUniqueHolder(s, config.unique, fields, self),
      ({ field, id }) =>
        new CollisionError({
          adapter: name,
          field,
          collidingId: id,
          message: `${field} already belongs to record ${id} on ${name}`
        })
    )

  const run = <A>(modify: (s: State) => Outcome<A>): Effect.Effect<A, AdapterError> =>
    Effect.flatten(Ref.modify(state, (s) => modify(s)))

  const normalized = (fields: Fields): Fields =>
    Option.match(config.normalize, {
      onNone: () => fields,
      onSome: (normalize) => Object.fromEntries(Object.entries(fields).map(([f, v]) => [f, normalize(f, v)]))
    })
  /** A record as the side reads it: through `normalize`, when it has one. */
  const view = (record: SideRecord): SideRecord =>
    Option.isNone(config.normalize) ? record : new SideRecord({ ...record, fields: normalized(record.fields) })

  return {
    name,
    capabilities,
    list: (request) =>
      Stream.unwrap(
        Effect.gen(function* () {
          const since = yield* parseCheckpoint(request.since)
          const snapshot = Store.changedSince(yield* Ref.get(state), since)
          const entries = snapshot.map(
            (stored) =>
              new ListEntry({
                id: stored.record.id,
                version: stored.record.version,
                record: view(stored.record),
                checkpoint: Store.checkpointOf(stored.seq),
                ...(stored.intake ? { intake: true } : {})
              })
          )
          return Stream.paginateChunkEffect(0, (offset) =>
            Effect.as(gate.enter({ op: "list" }), [
              Chunk.fromIterable(entries.slice(offset, offset + pageSize)),
              offset + pageSize < entries.length ? Option.some(offset + pageSize) : Option.none()
            ] as const)
          )
        })
      ),
    read: (id) =>
      Effect.zipRight(
        gate.enter({ op: "read", id }),
        Effect.map(Ref.get(state), (s) => Option.map(HashMap.get(s.records, id), (stored) => view(stored.record)))
      ),
    create: (request) =>
      Effect.gen(function* () {
        const fault = yield* gate.enter({ op: "create", key: request.key })
        const id = yield* Ref.modify(state, (s) => Store.allocateId(s, config.prefix))
        yield* request.reserve(id)
        if (Option.isSome(fault) && fault.value._tag === "AfterReserve") return yield* Effect.fail(fault.value.error)
        const now = yield* Clock.currentTimeMillis
        const version = yield* run((s): Outcome<string | undefined> => {
          const collided = collision(s, request.fields, Option.none())
          if (Option.isSome(collided)) return [Either.left(collided.value), s]
          const [record, next] = Store.putRecord(s, id, normalized(request.fields), now, {
            key: Option.some(request.key),
            provisionalId: Option.some(id)
          })
          return [
            Either.right(record.version),
            Store.logWrite(next, { _tag: "Create", key: request.key, id, fields: request.fields })
          ]
        })
        yield* gate.ackLost(fault, `create ${request.key}`)
        return { id, version }
      }),
    findCreated: (request) =>
      Effect.zipRight(
        gate.enter({ op: "findCreated", key: request.key }),
        Effect.map(Ref.get(state), (s) => {
          const provisional = request.provisionalId
          for (const [id, stored] of s.records) {
            if (Option.contains(stored.key, request.key)) return Option.some(id)
            if (Option.isSome(provisional) && Option.contains(stored.provisionalId, provisional.value))
              return Option.some(id)
          }
          return Option.none<RecordId>()
        })
      ),
    update: (request) =>
      Effect.gen(function* () {
        const fault = yield* gate.enter({ op: "update", key: request.key, id: request.id })
        const now = yield* Clock.currentTimeMillis
        const [overwritten, version] = yield* run((s): Outcome<readonly [Fields, string | undefined]> => {
          const stored = HashMap.get(s.records, request.id)
          if (Option.isNone(stored)) return [Either.left(missing(request.id, "update")), s]
          const raw = stored.value.record.fields
          const read = normalized(raw)
          const changes = request.asStored ? request.changes : normalized(request.changes)
          const current = request.asStored ? raw : read
          const pending = Object.keys(changes).filter((f) => !Store.sameValue(current[f], changes[f]))
          if (pending.length === 0) return [Either.right([{}, undefined]), s]
          const moved = pending.find((f) => !Store.sameValue(read[f], request.expected[f]))
          if (moved !== undefined) {
            const message = `${moved} of record ${request.id} on ${name} changed since it was read`
            return [Either.left(new StaleError({ adapter: name, field: moved, message })), s]
          }
          const collided = collision(s, changes, Option.some(request.id))
          if (Option.isSome(collided)) return [Either.left(collided.value), s]
          const [record, next] = Store.putRecord(s, request.id, { ...raw, ...changes }, now)
          const write = { _tag: "Update", key: request.key, id: request.id, changes } as const
          return [
            Either.right([Object.fromEntries(pending.map((f) => [f, raw[f] ?? null])), record.version]),
            Store.logWrite(next, write)
          ]
        })
        if (Object.keys(overwritten).length > 0) yield* gate.ackLost(fault, `update ${request.key}`)
        return { overwritten, version }
      }),
    compensateCreate: ({ id, key }) =>
      Effect.gen(function* () {
        const fault = yield* gate.enter({ op: "compensateCreate", key, id })
        const now = yield* Clock.currentTimeMillis
        const result = yield* Ref.modify(state, (s): readonly [Compensation, State] => {
          const stored = HashMap.get(s.records, id)
          // Repeating a compensation finds it done: nothing more happens, and the answer is the same. A record that
          // is gone needs nothing, whether the side can delete or not.
          if (Option.isNone(stored)) return [{ _tag: "Deleted" }, s]
          if (capabilities.canDelete) {
            if (stored.value.touched) {
              return [{ _tag: "Kept", note: `record ${id} on ${name} was changed by a person since; kept` }, s]
            }
            return [
              { _tag: "Deleted" },
              Store.logWrite(Store.removeRecord(s, id), { _tag: "Compensate", key, id, result: "Deleted" })
            ]
          }
          const note = `record ${id} on ${name} cannot be deleted: marked withdrawn, a person must remove it`
          if (stored.value.withdrawn) return [{ _tag: "Withdrawn", note }, s]
          const [, next] = Store.putRecord(s, id, stored.value.record.fields, now, { withdrawn: true })
          return [
            { _tag: "Withdrawn", note },
            Store.logWrite(next, { _tag: "Compensate", key, id, result: "Withdrawn" })
          ]
        })
        yield* gate.ackLost(fault, `compensation ${key}`)
        return result
      }),
    perform: (request) =>
      Effect.gen(function* () {
        const fault = yield* gate.enter({ op: "perform", key: request.key, id: request.id })
        yield* run((s): Outcome<void> => {
          if (!HashMap.has(s.records, request.id))
            return [Either.left(missing(request.id, `perform ${request.kind}`)), s]
          // A side with idempotent actions recognizes a repeated key; one without does it again, as the ERP would.
          if (capabilities.idempotentActions && HashSet.has(s.performed, request.key))
            return [Either.right(undefined), s]
          const write = {
            _tag: "Perform",
            key: request.key,
            id: request.id,
            kind: request.kind,
            payload: request.payload
          } as const
          return [
            Either.right(undefined),
            Store.logWrite({ ...s, performed: HashSet.add(s.performed, request.key) }, write)
          ]
        })
        yield* gate.ackLost(fault, `action ${request.key}`)
      }),
    events: (request) =>
      Stream.unwrap(
        Effect.gen(function* () {
          yield* gate.enter({ op: "events" })
          const since = yield* parseCheckpoint(request.since)
          const events = Chunk.toReadonlyArray((yield* Ref.get(state)).events)
          return Stream.fromIterable(events.filter((event) => Number(event.checkpoint) > since))
        })
      ),
    acknowledge: (outcomes) =>
      Effect.gen(function* () {
        yield* gate.enter({ op: "acknowledge" })
        const now = yield* Clock.currentTimeMillis
        return yield* Ref.modify(state, (s) => Store.acknowledge(s, outcomes, config.linkField, now))
      })
  }
}
