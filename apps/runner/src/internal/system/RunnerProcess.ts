/**
 * One runner process for a pair's world: `tongbu sync` and `tongbu rollback` as the runner runs them (the lease, the
 * pair's policy, max attempts), over the pair's layers and the state store, each call building them fresh the way a
 * new process does. A world runs these on its virtual clock (`drive`).
 */
import { NodeContext } from "@effect/platform-node"
import type { LeftAdapter, RightAdapter, RunId, SyncStore } from "@tongbu/core"
import { Rollback } from "@tongbu/core"
import type { Pair } from "@tongbu/pair"
import { Effect } from "effect"
import type { Settings } from "../../Config.js"
import { leased, runOnce } from "../../commands/Sync.js"
import * as Environment from "../../Environment.js"
import * as Progress from "../../Progress.js"

/** The pair's sides and the store, provided to `effect`; `around` may wrap it first (a side's calls, say). */
export const inProcess = <S, A, E>(
  pair: Pair.Pair<S>,
  settings: Settings<S>,
  effect: Effect.Effect<A, E, LeftAdapter | RightAdapter | SyncStore>,
  dryRun = false
) =>
  effect.pipe(
    Effect.provide(Environment.sync(pair, settings, { dryRun, lang: "en" })),
    Effect.provide(NodeContext.layer)
  )

/** `tongbu sync [--full]`: one leased run of the pair's policy. */
export const sync = <S>(pair: Pair.Pair<S>, settings: Settings<S>, options: { readonly full: boolean }) =>
  leased(settings)(runOnce(pair, settings, { direction: "both", dryRun: false, full: options.full }, Progress.silent))

/** `tongbu rollback <run>`. */
export const rollback = <S>(settings: Settings<S>, target: RunId) =>
  leased(settings)(Rollback.run(target, { dryRun: false }))
