import { Args, Command, Options } from "@effect/cli"
import type { RunId } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import { Effect, Option } from "effect"
import { common, handle, NotFound, output } from "../Handler.js"
import * as Layers from "../Layers.js"
import { itemJson, itemsTable, runJsonOf, runsTable, summary } from "../Report.js"
import { textsOf } from "../Texts.js"

const limit = Options.integer("limit").pipe(
  Options.withDescription("how many runs to list, newest first"),
  Options.withDefault(20)
)

const runId = Args.text({ name: "run-id" }).pipe(Args.withDescription("the run's id, as `tongbu runs` lists it"))

const show = Command.make("show", { ...common, runId }, (options) =>
  handle(options, (settings, lang, pair) =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const id = options.runId as RunId
      const run = yield* store.run(id)
      if (Option.isNone(run)) return yield* new NotFound({ message: `no run ${id} in ${settings.state.database}` })
      const items = yield* store.outcomes(id)
      yield* output(
        options,
        () => ({ ...runJsonOf(run.value), items: items.map(itemJson(pair.labels)) }),
        () =>
          [
            summary(
              {
                runId: Option.some(id),
                status: run.value.status,
                dryRun: run.value.dryRun,
                counts: run.value.counts,
                items,
                warnings: run.value.warnings
              },
              pair.labels,
              lang
            ),
            ...(run.value.error === undefined ? [] : ["", `${textsOf(lang).error}: ${run.value.error}`]),
            "",
            itemsTable(items, pair.labels, lang)
          ].join("\n")
      )
    }).pipe(Effect.provide(Layers.store(settings)))
  )
).pipe(Command.withDescription("One run's counts and per-record outcomes, with reasons"))

/** `tongbu runs [--limit N]` and `tongbu runs show <id>`. */
export const runs = Command.make("runs", { ...common, limit }, (options) =>
  handle(options, (settings, lang) =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const list = yield* store.runs(options.limit)
      yield* output(
        options,
        () => ({ runs: list.map(runJsonOf) }),
        () => runsTable(list, lang)
      )
    }).pipe(Effect.provide(Layers.store(settings)))
  )
).pipe(Command.withDescription("The run history, newest first"), Command.withSubcommands([show]))
