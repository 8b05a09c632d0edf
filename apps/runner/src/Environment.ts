import type { Pair } from "@tongbu/pair"
import { Layer } from "effect"
import type { Settings } from "./Config.js"
import type { Lang } from "./Lang.js"
import * as Layers from "./Layers.js"
import * as Reasons from "./Reasons.js"

/** The pair's two sides and the store: what a sync or a rollback runs against. */
export const sync = <S>(
  pair: Pair.Pair<S>,
  settings: Settings<S>,
  options: { readonly dryRun: boolean; readonly lang: Lang }
) =>
  Layer.merge(
    pair.layer(settings, { ...options, word: (reason, lang) => Reasons.render(reason, lang, pair.labels) }),
    Layers.store(settings)
  )
