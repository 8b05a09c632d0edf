import type { Pair } from "@tongbu/pair"
import { Layer } from "effect"
import type { Settings } from "./Config.js"
import * as Layers from "./Layers.js"

/** The pair's two sides and the store: what a sync or a rollback runs against. */
export const sync = <S>(
  pair: Pair.Pair<S>,
  settings: Settings<S>,
  options: { readonly dryRun: boolean } = { dryRun: false }
) => Layer.merge(pair.layer(settings, options), Layers.store(settings))
