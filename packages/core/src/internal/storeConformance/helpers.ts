import { expect } from "@effect/vitest"
import type { Scope } from "effect"
import { Cause, Effect, Exit, Option } from "effect"
import { IdempotencyKey, LinkState, RecordId, RunId } from "../../Domain.js"
import { Action, Create, Update } from "../../Plan.js"
import type { StartRun, SyncStoreService } from "../../SyncStore.js"
import type { StoreDatabase } from "../../testing.js"

/** Registers one store conformance test, run against a fresh database. */
export type Register = (
  title: string,
  body: (database: StoreDatabase) => Effect.Effect<void, unknown, Scope.Scope>
) => void

export const key = (value: string) => IdempotencyKey.make(value)
export const id = (value: string) => RecordId.make(value)
export const sync: StartRun = { kind: "sync", direction: "both", dryRun: false, full: false }

export const update = (k: string, side: "left" | "right" = "right") =>
  new Update({
    key: key(k),
    side,
    id: id("r1"),
    otherId: id("l1"),
    changes: { mobile: "13800138000" },
    before: { mobile: null },
    canonicalFields: ["mobile"]
  })

export const create = (k: string) =>
  new Create({ key: key(k), side: "right", sourceId: id("l2"), fields: { name: "张三" }, canonical: { name: "张三" } })

export const action = (k: string, target = "r1") =>
  new Action({ key: key(k), side: "right", target: { _tag: "Id", id: id(target) }, kind: "followUp", payload: {} })

export const link = (left: string, right: string, name = "a") =>
  new LinkState({ leftId: id(left), rightId: id(right), left: { name }, right: { name }, leftVersion: "v1" })

/** A run id no store gave out: numeric, since stores that number their runs would refuse another form earlier. */
export const unknownRun = RunId.make("999999")

/** The effect fails with an error of `tag` (not a defect), which is returned for further checks. */
export const failsWith = <A, E>(tag: string, effect: Effect.Effect<A, E>) =>
  Effect.map(Effect.exit(effect), (exit) => {
    expect(Exit.isFailure(exit), `expected a failure with ${tag}, got a success`).toBe(true)
    const error = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : Option.none()
    const found = Option.getOrUndefined(error) as { readonly _tag?: string; readonly message?: string } | undefined
    expect(found?._tag, Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toBe(tag)
    return found as { readonly _tag: string; readonly message: string; readonly holder?: string }
  })

/** Everything a store answers about one pair, in comparable form: what "changed nothing" is checked against. */
export const snapshot = (store: SyncStoreService, ids: ReadonlyArray<RecordId>, checkpoints: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const runs = yield* store.runs(1_000)
    const operations = yield* Effect.forEach(runs, (run) => store.operations(run.id))
    const outcomes = yield* Effect.forEach(runs, (run) => store.outcomes(run.id))
    return {
      links: yield* store.links,
      runs,
      operations,
      outcomes,
      unfinished: yield* store.unfinished,
      settled: [...(yield* store.settledKeys)].sort(),
      parked: yield* store.parkedActions,
      conflicts: yield* store.openConflicts,
      acknowledged: [...(yield* store.acknowledged("left", ids))],
      untold: yield* store.untold,
      shown: [...(yield* store.shownLinks("left", ids))],
      checkpoints: yield* Effect.forEach(checkpoints, store.checkpoint)
    }
  })
