import { Command } from "@effect/cli"
import { Effect, Layer } from "effect"
import * as Daemon from "../Daemon.js"
import * as Environment from "../Environment.js"
import { common, handle } from "../Handler.js"
import * as Progress from "../Progress.js"
import { runOnce } from "./Sync.js"

/**
 * `tongbu daemon`: the schedules of sync-rules §7 under the store's lease, with /healthz, /metrics and /runs.
 * Both sides stay open for the daemon's life (e.g. one ERP session, not one per run).
 */
export const daemon = Command.make("daemon", common, (options) =>
  handle(options, (settings, lang, pair) =>
    Layer.build(Environment.sync(pair, settings, { dryRun: false, lang })).pipe(
      Effect.flatMap((context) =>
        Daemon.run(
          settings,
          (job) =>
            runOnce(pair, settings, { direction: job.direction, dryRun: false, full: job.full }, Progress.silent).pipe(
              Effect.provide(context)
            ),
          pair
        ).pipe(Effect.provide(context))
      ),
      Effect.scoped
    )
  )
).pipe(
  Command.withDescription(
    "Run the configured schedules (push hourly, pull nightly, full on Sundays) and serve /healthz, /metrics, /runs until stopped"
  )
)
