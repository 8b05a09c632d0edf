import { expect } from "@effect/vitest"
import { Effect, Option } from "effect"
import type { Register } from "./helpers.js"
import { createSampleWith, key, listAll, readOrFail } from "./helpers.js"

/**
 * Undoing a create: deleted (or withdrawn) while it holds what the sync last wrote, kept once a person changed it. Each
 * request carries the version the sync's last write answered, as the core sends it.
 */
export const compensationTests = (register: Register): void => {
  register("compensateCreate deletes or withdraws as capabilities.canDelete says, and can be repeated", (subject) =>
    Effect.gen(function* () {
      const created = yield* createSampleWith(subject, 12)
      const id = created.id
      const request = {
        id,
        key: key("create:12"),
        written: subject.sampleFields(12),
        version: Option.fromNullable(created.version)
      }
      const first = yield* subject.adapter.compensateCreate(request)
      const again = yield* subject.adapter.compensateCreate(request)
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

  register("compensateCreate deletes a record only the sync changed since it created it", (subject) =>
    Effect.gen(function* () {
      const { field, values } = subject.update
      const { id } = yield* createSampleWith(subject, 13)
      const read = yield* readOrFail(subject.adapter, id)
      const updated = yield* subject.adapter.update({
        key: key("update:13"),
        id,
        changes: { [field]: values[0] },
        expected: { [field]: read.fields[field] ?? null }
      })
      const written = { ...subject.sampleFields(13), [field]: values[0] }
      const result = yield* subject.adapter.compensateCreate({
        id,
        key: key("create:13"),
        written,
        version: Option.fromNullable(updated.version)
      })
      const expected = subject.adapter.capabilities.canDelete ? "Deleted" : "Withdrawn"
      expect(
        result._tag,
        `record ${id} holds just what the sync last wrote (its create, then its update of ${field}): ` +
          `compensateCreate must answer ${expected}, as no person changed it`
      ).toBe(expected)
      if (expected === "Deleted") expect(yield* subject.adapter.read(id)).toEqual(Option.none())
    })
  )

  register("compensateCreate never deletes a record a person changed since it was created", (subject) =>
    Effect.gen(function* () {
      const { field, values } = subject.update
      const created = yield* createSampleWith(subject, 14)
      const id = created.id
      yield* subject.editOutOfBand(id, { [field]: values[1] })
      const request = {
        id,
        key: key("create:14"),
        written: subject.sampleFields(14),
        version: Option.fromNullable(created.version)
      }
      const first = yield* subject.adapter.compensateCreate(request)
      const again = yield* subject.adapter.compensateCreate(request)
      expect(
        first._tag,
        `a person changed ${field} of record ${id} after the sync created it: compensateCreate must keep or withdraw it`
      ).not.toBe("Deleted")
      expect(again._tag).toBe(first._tag)
      if (first._tag !== "Deleted") expect(first.note.trim()).not.toBe("")
      expect(Option.isSome(yield* subject.adapter.read(id))).toBe(true)
    })
  )
}
