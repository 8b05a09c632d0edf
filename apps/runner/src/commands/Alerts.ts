import { Command } from "@effect/cli"
import { Effect } from "effect"
import * as Alerts from "../Alerts.js"
import { common, handle, output } from "../Handler.js"
import { table } from "../internal/text.js"
import * as Layers from "../Layers.js"
import { textsOf, word } from "../Texts.js"

/** `tongbu alerts`: the monitoring rules of sync-rules §9, evaluated now over the run history. */
export const alerts = Command.make("alerts", common, (options) =>
  handle(options, (settings, lang) =>
    Effect.gen(function* () {
      const evaluated = yield* Alerts.current(settings.alerts)
      yield* output(
        options,
        () => ({ alerts: evaluated }),
        () => {
          const t = textsOf(lang)
          return table(
            [
              t.alertHeader,
              ...evaluated.map((a) => [
                word(t, a.rule),
                word(t, a.severity),
                a.firing ? t.firing : t.ok,
                Alerts.detail(a, lang)
              ])
            ],
            { header: true }
          )
        }
      )
    }).pipe(Effect.provide(Layers.store(settings)))
  )
).pipe(
  Command.withDescription("Evaluate the monitoring rules now (success rate, failures, time since the last good run)")
)
