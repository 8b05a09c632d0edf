import { expect } from "@effect/vitest"
import type { Scope } from "effect"
import { Cause, Effect, Exit, Option, Stream } from "effect"
import type { SyncAdapter } from "../../Adapter.js"
import { isAdapterError } from "../../AdapterError.js"
import type { Fields, IdempotencyKey, ListEntry, RecordId } from "../../Domain.js"
import type { ConformanceSubject } from "../../testing.js"

/** Registers one conformance test, run against a fresh subject. */
export type Register = (
  title: string,
  body: (subject: ConformanceSubject) => Effect.Effect<void, unknown, Scope.Scope>
) => void

export const key = (value: string) => `conformance:${value}` as IdempotencyKey

/** The other side's record sample `i` is created from: a number, the form most systems' ids take. */
export const sourceOf = (i: number) => String(700_000 + i) as RecordId

export const listAll = (adapter: SyncAdapter, since: Option.Option<string> = Option.none()) =>
  Effect.map(Stream.runCollect(adapter.list({ since })), (chunk) => Array.from(chunk))

/** Creates sample `i`: what the create answered (its id, its version where the side gives one). */
export const createSampleWith = (subject: ConformanceSubject, i: number) =>
  subject.adapter.create({
    key: key(`create:${i}`),
    sourceId: sourceOf(i),
    fields: subject.sampleFields(i),
    reserve: () => Effect.void
  })

/** Creates sample `i`: its id. */
export const createSample = (subject: ConformanceSubject, i: number) =>
  Effect.map(createSampleWith(subject, i), (created) => created.id)

export const readOrFail = (adapter: SyncAdapter, id: RecordId) =>
  Effect.flatMap(adapter.read(id), (record) =>
    Option.match(record, {
      onNone: () => Effect.dieMessage(`${adapter.name}: record ${id} cannot be read back`),
      onSome: Effect.succeed
    })
  )

/** The effect must fail with one of the port's tagged errors, not die or succeed. */
export const expectAdapterError = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    expect(Exit.isFailure(exit), "expected a failure").toBe(true)
    if (Exit.isFailure(exit)) {
      expect(Cause.isDie(exit.cause), `a defect instead of an AdapterError: ${Cause.pretty(exit.cause)}`).toBe(false)
      const error = Cause.failureOption(exit.cause)
      expect(Option.isSome(error) && isAdapterError(error.value), "expected an AdapterError").toBe(true)
    }
  })

export const versionOf = (entry: ListEntry): string | undefined => entry.version ?? entry.record?.version

/** The comparable form of stored fields: the subject's projection, or the sample's own fields. */
export const project = (subject: ConformanceSubject, sample: Fields, fields: Fields): Fields =>
  subject.project ? subject.project(fields) : Object.fromEntries(Object.keys(sample).map((f) => [f, fields[f] ?? null]))
