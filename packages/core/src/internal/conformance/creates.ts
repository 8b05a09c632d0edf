import { expect } from "@effect/vitest"
import { Effect, Exit, Option, Ref } from "effect"
import type { RecordId } from "../../Domain.js"
import type { ConformanceOptions } from "../../testing.js"
import type { Register } from "./helpers.js"
import { createSample, key, listAll, project, readOrFail, sourceOf, versionOf } from "./helpers.js"

/** Listing, creating, and finding a create again after a crash. */
export const createTests = (register: Register, options: ConformanceOptions): void => {
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

  register("create then read returns the fields; list, read and the create's answer agree on the version", (subject) =>
    Effect.gen(function* () {
      const sample = subject.sampleFields(1)
      const { id, version } = yield* subject.adapter.create({
        key: key("create:1"),
        sourceId: sourceOf(1),
        fields: sample,
        reserve: () => Effect.void
      })
      const record = yield* readOrFail(subject.adapter, id)
      expect(record.id).toBe(id)
      expect(project(subject, sample, record.fields)).toEqual(project(subject, sample, sample))
      const entry = (yield* listAll(subject.adapter)).find((e) => e.id === id)
      expect(entry, "the created record is listed").toBeDefined()
      if (entry) expect(versionOf(entry)).toBe(record.version)
      if (version !== undefined)
        expect(
          version,
          `create answered version ${version} for record ${id}: it must be the version read and list then show`
        ).toBe(record.version)
    })
  )

  register("findCreated finds a landed create by its request and by provisional id", (subject) =>
    Effect.gen(function* () {
      const sample = subject.sampleFields(2)
      const reserved = yield* Ref.make<ReadonlyArray<string>>([])
      const { id } = yield* subject.adapter.create({
        key: key("create:2"),
        sourceId: sourceOf(2),
        fields: sample,
        reserve: (provisionalId) => Ref.update(reserved, (all) => [...all, provisionalId])
      })
      const provisional = yield* Ref.get(reserved)
      expect(provisional.length, "reserve is called at most once").toBeLessThanOrEqual(1)
      const provisionalId = Option.fromNullable(provisional[0])
      const found = yield* subject.adapter.findCreated({
        key: key("create:2"),
        sourceId: sourceOf(2),
        fields: sample,
        provisionalId
      })
      expect(found).toEqual(Option.some(id))
      if (Option.isSome(provisionalId)) {
        const byProvisional = yield* subject.adapter.findCreated({
          key: key("other"),
          sourceId: sourceOf(3),
          fields: subject.sampleFields(3),
          provisionalId
        })
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
          sourceId: sourceOf(4),
          fields: sample,
          reserve: (provisionalId) => Effect.zipRight(Ref.set(reserved, Option.some(provisionalId)), Effect.interrupt)
        })
      )
      const provisionalId = yield* Ref.get(reserved)
      if (Option.isNone(provisionalId)) return expect(Exit.isSuccess(exit)).toBe(true)
      expect(Exit.isInterrupted(exit), "the create stops where reserve stopped").toBe(true)
      expect(
        yield* subject.adapter.findCreated({
          key: key("create:4"),
          sourceId: sourceOf(4),
          fields: sample,
          provisionalId
        })
      ).toEqual(Option.none())
      expect((yield* listAll(subject.adapter)).length).toBe(before)
    })
  )

  register("findCreated returns none for a create that never happened", (subject) =>
    Effect.gen(function* () {
      yield* createSample(subject, 5)
      const found = yield* subject.adapter.findCreated({
        key: key("never"),
        sourceId: sourceOf(6),
        fields: subject.sampleFields(6),
        provisionalId: Option.none()
      })
      expect(found).toEqual(Option.none())
    })
  )
}
