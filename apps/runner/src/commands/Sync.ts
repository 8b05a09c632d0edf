import { Command, Options } from "@effect/cli"
import type { LeftAdapter, RightAdapter, SyncStore } from "@tongbu/core"
import { Direction, Sync } from "@tongbu/core"
import type { Pair } from "@tongbu/pair"
import type { Duration } from "effect"
import { Console, Data, Effect, Option } from "effect"
import type { RunnerSettings, Settings } from "../Config.js"
import * as Environment from "../Environment.js"
import { CommandFailed, ExitCode } from "../Exit.js"
import { common, handle, pairOption, show } from "../Handler.js"
import * as Lease from "../Lease.js"
import * as Metrics from "../Metrics.js"
import * as Progress from "../Progress.js"
import { runJson, summary } from "../Report.js"

/** The run completed, but more records failed than `sync.maxFailures` tolerates. */
export class TooManyFailures extends Data.TaggedError("TooManyFailures")<{ readonly message: string }> {}

/** The run stopped before it finished (the report says why). */
export class RunFailed extends Data.TaggedError("RunFailed")<{ readonly message: string }> {}

export interface RunRequest {
  readonly direction: Direction
  readonly dryRun: boolean
  readonly full: boolean
}

/** One run of the pair's policy against the sides in context, its progress reported to `progress`. */
export const runOnce = <S>(
  pair: Pair.Pair<S>,
  settings: Settings<S>,
  request: RunRequest,
  progress: Progress.Progress
): Effect.Effect<Sync.RunReport, Sync.SyncError, LeftAdapter | RightAdapter | SyncStore> =>
  Sync.run(pair.policy(settings), { ...request, maxAttempts: settings.sync.maxAttempts }).pipe(
    Effect.provide(Progress.observe(progress, pair.labels)),
    Effect.ensuring(progress.finish),
    Effect.tap((report) =>
      request.dryRun ? Effect.void : Metrics.recordRun("sync", report.status, report.items, report.warnings)
    )
  )

/** Holds the store's lease around a real run, waiting up to twice its life for a busy one (a crashed holder's expires). */
export const leased = (settings: RunnerSettings) =>
  Lease.withLease({
    ttl: `${settings.state.leaseSeconds} seconds`,
    wait: Option.some<Duration.DurationInput>(`${2 * settings.state.leaseSeconds} seconds`)
  })

const options = {
  ...common,
  pair: pairOption,
  dryRun: Options.boolean("dry-run").pipe(
    Options.withDescription("plan exactly as a real run would, show it, write nothing to either side")
  ),
  direction: Options.choice("direction", Direction).pipe(
    Options.withDescription(
      "push = left → right only (the hub↔ERP pair: hub → ERP), pull = right → left only, both = both ways"
    ),
    Options.withDefault("both" as const)
  ),
  full: Options.boolean("full").pipe(
    Options.withDescription("read every record of both sides, not only what changed since the last run")
  )
}

/** `tongbu sync [--dry-run] [--direction push|pull|both] [--full]`. */
export const sync = Command.make("sync", options, (o) =>
  handle(o, (settings, lang, pair) =>
    Effect.gen(function* () {
      const progress = o.json
        ? Progress.silent
        : yield* Progress.make({ isTTY: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) })
      const run = runOnce(pair, settings, { direction: o.direction, dryRun: o.dryRun, full: o.full }, progress)
      // a dry run writes nothing and needs no lease
      const report = yield* (o.dryRun ? run : leased(settings)(run)).pipe(
        Effect.provide(Environment.sync(pair, settings, { dryRun: o.dryRun, lang }))
      )
      const verdict =
        report.status === "failed"
          ? new RunFailed({
              message: `the run stopped: ${Option.getOrElse(report.error, () => "see the report above")}`
            })
          : report.counts.failed > settings.sync.maxFailures
            ? new TooManyFailures({
                message: `${report.counts.failed} records failed, more than sync.maxFailures (${settings.sync.maxFailures}); see \`tongbu runs show ${Option.getOrElse(report.runId, () => "<run>")}\``
              })
            : undefined
      if (!o.json) {
        yield* Console.log(summary(report, pair.labels, lang))
        if (verdict === undefined) return
        yield* Console.error("")
        return yield* verdict
      }
      // --json: one object, the verdict's exit code and message in it
      const exitCode = verdict === undefined ? ExitCode.ok : show(verdict).exitCode
      const json = runJson(report, pair.labels)
      yield* Console.log(JSON.stringify({ ...json, error: json.error ?? verdict?.message ?? null, exitCode }, null, 2))
      if (verdict !== undefined) return yield* new CommandFailed({ exitCode })
    })
  )
).pipe(Command.withDescription("Run one sync now: plan both sides, write the changes, report per record"))
