import { expect } from "@effect/vitest"
import { Effect, Option } from "effect"
import type { RecordOutcome } from "../../Adapter.js"
import type { ConformanceOptions } from "../../testing.js"
import type { Register } from "./helpers.js"
import { createSample, key, listAll, readOrFail, sourceOf } from "./helpers.js"

/** Compare-and-set updates, incremental listing, and showing links. */
export const writeTests = (register: Register, options: ConformanceOptions): void => {
  register("update is idempotent, and the version changes only when the record does", (subject) =>
    Effect.gen(function* () {
      const { field, values } = subject.update
      const id = yield* createSample(subject, 7)
      const initial = yield* readOrFail(subject.adapter, id)
      expect(yield* readOrFail(subject.adapter, id)).toEqual(initial)
      const request = {
        key: key("update:7"),
        id,
        changes: { [field]: values[0] },
        expected: { [field]: initial.fields[field] ?? null }
      }
      const first = yield* subject.adapter.update(request)
      const once = yield* readOrFail(subject.adapter, id)
      expect(once.fields[field]).toEqual(values[0])
      if (initial.version !== undefined) expect(once.version).not.toBe(initial.version)
      const again = yield* subject.adapter.update(request)
      const twice = yield* readOrFail(subject.adapter, id)
      expect(twice.fields[field]).toEqual(values[0])
      expect(twice.version).toBe(once.version)
      // a side that gives versions gives the one its reads show after the write (what compensateCreate is told)
      for (const [answer, after] of [
        [first, once],
        [again, twice]
      ] as const)
        if (answer.version !== undefined)
          expect(
            answer.version,
            `update answered version ${answer.version} for record ${id}: it must be the version read then shows`
          ).toBe(after.version)
    })
  )

  register("update fails with StaleError when a person changed the field since it was read", (subject) =>
    Effect.gen(function* () {
      const { field, values } = subject.update
      const id = yield* createSample(subject, 8)
      const read = yield* readOrFail(subject.adapter, id)
      yield* subject.editOutOfBand(id, { [field]: values[1] })
      const error = yield* Effect.flip(
        subject.adapter.update({
          key: key("update:8"),
          id,
          changes: { [field]: values[0] },
          expected: { [field]: read.fields[field] ?? null }
        })
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
      yield* subject.adapter.update({
        key: key("update:9"),
        id,
        changes: { [field]: values[0] },
        expected: { [field]: read.fields[field] ?? null }
      })
      const after = yield* readOrFail(subject.adapter, id)
      expect(after.fields[field]).toEqual(values[0])
      expect(after.version).toBe(edited.version)
    })
  )

  register("update reports what it overwrote as stored, and an update asStored puts exactly that back", (subject) =>
    Effect.gen(function* () {
      const { field, values } = subject.update
      const entered = subject.update.stored ?? values[1]
      const id = yield* createSample(subject, 16)
      yield* subject.editOutOfBand(id, { [field]: entered })
      const edited = yield* readOrFail(subject.adapter, id)
      const request = {
        key: key("update:16"),
        id,
        changes: { [field]: values[0] },
        expected: { [field]: edited.fields[field] ?? null }
      }
      const first = yield* subject.adapter.update(request)
      expect(first.overwritten, "the value replaced, as the person entered it").toEqual({ [field]: entered })
      expect((yield* subject.adapter.update(request)).overwritten, "nothing replaced by a repeat").toEqual({})
      const back = {
        key: key("rollback:update:16"),
        id,
        changes: first.overwritten,
        expected: { [field]: values[0] },
        asStored: true
      }
      yield* subject.adapter.update(back)
      const restored = yield* readOrFail(subject.adapter, id)
      expect(restored.fields[field] ?? null).toEqual(edited.fields[field] ?? null)
      expect((yield* subject.adapter.update(back)).overwritten, "nothing replaced by a repeat").toEqual({})
      expect((yield* readOrFail(subject.adapter, id)).version).toBe(restored.version)
      // Written again, it replaces exactly what the person had entered: the value went back as stored.
      const again = yield* subject.adapter.update({ ...request, key: key("update:16:again") })
      expect(again.overwritten).toEqual({ [field]: entered })
    })
  )

  if (options.incremental ?? true) {
    register("a since listing returns the records changed after the checkpoint", (subject) =>
      Effect.gen(function* () {
        const { field, values } = subject.update
        const changed = yield* createSample(subject, 10)
        const untouched = yield* createSample(subject, 11)
        const checkpoint = (yield* listAll(subject.adapter))
          .flatMap((e) => (e.checkpoint === undefined ? [] : [e.checkpoint]))
          .at(-1)
        expect(checkpoint, "an incremental adapter gives checkpoints").toBeDefined()
        const read = yield* readOrFail(subject.adapter, changed)
        yield* subject.adapter.update({
          key: key("update:10"),
          id: changed,
          changes: { [field]: values[0] },
          expected: { [field]: read.fields[field] ?? null }
        })
        const since = (yield* listAll(subject.adapter, Option.fromNullable(checkpoint))).map((e) => e.id)
        expect(since).toContain(changed)
        if (options.exactSince) expect(since).not.toContain(untouched)
      })
    )
  }

  register("what acknowledge writes to show a link is returned, written once, and taken back by update", (subject) =>
    Effect.gen(function* () {
      const id = yield* createSample(subject, 15)
      const linked: RecordOutcome = {
        id,
        status: "synced",
        action: "link",
        reason: Option.none(),
        linkedId: Option.some(sourceOf(65))
      }
      const shown = yield* subject.adapter.acknowledge([linked])
      const shownRecord = yield* readOrFail(subject.adapter, id)
      for (const link of shown) {
        expect([link.id, link.linkedId]).toEqual([id, sourceOf(65)])
        for (const [field, value] of Object.entries(link.written))
          expect(shownRecord.fields[field] ?? null).toEqual(value)
      }
      expect(yield* subject.adapter.acknowledge([linked]), "told again, it writes nothing").toEqual([])
      for (const link of shown) {
        yield* subject.adapter.update({ key: key("unshow:15"), id, changes: link.before, expected: link.written })
        const back = yield* readOrFail(subject.adapter, id)
        for (const [field, value] of Object.entries(link.before)) expect(back.fields[field] ?? null).toEqual(value)
      }
      const unlinked: RecordOutcome = { ...linked, status: "skipped", action: "none", linkedId: Option.none() }
      expect(yield* subject.adapter.acknowledge([unlinked, { ...unlinked, id: subject.missingId }])).toEqual([])
    })
  )
}
