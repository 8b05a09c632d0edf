import { Args, Command, Options } from "@effect/cli"
import type { RunId } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import { Effect, Option } from "effect"
import { common, handle, handleAll, NotFound, output, pairOption } from "../Handler.js"
import * as Layers from "../Layers.js"
import { itemJson, itemsTable, runJsonOf, runsTable, summary } from "../Report.js"
import * as State from "../State.js"
import { textsOf } from "../Texts.js"

const limit = Options.integer("limit").pipe(
  Options.withDescription("how many runs to list, newest first"),
  Options.withDefault(20)
)

const runId = Args.text({ name: "run-id" }).pipe(Args.withDescription("the run's id, as `tongbu runs` lists it"))

const show = Command.make("show", { ...common, pair: pairOption, runId }, (options) =>
  handle(options, (settings, lang, pair) =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const id = options.runId as RunId
      const run = yield* store.run(id)
      if (Option.isNone(run))
        return yield* new NotFound({ message: `no run ${id} in ${State.nameOf(settings.state.store)}` })
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

/** `tongbu runs [--limit N] [--pair ID]` and `tongbu runs show <id>`; over several pairs, a column names each run's. */
export const runs = Command.make("runs", { ...common, pair: pairOption, limit }, (options) =>
  handleAll(options, (pairs, lang, listed) =>
    Effect.gen(function* () {
      const lists = yield* Effect.forEach(pairs, (p) =>
        Effect.flatMap(SyncStore, (store) => store.runs(options.limit)).pipe(
          Effect.map((list) => list.map((run) => ({ pair: p.id, run }))),
          Effect.provide(Layers.store(p.settings))
        )
      )
      const list = lists
        .flat()
        .sort((a, b) => b.run.startedAt - a.run.startedAt)
        .slice(0, options.limit)
      yield* output(
        options,
        () => ({ runs: list.map(({ pair, run }) => (listed ? { pair, ...runJsonOf(run) } : runJsonOf(run))) }),
        () =>
          runsTable(
            list.map((r) => r.run),
            lang,
            pairs.length > 1 ? list.map((r) => r.pair) : undefined
          )
      )
    })
  )
).pipe(
  Command.withDescription("The run history, newest first (every pair's, or --pair's)"),
  Command.withSubcommands([show])
)
