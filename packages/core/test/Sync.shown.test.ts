import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Ref, Stream } from "effect"
import type { SyncAdapter } from "../src/Adapter.js"
import type { Fields } from "../src/Domain.js"
import { ListEntry, writtenVersion } from "../src/Domain.js"
import type { InMemoryAdapter } from "../src/InMemoryAdapter.js"
import * as Sync from "../src/Sync.js"
import type { World } from "./harness.js"
import { id, policy, record, withTime, world } from "./harness.js"

const sync = (w: World, sides: Partial<Record<"left" | "right", SyncAdapter>>, full = false) =>
  withTime(w.provide(Sync.run(policy, { direction: "both", dryRun: false, full }), sides))

/**
 * Like the ERP: list rows carry an id, a version and the fields the row shows (name and mobile, not the rest), never
 * the record; reads are counted by id.
 */
const showing = (adapter: InMemoryAdapter, reads: Ref.Ref<ReadonlyArray<string>>): SyncAdapter => ({
  ...adapter,
  list: (request) =>
    Stream.map(adapter.list(request), (entry) => {
      const fields: Fields = entry.record?.fields ?? {}
      return new ListEntry({
        id: entry.id,
        version: `list-${entry.version}`,
        shown: { name: fields.name ?? null, mobile: fields.mobile ?? null },
        checkpoint: entry.checkpoint
      })
    }),
  read: (recordId) =>
    Effect.zipRight(
      Ref.update(reads, (ids) => [...ids, recordId]),
      adapter.read(recordId)
    )
})

const seeded = () =>
  world({
    left: { records: [record("1", { name: "张三", mobile: "13800000001", wechat: "zs", note: null })] },
    right: {
      unique: ["mobile"],
      records: [record("900", { code: "ERP-900", name: "王五", mobile: "13800000009", wechat: null, note: "vip" })]
    }
  })

describe("Sync.run with listings that show fields", () => {
  it.scoped("does not read again a record it created or updated while its listing shows what was written", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const reads = yield* Ref.make<ReadonlyArray<string>>([])
      const sides = { right: showing(w.right, reads) }
      const first = yield* sync(w, sides)
      expect(first.counts).toMatchObject({ created: 2, failed: 0 })
      const created = (yield* w.store.links).find((link) => link.leftId === "1")!
      expect(created.rightVersion).toBe(writtenVersion)

      yield* Ref.set(reads, [])
      yield* sync(w, sides)
      expect(yield* Ref.get(reads)).toEqual([])
      const after = (yield* w.store.links).find((link) => link.leftId === "1")!
      expect(after.rightVersion?.startsWith("list-")).toBe(true)

      // an update the sync makes is not read back either
      yield* w.left.edit(id("1"), { name: "张三丰" })
      yield* sync(w, sides)
      expect(Option.getOrThrow(yield* w.right.get(created.rightId)).fields.name).toBe("张三丰")
      yield* Ref.set(reads, [])
      const quiet = yield* sync(w, sides)
      expect(yield* Ref.get(reads)).toEqual([])
      expect(quiet.counts).toMatchObject({ updated: 0, created: 0 })
    })
  )

  it.scoped("reads a written record whose listing shows another value, and carries the change across", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const reads = yield* Ref.make<ReadonlyArray<string>>([])
      const sides = { right: showing(w.right, reads) }
      yield* sync(w, sides)
      const created = (yield* w.store.links).find((link) => link.leftId === "1")!
      yield* w.right.edit(created.rightId, { mobile: "13900000001" })
      yield* Ref.set(reads, [])
      yield* sync(w, sides)
      expect(yield* Ref.get(reads)).toEqual([created.rightId])
      expect(Option.getOrThrow(yield* w.left.get(id("1"))).fields.mobile).toBe("13900000001")
    })
  )

  it.scoped("a full run reads every record, written or not", () =>
    Effect.gen(function* () {
      const w = yield* seeded()
      const reads = yield* Ref.make<ReadonlyArray<string>>([])
      const sides = { right: showing(w.right, reads) }
      yield* sync(w, sides)
      yield* Ref.set(reads, [])
      yield* sync(w, sides, true)
      expect([...(yield* Ref.get(reads))].sort()).toEqual((yield* w.store.links).map((l) => l.rightId).sort())
    })
  )
})
