import { Command } from "@effect/cli"
import type { FileSystem, Path } from "@effect/platform"
import type { LeftAdapter, RightAdapter } from "@tongbu/core"
import { Effect, Either, Layer } from "effect"
import * as Daemon from "../Daemon.js"
import { common, configuration, guard, logging } from "../Handler.js"
import * as Lang from "../Lang.js"
import * as Layers from "../Layers.js"
import * as Progress from "../Progress.js"
import * as Reasons from "../Reasons.js"
import * as SharedRegistry from "../SharedRegistry.js"
import * as StateDatabases from "../StateDatabases.js"
import { runOnce } from "./Sync.js"

/**
 * `tongbu daemon`: every pair's schedules of sync-rules §7, each run under its pair's lease, with /healthz, /metrics
 * and /runs. A pair's sides stay open for the daemon's life (e.g. one ERP session, not one per run), and pairs on one
 * ERP account share its client (see `SharedRegistry`).
 */
export const daemon = Command.make("daemon", common, (options) =>
  guard(
    options,
    Effect.gen(function* () {
      const found = yield* configuration(options)
      const lang = yield* Lang.resolve(options.lang)
      const shared = yield* SharedRegistry.make
      // every pair on one PostgreSQL database uses one pool for the daemon's life
      const databases = Layer.succeed(StateDatabases.StateDatabases, yield* StateDatabases.make)
      const pairs = found.pairs.map(
        (entry): Daemon.DaemonPair<LeftAdapter | RightAdapter, FileSystem.FileSystem | Path.Path> => ({
          id: entry.id,
          settings: entry.settings,
          metrics: entry.pair.metrics,
          labels: entry.pair.labels,
          store: Either.match(entry.settings, {
            onLeft: Layer.fail,
            onRight: (settings) => Layers.store(settings).pipe(Layer.provide(databases))
          }),
          sides: Either.match(entry.settings, {
            onLeft: Layer.fail,
            onRight: (settings) =>
              entry.pair.layer(settings, {
                dryRun: false,
                lang,
                word: (reason, lang) => Reasons.render(reason, lang, entry.pair.labels),
                shared
              })
          }),
          runJob: (job) =>
            Either.match(entry.settings, {
              onLeft: Effect.fail,
              onRight: (settings) =>
                runOnce(
                  entry.pair,
                  settings,
                  { direction: job.direction, dryRun: false, full: job.full },
                  Progress.silent
                )
            })
        })
      )
      return yield* Daemon.run<LeftAdapter | RightAdapter, FileSystem.FileSystem | Path.Path>(found, pairs).pipe(
        Effect.provide(logging(found))
      )
    }).pipe(Effect.scoped)
  )
).pipe(
  Command.withDescription(
    "Run every pair's schedules (push hourly, pull nightly, full on Sundays), each pair under its lease, and serve /healthz, /metrics, /runs until stopped"
  )
)
