import { expect } from "@effect/vitest"
import { Cause, Effect, Exit, Option, Stream } from "effect"
import type { RecordId } from "../../Domain.js"
import type { ConformanceOptions, ConformanceSubject } from "../../testing.js"
import type { Register } from "./helpers.js"
import { createSample, expectAdapterError, key, readOrFail, sourceOf } from "./helpers.js"

const malformedId = "conformance-malformed-0" as RecordId

/** How an effect ended, in words an assertion message can show: "succeeded", "failed with StaleError: …", "died: …". */
const ending = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) return { text: "succeeded", error: undefined }
    const error = Cause.failureOption(exit.cause)
    if (Option.isNone(error)) return { text: `died: ${Cause.pretty(exit.cause)}`, error: undefined }
    const value = error.value as { readonly _tag?: string; readonly message?: string }
    return { text: `failed with ${value._tag ?? "an untagged error"}: ${value.message ?? ""}`, error: error.value }
  })

/** Missing and malformed ids, unique-key collisions, and errors that are values, never defects. */
export const errorTests = (register: Register, options: ConformanceOptions): void => {
  const updateOf = (subject: ConformanceSubject, id: RecordId) =>
    subject.adapter.update({
      key: key(`update:${id}`),
      id,
      changes: { [subject.update.field]: subject.update.values[0] },
      expected: {}
    })

  register(
    "a missing record: read is none, update and perform are RejectedError, compensateCreate Deleted",
    (subject) =>
      Effect.gen(function* () {
        yield* createSample(subject, 17)
        const missing = subject.missingId
        const action = subject.action ?? { kind: "conformance", payload: {} }
        expect(yield* subject.adapter.read(missing), `read of missing record ${missing}`).toEqual(Option.none())
        const update = yield* ending(updateOf(subject, missing))
        expect(update.text, `update of missing record ${missing} must fail with RejectedError`).toMatch(
          /^failed with RejectedError/
        )
        const perform = yield* ending(subject.adapter.perform({ key: key("perform:missing"), id: missing, ...action }))
        expect(perform.text, `perform on missing record ${missing} must fail with RejectedError`).toMatch(
          /^failed with RejectedError/
        )
        const compensation = yield* subject.adapter.compensateCreate({
          id: missing,
          key: key("create:missing"),
          written: {},
          version: Option.none()
        })
        expect(compensation._tag, `compensateCreate of missing record ${missing}: nothing is left`).toBe("Deleted")
      })
  )

  register("a malformed id: read is none, update is RejectedError", (subject) =>
    Effect.gen(function* () {
      const malformed = subject.malformedId ?? malformedId
      expect(yield* subject.adapter.read(malformed), `read of malformed id ${malformed}`).toEqual(Option.none())
      const update = yield* ending(updateOf(subject, malformed))
      expect(update.text, `update of malformed id ${malformed} must fail with RejectedError`).toMatch(
        /^failed with RejectedError/
      )
    })
  )

  const field = options.unique
  if (field !== undefined) {
    register("a unique value another record holds is a CollisionError naming that record", (subject) =>
      Effect.gen(function* () {
        const holder = yield* createSample(subject, 20)
        const other = yield* createSample(subject, 21)
        const held = (yield* readOrFail(subject.adapter, holder)).fields[field] ?? null
        const named = `must fail with CollisionError on ${field} naming record ${holder}`
        const created = yield* ending(
          subject.adapter.create({
            key: key("create:22"),
            sourceId: sourceOf(22),
            fields: { ...subject.sampleFields(22), [field]: held },
            reserve: () => Effect.void
          })
        )
        expect(created.text, `a create giving ${field} the value record ${holder} holds ${named}`).toMatch(
          /^failed with CollisionError/
        )
        expect(created.error, `the collision names record ${holder}`).toMatchObject({ field, collidingId: holder })
        const current = (yield* readOrFail(subject.adapter, other)).fields[field] ?? null
        const updated = yield* ending(
          subject.adapter.update({
            key: key("update:21"),
            id: other,
            changes: { [field]: held },
            expected: { [field]: current }
          })
        )
        expect(updated.text, `an update giving record ${other} the ${field} of record ${holder} ${named}`).toMatch(
          /^failed with CollisionError/
        )
        expect(updated.error, `the collision names record ${holder}`).toMatchObject({ field, collidingId: holder })
      })
    )
  }

  register("errors are AdapterError values, never defects", (subject) =>
    Effect.gen(function* () {
      const action = subject.action ?? { kind: "conformance", payload: {} }
      for (const id of [subject.missingId, subject.malformedId ?? malformedId]) {
        yield* expectAdapterError(updateOf(subject, id))
        yield* expectAdapterError(subject.adapter.perform({ key: key(`perform:${id}`), id, ...action }))
      }
      yield* subject.adapter.acknowledge([])
      yield* Stream.runDrain(Stream.take(subject.adapter.events({ since: Option.none() }), 1000))
    })
  )
}
