import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Cause, Effect, Exit } from "effect"
import type { SyncStoreService } from "../src/SyncStore.js"
import { storeConformanceChecks } from "../src/testing.js"

/** A fresh SQLite file per check, each instance over it with some members replaced by broken ones. */
const database = (breakIt: (store: SyncStoreService) => Partial<SyncStoreService>) =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "tongbu-broken-store-"))),
      (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
    ),
    (dir) => ({
      open: Effect.map(SqliteStore.make({ filename: join(dir, "state.db") }), (store) => ({
        ...store,
        ...breakIt(store)
      }))
    })
  )

/** Runs every check against the broken store: the titles of those that failed, with their messages. */
const failures = (breakIt: (store: SyncStoreService) => Partial<SyncStoreService>) =>
  Effect.forEach(storeConformanceChecks(database(breakIt), { runs: 5 }), (check) =>
    Effect.map(Effect.exit(Effect.scoped(check.run)), (exit) =>
      Exit.isSuccess(exit) ? [] : [{ title: check.title, message: String((Cause.squash(exit.cause) as Error).message) }]
    )
  ).pipe(Effect.map((all) => all.flat()))

// Each test runs the whole suite (the copy checks export and import thousands of rows): longer than vitest's default.
describe("the store conformance suite fails a broken store where it is broken", { timeout: 60_000 }, () => {
  it.effect("a write that ignores the fencing", () =>
    Effect.gen(function* () {
      const failed = yield* failures((store) => ({
        saveCheckpoint: (name, value) =>
          store.saveCheckpoint(name, value).pipe(Effect.catchTag("StoreFenced", () => Effect.void))
      }))
      expect(failed.map((f) => f.title)).toEqual([
        "the epoch fences an instance even when the lease is taken over under the same holder name",
        "releasing the lease ends the instance's fencing and frees the lease for the next holder",
        "a holder whose lease was taken over has every write refused with StoreFenced, changing nothing"
      ])
      expect(failed[2]?.message).toContain("expected a failure with StoreFenced, got a success")
    })
  )

  it.effect("a completion that drops its links", () =>
    Effect.gen(function* () {
      const failed = yield* failures((store) => ({
        complete: (key, result) => store.complete(key, { ...result, links: [] })
      }))
      expect(failed.map((f) => f.title)).toEqual(["complete is idempotent and saves its links in the same transaction"])
      expect(failed[0]?.message).toContain("complete saves the links it produced")
    })
  )

  it.effect("a listing of runs that ignores its limit", () =>
    Effect.gen(function* () {
      const failed = yield* failures((store) => ({ runs: () => store.runs(1_000) }))
      expect(failed.map((f) => f.title)).toEqual(["finishes runs and lists them newest first, up to the limit"])
    })
  )
})
