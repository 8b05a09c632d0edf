import { describe, expect, it } from "@effect/vitest"
import type { Scope } from "effect"
import { Cause, Effect, Exit, Option, Ref, Schema, Stream } from "effect"
import type { SyncAdapter } from "./Adapter.js"
import { AdapterError } from "./AdapterError.js"
import type { FieldValue, Fields, IdempotencyKey, ListEntry, RecordId } from "./Domain.js"

/** What the conformance suite needs to drive one adapter. */
export interface ConformanceSubject {
  readonly adapter: SyncAdapter
  /** Valid native fields for a new record; different `i` never collide on a unique field. */
  readonly sampleFields: (i: number) => Fields
  /** A native field the adapter can update, and two values for it, different from each other and from the samples'. */
  readonly update: { readonly field: string; readonly values: readonly [FieldValue, FieldValue] }
  /** A person changes a record outside the sync (in the system's own screens). */
  readonly editOutOfBand: (id: RecordId, fields: Fields) => Effect.Effect<void, unknown>
  /** The comparable form of a record's fields, as the adapter stores them; default: the sample's own fields. */
  readonly project?: (fields: Fields) => Fields
  /** An id no record has (default "conformance-missing-0"). */
  readonly missingId?: RecordId
  /** An action the side performs on a record (default: kind "conformance", empty payload). */
  readonly action?: { readonly kind: string; readonly payload: Fields }
}

export interface ConformanceOptions {
  /** Records created for the listing test: set it above the adapter's page size to cross a page (default 12). */
  readonly listCount?: number
  /** The adapter honours `since` and gives checkpoints (default true). */
  readonly incremental?: boolean
  /** A `since` listing holds only records changed after it, not a superset (default false). */
  readonly exactSince?: boolean
  /** Run on Effect's TestClock instead of the live clock (default false: adapters that pace calls need real time). */
  readonly testClock?: boolean
  /** Per-test timeout in milliseconds. */
  readonly timeout?: number
}

type Make<E> = Effect.Effect<ConformanceSubject, E, Scope.Scope> | (() => Effect.Effect<ConformanceSubject, E, Scope.Scope>)

const key = (value: string) => `conformance:${value}` as IdempotencyKey

const listAll = (adapter: SyncAdapter, since: Option.Option<string> = Option.none()) =>
  Effect.map(Stream.runCollect(adapter.list({ since })), (chunk) => Array.from(chunk))

const createSample = (subject: ConformanceSubject, i: number) =>
  subject.adapter.create({ key: key(`create:${i}`), fields: subject.sampleFields(i), reserve: () => Effect.void })

const readOrFail = (adapter: SyncAdapter, id: RecordId) =>
  Effect.flatMap(adapter.read(id), (record) =>
    Option.match(record, {
      onNone: () => Effect.dieMessage(`${adapter.name}: record ${id} cannot be read back`),
      onSome: Effect.succeed
    })
  )

const isAdapterError = Schema.is(AdapterError)

/** The effect must fail with one of the port's tagged errors, not die or succeed. */
const expectAdapterError = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    expect(Exit.isFailure(exit), "expected a failure").toBe(true)
    if (Exit.isFailure(exit)) {
      expect(Cause.isDie(exit.cause), `a defect instead of an AdapterError: ${Cause.pretty(exit.cause)}`).toBe(false)
      const error = Cause.failureOption(exit.cause)
      expect(Option.isSome(error) && isAdapterError(error.value), "expected an AdapterError").toBe(true)
    }
  })

const versionOf = (entry: ListEntry): string | undefined => entry.version ?? entry.record?.version

/**
 * Registers a `describe` block of the tests every `SyncAdapter` must pass. Each test gets a fresh subject from `make`
 * (scoped: a server or a database file opened there is closed after the test).
 */
export const conformance = <E>(name: string, make: Make<E>, options: ConformanceOptions = {}): void => {
  const subjectOf = typeof make === "function" ? make : () => make
  const test = options.testClock ? it.scoped : it.scopedLive
  const register = (title: string, body: (subject: ConformanceSubject) => Effect.Effect<void, unknown, Scope.Scope>) =>
    test(title, () => Effect.flatMap(subjectOf(), body), options.timeout)
  const project = (subject: ConformanceSubject, sample: Fields, fields: Fields): Fields =>
    subject.project ? subject.project(fields) : Object.fromEntries(Object.keys(sample).map((f) => [f, fields[f] ?? null]))

  describe(`${name} conforms to SyncAdapter`, () => {
    register("list yields every record exactly once", (subject) =>
      Effect.gen(function* () {
        const count = options.listCount ?? 12
        const ids: Array<RecordId> = []
        for (let i = 0; i < count; i++) ids.push(yield* createSample(subject, 100 + i))
        const listed = yield* listAll(subject.adapter)
        const listedIds = listed.map((entry) => entry.id)
        expect(new Set(listedIds).size, "an id listed twice").toBe(listedIds.length)
        expect(listedIds).toEqual(expect.arrayContaining(ids))
        for (const entry of listed) if (entry.record) expect(entry.record.id).toBe(entry.id)
      })
    )

    register("create then read returns the fields, and list and read agree on the version", (subject) =>
      Effect.gen(function* () {
        const sample = subject.sampleFields(1)
        const id = yield* subject.adapter.create({ key: key("create:1"), fields: sample, reserve: () => Effect.void })
        const record = yield* readOrFail(subject.adapter, id)
        expect(record.id).toBe(id)
        expect(project(subject, sample, record.fields)).toEqual(project(subject, sample, sample))
        const entry = (yield* listAll(subject.adapter)).find((e) => e.id === id)
        expect(entry, "the created record is listed").toBeDefined()
        if (entry) expect(versionOf(entry)).toBe(record.version)
      })
    )

    register("findCreated finds a landed create by key and by provisional id", (subject) =>
      Effect.gen(function* () {
        const sample = subject.sampleFields(2)
        const reserved = yield* Ref.make<ReadonlyArray<string>>([])
        const id = yield* subject.adapter.create({
          key: key("create:2"),
          fields: sample,
          reserve: (provisionalId) => Ref.update(reserved, (all) => [...all, provisionalId])
        })
        const provisional = yield* Ref.get(reserved)
        expect(provisional.length, "reserve is called at most once").toBeLessThanOrEqual(1)
        const provisionalId = Option.fromNullable(provisional[0])
        const found = yield* subject.adapter.findCreated({ key: key("create:2"), fields: sample, provisionalId })
        expect(found).toEqual(Option.some(id))
        if (Option.isSome(provisionalId)) {
          const byProvisional = yield* subject.adapter.findCreated({ key: key("other"), fields: subject.sampleFields(3), provisionalId })
          expect(byProvisional).toEqual(Option.some(id))
        }
      })
    )

    register("a create stopped right after reserve leaves nothing behind", (subject) =>
      Effect.gen(function* () {
        const sample = subject.sampleFields(4)
        const before = (yield* listAll(subject.adapter)).length
        const reserved = yield* Ref.make<Option.Option<string>>(Option.none())
        const exit = yield* Effect.exit(
          subject.adapter.create({
            key: key("create:4"),
            fields: sample,
            reserve: (provisionalId) => Effect.zipRight(Ref.set(reserved, Option.some(provisionalId)), Effect.interrupt)
          })
        )
        const provisionalId = yield* Ref.get(reserved)
        if (Option.isNone(provisionalId)) return expect(Exit.isSuccess(exit)).toBe(true)
        expect(Exit.isInterrupted(exit), "the create stops where reserve stopped").toBe(true)
        expect(yield* subject.adapter.findCreated({ key: key("create:4"), fields: sample, provisionalId })).toEqual(Option.none())
        expect((yield* listAll(subject.adapter)).length).toBe(before)
      })
    )

    register("findCreated returns none for a create that never happened", (subject) =>
      Effect.gen(function* () {
        yield* createSample(subject, 5)
        const found = yield* subject.adapter.findCreated({ key: key("never"), fields: subject.sampleFields(6), provisionalId: Option.none() })
        expect(found).toEqual(Option.none())
      })
    )

    register("update is idempotent, and the version changes only when the record does", (subject) =>
      Effect.gen(function* () {
        const { field, values } = subject.update
        const id = yield* createSample(subject, 7)
        const initial = yield* readOrFail(subject.adapter, id)
        expect(yield* readOrFail(subject.adapter, id)).toEqual(initial)
        const request = { key: key("update:7"), id, changes: { [field]: values[0] }, expected: { [field]: initial.fields[field] ?? null } }
        yield* subject.adapter.update(request)
        const once = yield* readOrFail(subject.adapter, id)
        expect(once.fields[field]).toEqual(values[0])
        if (initial.version !== undefined) expect(once.version).not.toBe(initial.version)
        yield* subject.adapter.update(request)
        const twice = yield* readOrFail(subject.adapter, id)
        expect(twice.fields[field]).toEqual(values[0])
        expect(twice.version).toBe(once.version)
      })
    )

    register("update fails with StaleError when a person changed the field since it was read", (subject) =>
      Effect.gen(function* () {
        const { field, values } = subject.update
        const id = yield* createSample(subject, 8)
        const read = yield* readOrFail(subject.adapter, id)
        yield* subject.editOutOfBand(id, { [field]: values[1] })
        const error = yield* Effect.flip(
          subject.adapter.update({ key: key("update:8"), id, changes: { [field]: values[0] }, expected: { [field]: read.fields[field] ?? null } })
        )
        expect(error._tag).toBe("StaleError")
        expect((yield* readOrFail(subject.adapter, id)).fields[field]).toEqual(values[1])
      })
    )

    register("update succeeds without a write when the target already holds the changes", (subject) =>
      Effect.gen(function* () {
        const { field, values } = subject.update
        const id = yield* createSample(subject, 9)
        const read = yield* readOrFail(subject.adapter, id)
        yield* subject.editOutOfBand(id, { [field]: values[0] })
        const edited = yield* readOrFail(subject.adapter, id)
        yield* subject.adapter.update({ key: key("update:9"), id, changes: { [field]: values[0] }, expected: { [field]: read.fields[field] ?? null } })
        const after = yield* readOrFail(subject.adapter, id)
        expect(after.fields[field]).toEqual(values[0])
        expect(after.version).toBe(edited.version)
      })
    )

    if (options.incremental ?? true) {
      register("a since listing returns the records changed after the checkpoint", (subject) =>
        Effect.gen(function* () {
          const { field, values } = subject.update
          const changed = yield* createSample(subject, 10)
          const untouched = yield* createSample(subject, 11)
          const checkpoint = (yield* listAll(subject.adapter)).flatMap((e) => (e.checkpoint === undefined ? [] : [e.checkpoint])).at(-1)
          expect(checkpoint, "an incremental adapter gives checkpoints").toBeDefined()
          const read = yield* readOrFail(subject.adapter, changed)
          yield* subject.adapter.update({ key: key("update:10"), id: changed, changes: { [field]: values[0] }, expected: { [field]: read.fields[field] ?? null } })
          const since = (yield* listAll(subject.adapter, Option.fromNullable(checkpoint))).map((e) => e.id)
          expect(since).toContain(changed)
          if (options.exactSince) expect(since).not.toContain(untouched)
        })
      )
    }

    register("compensateCreate deletes or withdraws as capabilities.canDelete says, and can be repeated", (subject) =>
      Effect.gen(function* () {
        const id = yield* createSample(subject, 12)
        const first = yield* subject.adapter.compensateCreate(id, key("create:12"))
        const again = yield* subject.adapter.compensateCreate(id, key("create:12"))
        if (subject.adapter.capabilities.canDelete) {
          expect(first._tag).toBe("Deleted")
          expect(again._tag).toBe("Deleted")
          expect(yield* subject.adapter.read(id)).toEqual(Option.none())
          expect((yield* listAll(subject.adapter)).map((e) => e.id)).not.toContain(id)
        } else {
          expect(first._tag).toBe("Withdrawn")
          expect(again._tag).toBe("Withdrawn")
          if (first._tag === "Withdrawn") expect(first.note.trim()).not.toBe("")
          expect(Option.isSome(yield* subject.adapter.read(id))).toBe(true)
        }
      })
    )

    register("errors are AdapterError values, never defects", (subject) =>
      Effect.gen(function* () {
        const missing = subject.missingId ?? ("conformance-missing-0" as RecordId)
        const action = subject.action ?? { kind: "conformance", payload: {} }
        expect(yield* subject.adapter.read(missing)).toEqual(Option.none())
        yield* expectAdapterError(
          subject.adapter.update({ key: key("update:missing"), id: missing, changes: { [subject.update.field]: subject.update.values[0] }, expected: {} })
        )
        yield* expectAdapterError(subject.adapter.perform({ key: key("perform:missing"), id: missing, ...action }))
        yield* subject.adapter.acknowledge([])
        yield* Stream.runDrain(Stream.take(subject.adapter.events({ since: Option.none() }), 1000))
      })
    )
  })
}
