import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Option } from "effect"
import type { SyncAdapter } from "../src/Adapter.js"
import { CollisionError, RejectedError, TransientError } from "../src/AdapterError.js"
import type { RecordId } from "../src/Domain.js"
import type { InMemoryAdapter } from "../src/InMemoryAdapter.js"
import { makeInMemoryAdapter } from "../src/InMemoryAdapter.js"
import type { ConformanceOptions } from "../src/testing.js"
import { conformanceChecks } from "../src/testing.js"

const rid = (value: string) => value as RecordId

/** The in-memory adapter (numeric ids, a unique mobile) with one member replaced by a broken one. */
const subject = (breakIt: (adapter: InMemoryAdapter) => Partial<SyncAdapter>) =>
  Effect.map(makeInMemoryAdapter({ name: "broken", unique: ["mobile"] }), (adapter) => ({
    adapter: { ...adapter, ...breakIt(adapter) },
    sampleFields: (i: number) => ({ name: `Customer ${i}`, mobile: `1380000${String(i).padStart(4, "0")}`, level: 1 }),
    update: { field: "name", values: ["Renamed A", "Renamed B"] as const },
    editOutOfBand: (id: RecordId, fields: Record<string, string | number | boolean | null>) => adapter.edit(id, fields),
    missingId: rid("987654")
  }))

const options: ConformanceOptions = { exactSince: true, unique: "mobile", testClock: true }

/** Runs every check against the broken adapter: the title and message of each that failed. */
const failures = (breakIt: (adapter: InMemoryAdapter) => Partial<SyncAdapter>) =>
  Effect.forEach(conformanceChecks(subject(breakIt), options), (check) =>
    Effect.map(Effect.exit(Effect.scoped(check.run)), (exit) =>
      Exit.isSuccess(exit) ? [] : [{ title: check.title, message: Cause.squash(exit.cause) as Error }]
    )
  ).pipe(Effect.map((all) => all.flat().map(({ title, message }) => ({ title, message: String(message.message) }))))

describe("the conformance suite fails a broken adapter with a message that says what is wrong", () => {
  it.effect("passes the in-memory adapter as it is", () =>
    Effect.gen(function* () {
      expect(yield* failures(() => ({}))).toEqual([])
    })
  )

  it.effect("a collision reported as transient", () =>
    Effect.gen(function* () {
      const asTransient = (error: unknown) =>
        error instanceof CollisionError ? new TransientError({ adapter: "broken", message: error.message }) : error
      const failed = yield* failures((adapter) => ({
        create: (request) => Effect.mapError(adapter.create(request), asTransient as never),
        update: (request) => Effect.mapError(adapter.update(request), asTransient as never)
      }))
      expect(failed.map((f) => f.title)).toEqual([
        "a unique value another record holds is a CollisionError naming that record"
      ])
      expect(failed[0]?.message).toMatch(
        /^a create giving mobile the value record 1 holds must fail with CollisionError on mobile naming record 1: expected 'failed with TransientError/
      )
    })
  )

  it.effect("an update of a missing record that succeeds, on a side with numeric ids", () =>
    Effect.gen(function* () {
      const failed = yield* failures((adapter) => ({
        // Refuses what is not a number, as many databases do, but "updates" a number no record has.
        update: (request) =>
          !/^\d+$/.test(request.id)
            ? Effect.fail(new RejectedError({ adapter: "broken", message: `${request.id} is not a number` }))
            : Effect.flatMap(adapter.read(request.id), (found) =>
                Option.isNone(found) ? Effect.succeed({ overwritten: {} }) : adapter.update(request)
              )
      }))
      expect(failed.map((f) => f.title)).toEqual([
        "a missing record: read is none, update and perform are RejectedError, compensateCreate Deleted",
        "errors are AdapterError values, never defects"
      ])
      expect(failed[0]?.message).toMatch(
        /^update of missing record 987654 must fail with RejectedError: expected 'succeeded' to match/
      )
    })
  )

  it.effect("a compensateCreate that deletes a record a person changed", () =>
    Effect.gen(function* () {
      const failed = yield* failures((adapter) => ({
        compensateCreate: (request) => Effect.as(adapter.remove(request.id), { _tag: "Deleted" } as const)
      }))
      expect(failed.map((f) => f.title)).toEqual([
        "compensateCreate never deletes a record a person changed since it was created"
      ])
      expect(failed[0]?.message).toMatch(
        /^a person changed name of record \d+ after the sync created it: compensateCreate must keep or withdraw it/
      )
    })
  )

  it.effect("a compensateCreate that keeps a record only the sync changed", () =>
    Effect.gen(function* () {
      // Without history, it takes any change since the create for a person's: the sync's own update included.
      const createdVersion = new Map<string, string | undefined>()
      const failed = yield* failures((adapter) => ({
        create: (request) =>
          Effect.tap(adapter.create(request), ({ id }) =>
            Effect.map(adapter.read(id), (found) => createdVersion.set(id, Option.getOrUndefined(found)?.version))
          ),
        compensateCreate: (request) =>
          Effect.flatMap(adapter.read(request.id), (found) =>
            Option.isSome(found) && found.value.version !== createdVersion.get(request.id)
              ? Effect.succeed({ _tag: "Kept", note: `record ${request.id} changed since it was created` } as const)
              : adapter.compensateCreate(request)
          )
      }))
      expect(failed.map((f) => f.title)).toEqual([
        "compensateCreate deletes a record only the sync changed since it created it"
      ])
      expect(failed[0]?.message).toMatch(
        /^record \d+ holds just what the sync last wrote \(its create, then its update of name\): compensateCreate must answer Deleted, as no person changed it: expected 'Kept' to be 'Deleted'/
      )
    })
  )

  it.effect("create and update answering a version the record's reads do not show", () =>
    Effect.gen(function* () {
      const failed = yield* failures((adapter) => ({
        // the version before the write, as an adapter that reads the row before it writes might answer
        create: (request) => Effect.map(adapter.create(request), ({ id }) => ({ id, version: "v0" })),
        update: (request) =>
          Effect.flatMap(adapter.read(request.id), (before) =>
            Effect.map(adapter.update(request), ({ overwritten }) => ({
              overwritten,
              version: Option.getOrUndefined(before)?.version ?? "v0"
            }))
          )
      }))
      expect(failed.map((f) => f.title)).toEqual([
        "create then read returns the fields; list, read and the create's answer agree on the version",
        "update is idempotent, and the version changes only when the record does"
      ])
      expect(failed[0]?.message).toMatch(
        /^create answered version v0 for record \d+: it must be the version read and list then show: expected 'v0' to be 'v\d+'/
      )
      expect(failed[1]?.message).toMatch(
        /^update answered version v\d+ for record \d+: it must be the version read then shows: expected 'v\d+' to be 'v\d+'/
      )
    })
  )
})
