import { Args, Command, Options } from "@effect/cli"
import type { RunId } from "@tongbu/core"
import { Rollback } from "@tongbu/core"
import type { Pair } from "@tongbu/pair"
import { Console, Data, Effect, Option } from "effect"
import * as Environment from "../Environment.js"
import { CommandFailed, ExitCode } from "../Exit.js"
import { common, handle, output, pairOption, show } from "../Handler.js"
import type { Lang } from "../Lang.js"
import * as Metrics from "../Metrics.js"
import { itemJson, itemsTable } from "../Report.js"
import { textsOf, word } from "../Texts.js"
import { leased } from "./Sync.js"

/** The rollback stopped before it finished; what it did is in its report. */
export class RollbackFailed extends Data.TaggedError("RollbackFailed")<{ readonly message: string }> {}

const reportJson = (report: Rollback.RollbackReport, labels: Pair.Labels) => ({
  runId: Option.getOrNull(report.runId),
  target: report.target,
  status: report.status,
  dryRun: report.dryRun,
  counts: report.counts,
  error: Option.getOrNull(report.error),
  items: report.items.map(itemJson(labels))
})

const notRestored = (report: Rollback.RollbackReport) => report.items.filter((item) => item.outcome !== "rolledBack")

const reportText = (report: Rollback.RollbackReport, labels: Pair.Labels, lang: Lang) => {
  const t = textsOf(lang)
  const undone = report.items.filter((item) => item.outcome === "rolledBack").length
  const kept = notRestored(report).length
  const id = Option.getOrElse(report.runId, () => "")
  const title = report.dryRun
    ? t.rollbackPreview(report.target, undone, kept)
    : t.rollbackDone(id, report.target, word(t, report.status), undone, kept)
  return [
    title,
    "",
    itemsTable(report.items, labels, lang),
    ...Option.match(report.error, { onNone: () => [], onSome: (e) => ["", `${t.stopped}: ${e}`] })
  ].join("\n")
}

const runId = Args.text({ name: "run-id" }).pipe(
  Args.withDescription("the sync run to roll back, as `tongbu runs` lists it")
)
const dryRun = Options.boolean("dry-run").pipe(
  Options.withDescription("only show what would be undone and what cannot be")
)

/** `tongbu rollback <run-id> [--dry-run]`: shows the rollback, then (without --dry-run) performs it. */
export const rollback = Command.make("rollback", { ...common, pair: pairOption, runId, dryRun }, (o) =>
  handle(o, (settings, lang, pair) =>
    Effect.gen(function* () {
      const target = o.runId as RunId
      const preview = yield* Rollback.run(target, { dryRun: true })
      if (o.dryRun)
        return yield* output(
          o,
          () => reportJson(preview, pair.labels),
          () => reportText(preview, pair.labels, lang)
        )
      if (!o.json)
        yield* output(
          o,
          () => null,
          () => `${reportText(preview, pair.labels, lang)}\n\n${textsOf(lang).performing}\n`
        )
      const report = yield* leased(settings)(Rollback.run(target, { dryRun: false }))
      yield* Metrics.recordRun("rollback", report.status, report.items)
      const failed =
        report.status === "failed"
          ? new RollbackFailed({
              message: `the rollback stopped: ${Option.getOrElse(report.error, () => "see above")}; run it again to finish`
            })
          : undefined
      if (!o.json) {
        yield* Console.log(reportText(report, pair.labels, lang))
        if (failed !== undefined) return yield* failed
        return
      }
      // --json: one object, the exit code and why in it
      const exitCode = failed === undefined ? ExitCode.ok : show(failed).exitCode
      yield* Console.log(
        JSON.stringify({ ...reportJson(report, pair.labels), error: failed?.message ?? null, exitCode }, null, 2)
      )
      if (failed !== undefined) return yield* new CommandFailed({ exitCode })
    }).pipe(Effect.provide(Environment.sync(pair, settings, { dryRun: false, lang })))
  )
).pipe(
  Command.withDescription(
    "Undo a sync run: restore what it changed where nobody changed it since, report what cannot be restored"
  )
)
