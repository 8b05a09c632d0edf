import { expect } from "@effect/vitest"
import { Effect, Option } from "effect"
import { LinkState } from "../../Domain.js"
import { StoredConflict } from "../../SyncStore.js"
import type { Register } from "./helpers.js"
import { id, link, sync } from "./helpers.js"

/** Links and baselines, conflicts, checkpoints, what each side was told and shows. */
export const linkTests = (register: Register): void => {
  register("keeps links by either side; a new link replaces any link of either record", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      yield* store.saveLinks([link("l1", "r1"), link("l2", "r2")])
      expect(Option.getOrThrow(yield* store.linkOf("right", id("r1")))).toEqual(link("l1", "r1"))
      expect(Option.getOrThrow(yield* store.linkOf("left", id("l2")))).toEqual(link("l2", "r2"))
      yield* store.saveLinks([link("l1", "r2", "b")])
      expect(yield* store.links).toEqual([link("l1", "r2", "b")])
      yield* store.removeLink(id("l1"), id("r2"))
      expect(yield* store.links).toEqual([])
      expect(Option.isNone(yield* store.linkOf("left", id("l1")))).toBe(true)
    })
  )

  register(
    "keeps a link's baselines and versions as saved, and a later save of the same pair replaces them",
    ({ open }) =>
      Effect.gen(function* () {
        const store = yield* open
        const first = new LinkState({
          leftId: id("l1"),
          rightId: id("r1"),
          left: { name: "张三", age: 3, vip: true, note: null },
          right: { name: "张三", score: 1.5 },
          leftVersion: "1",
          rightVersion: "2"
        })
        yield* store.saveLinks([first])
        expect(yield* store.links).toEqual([first])
        const second = new LinkState({ leftId: id("l1"), rightId: id("r1"), left: { name: "李四" }, right: {} })
        yield* store.saveLinks([second])
        expect(yield* store.links).toEqual([second])
      })
  )

  register(
    "keeps conflicts; resolving one moves the losing side's baseline so the winner is carried across",
    ({ open }) =>
      Effect.gen(function* () {
        const store = yield* open
        const { runId } = yield* store.startRun(sync, [])
        yield* store.saveLinks([
          new LinkState({
            leftId: id("l1"),
            rightId: id("r1"),
            left: { name: "A" },
            right: { name: "A" },
            leftVersion: "1",
            rightVersion: "2"
          })
        ])
        const conflict = new StoredConflict({
          id: "conflict:l1:name",
          runId,
          leftId: id("l1"),
          rightId: id("r1"),
          field: "name",
          left: "B",
          right: "C",
          baseline: { left: "A", right: "A" },
          createdAt: 0
        })
        yield* store.saveConflict(conflict)
        yield* store.saveConflict(conflict)
        expect(yield* store.openConflicts).toEqual([conflict])
        const resolved = yield* store.resolveConflict(conflict.id, "left")
        expect(Option.getOrThrow(resolved).resolution).toBe("left")
        expect(yield* store.openConflicts).toEqual([])
        expect(Option.getOrThrow(yield* store.linkOf("left", id("l1")))).toEqual(
          new LinkState({ leftId: id("l1"), rightId: id("r1"), left: { name: "A" }, right: { name: "C" } })
        )
        expect(Option.isNone(yield* store.resolveConflict("unknown", "right"))).toBe(true)
        // Found again by a later run: the same conflict, reopened with the values seen now.
        yield* store.saveConflict(new StoredConflict({ ...conflict, right: "D" }))
        expect((yield* store.openConflicts).map((c) => [c.id, c.right, c.resolution])).toEqual([
          ["conflict:l1:name", "D", undefined]
        ])
      })
  )

  register("keeps checkpoints and what each side was told", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      expect(Option.isNone(yield* store.checkpoint("left:list"))).toBe(true)
      yield* store.saveCheckpoint("left:list", "1")
      yield* store.saveCheckpoint("left:list", "2")
      expect(yield* store.checkpoint("left:list")).toEqual(Option.some("2"))
      yield* store.saveAcknowledged(
        "left",
        new Map([
          [id("1"), "synced"],
          [id("2"), "failed"]
        ])
      )
      yield* store.saveAcknowledged("left", new Map([[id("2"), "synced"]]))
      const told = yield* store.acknowledged("left", [id("1"), id("2"), id("3")])
      expect([...told].sort()).toEqual([
        ["1", "synced"],
        ["2", "synced"]
      ])
      expect((yield* store.acknowledged("right", [id("1")])).size).toBe(0)
      // A run tells thousands of records at once: more ids than one statement may take.
      const many = new Map(Array.from({ length: 1_200 }, (_, i) => [id(`m${i}`), `d${i}`] as const))
      yield* store.saveAcknowledged("right", many)
      expect((yield* store.acknowledged("right", [...many.keys()])).size).toBe(1_200)
    })
  )

  register(
    "keeps what a side wrote to show a link: the first before-image of the same link, until forgotten",
    ({ open }) =>
      Effect.gen(function* () {
        const store = yield* open
        const shown = (linkedId: string, before: string | null, written: string) => ({
          id: id("5"),
          linkedId: id(linkedId),
          before: { erp_id: before },
          written: { erp_id: written }
        })
        yield* store.saveShown("left", [shown("7", "old", "7")])
        // Shown again (a person had cleared it): what the record held before the link is still "old".
        yield* store.saveShown("left", [
          { ...shown("7", null, "7"), before: { erp_id: null, code: null }, written: { erp_id: "7", code: "WX5" } }
        ])
        expect([...(yield* store.shownLinks("left", [id("5"), id("6")]))]).toEqual([
          [
            "5",
            { id: "5", linkedId: "7", before: { erp_id: "old", code: null }, written: { erp_id: "7", code: "WX5" } }
          ]
        ])
        expect((yield* store.shownLinks("right", [id("5")])).size).toBe(0)
        yield* store.saveShown("left", [shown("8", "7", "8")])
        expect((yield* store.shownLinks("left", [id("5")])).get(id("5"))).toEqual(shown("8", "7", "8"))
        yield* store.forgetShown("left", [id("5")])
        expect((yield* store.shownLinks("left", [id("5")])).size).toBe(0)
      })
  )
}
