import { Command } from "@effect/cli"
import { Effect } from "effect"
import * as Alerts from "../Alerts.js"
import { common, handleAll, output, pairOption } from "../Handler.js"
import { table, withPairs } from "../internal/text.js"
import * as Layers from "../Layers.js"
import { textsOf, word } from "../Texts.js"

/** `tongbu alerts`: the monitoring rules of sync-rules §9, evaluated now over the run history of each pair (or of `--pair`). */
export const alerts = Command.make("alerts", { ...common, pair: pairOption }, (options) =>
  handleAll(options, (pairs, lang, listed) =>
    Effect.gen(function* () {
      const evaluated = yield* Effect.forEach(pairs, (p) =>
        Alerts.current(p.settings.alerts).pipe(
          Effect.map((list) => list.map((alert) => ({ pair: p.id, alert }))),
          Effect.provide(Layers.store(p.settings))
        )
      ).pipe(Effect.map((lists) => lists.flat()))
      yield* output(
        options,
        () => ({ alerts: evaluated.map(({ pair, alert }) => (listed ? { pair, ...alert } : alert)) }),
        () => {
          const t = textsOf(lang)
          return table(
            withPairs(
              [
                t.alertHeader,
                ...evaluated.map(({ alert: a }) => [
                  word(t, a.rule),
                  word(t, a.severity),
                  a.firing ? t.firing : t.ok,
                  Alerts.detail(a, lang)
                ])
              ],
              pairs.length > 1 ? evaluated.map((e) => e.pair) : undefined,
              lang
            ),
            { header: true }
          )
        }
      )
    })
  )
).pipe(
  Command.withDescription("Evaluate the monitoring rules now (success rate, failures, time since the last good run)")
)
