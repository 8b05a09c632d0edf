import { expect } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { LinkState } from "../../Domain.js"
import type { Register } from "./helpers.js"
import { failsWith, id, link } from "./helpers.js"

/** The lease (one holder at a time, expiry, renewal, release) and the fencing of a holder that lost it. */
export const leaseTests = (register: Register): void => {
  register("gives the lease to one holder at a time, until it expires or is released", ({ open }) =>
    Effect.gen(function* () {
      const store = yield* open
      expect(yield* store.acquireLease("a", 1_000)).toBe(true)
      expect(yield* store.acquireLease("b", 1_000)).toBe(false)
      yield* TestClock.adjust(600)
      expect(yield* store.acquireLease("a", 1_000)).toBe(true)
      yield* TestClock.adjust(600)
      expect(yield* store.acquireLease("b", 1_000)).toBe(false)
      yield* TestClock.adjust(500)
      expect(yield* store.acquireLease("b", 1_000)).toBe(true)
      yield* store.releaseLease("a")
      expect(yield* store.acquireLease("a", 1_000)).toBe(false)
      yield* store.releaseLease("b")
      expect(yield* store.acquireLease("a", 1_000)).toBe(true)
    })
  )

  register("two instances over one database share the lease: busy, then taken over once expired", ({ open }) =>
    Effect.gen(function* () {
      const first = yield* open
      const second = yield* open
      expect(yield* first.acquireLease("a", 1_000)).toBe(true)
      expect(yield* second.acquireLease("b", 1_000)).toBe(false)
      yield* TestClock.adjust(999)
      expect(yield* second.acquireLease("b", 1_000)).toBe(false)
      yield* TestClock.adjust(1)
      expect(yield* second.acquireLease("b", 1_000)).toBe(true)
      expect(yield* first.acquireLease("a", 1_000)).toBe(false)
      yield* second.releaseLease("b")
      expect(yield* first.acquireLease("a", 1_000)).toBe(true)
    })
  )

  register("the epoch fences an instance even when the lease is taken over under the same holder name", ({ open }) =>
    Effect.gen(function* () {
      const first = yield* open
      const second = yield* open
      expect(yield* first.acquireLease("a", 1_000)).toBe(true)
      // Renewing one's own live lease keeps the epoch: both instances may write.
      expect(yield* second.acquireLease("a", 1_000)).toBe(true)
      yield* first.saveCheckpoint("c", "1")
      yield* second.saveCheckpoint("c", "2")
      yield* TestClock.adjust(1_500)
      // Expired: taking it again raises the epoch, though the holder is the same.
      expect(yield* second.acquireLease("a", 1_000)).toBe(true)
      yield* failsWith("StoreFenced", first.saveCheckpoint("c", "3"))
      yield* second.saveCheckpoint("c", "4")
      expect(yield* second.checkpoint("c")).toEqual(Option.some("4"))
    })
  )

  register("a holder renewing in time keeps writing; an instance that never took the lease is not fenced", ({ open }) =>
    Effect.gen(function* () {
      const holder = yield* open
      const oneOff = yield* open
      expect(yield* holder.acquireLease("a", 1_000)).toBe(true)
      for (let i = 0; i < 5; i++) {
        yield* TestClock.adjust(600)
        expect(yield* holder.acquireLease("a", 1_000)).toBe(true)
        yield* holder.saveLinks([link(`l${i}`, `r${i}`)])
      }
      yield* oneOff.saveLinks([
        new LinkState({ leftId: id("lx"), rightId: id("rx"), left: { name: "x" }, right: { name: "x" } })
      ])
      expect((yield* holder.links).length).toBe(6)
    })
  )

  register("releasing the lease ends the instance's fencing and frees the lease for the next holder", ({ open }) =>
    Effect.gen(function* () {
      const first = yield* open
      const second = yield* open
      expect(yield* first.acquireLease("a", 1_000)).toBe(true)
      yield* TestClock.adjust(1_500)
      expect(yield* second.acquireLease("b", 1_000)).toBe(true)
      yield* failsWith("StoreFenced", first.saveCheckpoint("c", "1"))
      // Releasing what it no longer holds leaves the new holder's lease alone.
      yield* first.releaseLease("a")
      expect(yield* first.acquireLease("a", 1_000)).toBe(false)
      yield* first.saveCheckpoint("c", "1")
      yield* second.releaseLease("b")
      expect(yield* first.acquireLease("a", 1_000)).toBe(true)
      yield* first.saveCheckpoint("c", "2")
      expect(yield* second.checkpoint("c")).toEqual(Option.some("2"))
    })
  )
}
