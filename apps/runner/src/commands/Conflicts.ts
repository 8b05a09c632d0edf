import { Args, Command, Options } from "@effect/cli"
import type { FieldValue, StoredConflict } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import { Pair } from "@tongbu/pair"
import { Effect, Option } from "effect"
import { ConfigError } from "../Config.js"
import { common, handle, handleAll, NotFound, output, pairOption } from "../Handler.js"
import { formatTime, table, truncate, withPairs } from "../internal/text.js"
import * as Labels from "../Labels.js"
import type { Lang } from "../Lang.js"
import * as Layers from "../Layers.js"
import { fieldName } from "../Reasons.js"
import { textsOf } from "../Texts.js"

const shown = (value: FieldValue, lang: Lang = "en") =>
  value === null ? textsOf(lang).empty : truncate(String(value), 40)

/**
 * A parked conflict as machines read it: each side's id and value under `left…` / `right…` and under the names of the
 * pair's labels (`hubId`, `erp`, …: `Labels.keyed`); `resolution` names the side taken as `--take` does.
 */
export const conflictJson = (labels: Pair.Labels) => (c: StoredConflict) => ({
  id: c.id,
  runId: c.runId,
  ...Labels.keyed(labels, "Id", c.leftId, c.rightId),
  field: c.field,
  ...Labels.keyed(labels, "", c.left, c.right),
  baseline: Labels.keyed(labels, "", c.baseline.left, c.baseline.right),
  resolution: c.resolution === undefined ? null : Labels.sideName(labels, c.resolution),
  createdAt: new Date(c.createdAt).toISOString()
})

const conflictsTable = (
  list: ReadonlyArray<StoredConflict>,
  labels: Pair.Labels,
  lang: Lang,
  pairs?: ReadonlyArray<string>
) => {
  const t = textsOf(lang)
  return list.length === 0
    ? t.noConflicts
    : table(
        withPairs(
          [
            t.conflictHeader(Pair.labelsIn(labels, lang)),
            ...list.map((c) => [
              c.id,
              c.leftId,
              c.rightId,
              lang === "zh" ? fieldName(c.field) : c.field,
              shown(c.left, lang),
              shown(c.right, lang),
              `${shown(c.baseline.left, lang)} / ${shown(c.baseline.right, lang)}`,
              formatTime(c.createdAt)
            ])
          ],
          pairs,
          lang
        ),
        { header: true }
      )
}

// the pair is known only once the configuration is read: its side names are checked then
const take = Options.text("take").pipe(
  Options.withDescription(
    "whose value the pair keeps: a side as `tongbu conflicts --json` names it (hub or erp for the hub↔ERP pair), or left / right"
  )
)
const conflictId = Args.text({ name: "id" }).pipe(
  Args.withDescription("the conflict's id, as `tongbu conflicts` lists it")
)

const resolve = Command.make("resolve", { ...common, pair: pairOption, conflictId, take }, (options) =>
  handle(options, (settings, _lang, pair) =>
    Effect.gen(function* () {
      const side = Labels.parseSide(pair.labels, options.take)
      if (Option.isNone(side)) {
        return yield* new ConfigError({
          message: `--take ${options.take}: expected ${Labels.sideChoices(pair.labels)} (the sides of the pair ${pair.name})`
        })
      }
      const store = yield* SyncStore
      const resolved = yield* store.resolveConflict(options.conflictId, side.value)
      if (Option.isNone(resolved)) {
        return yield* new NotFound({ message: `no open conflict ${options.conflictId} (see \`tongbu conflicts\`)` })
      }
      const c = resolved.value
      const { left, right } = pair.labels
      yield* output(
        options,
        () => conflictJson(pair.labels)(c),
        () =>
          `Conflict ${c.id} resolved: ${c.field} of ${left} ${c.leftId} / ${right} ${c.rightId} takes the ${side.value === "right" ? right : left} value ` +
          `${shown(side.value === "right" ? c.right : c.left)}; the next sync writes it to the other side.`
      )
    }).pipe(Effect.provide(Layers.store(settings)))
  )
).pipe(Command.withDescription("Resolve a parked conflict by taking one side's value"))

/** `tongbu conflicts` and `tongbu conflicts resolve <id> --take <side>`. */
export const conflicts = Command.make("conflicts", { ...common, pair: pairOption }, (options) =>
  handleAll(options, (pairs, lang, listed) =>
    Effect.gen(function* () {
      const open = yield* Effect.forEach(pairs, (p) =>
        Effect.flatMap(SyncStore, (store) => store.openConflicts).pipe(
          Effect.map((list) => list.map((conflict) => ({ pair: p.id, labels: p.pair.labels, conflict }))),
          Effect.provide(Layers.store(p.settings))
        )
      ).pipe(Effect.map((lists) => lists.flat()))
      yield* output(
        options,
        () => ({
          conflicts: open.map(({ pair, labels, conflict }) =>
            listed ? { pair, ...conflictJson(labels)(conflict) } : conflictJson(labels)(conflict)
          )
        }),
        () =>
          conflictsTable(
            open.map((o) => o.conflict),
            Labels.common(pairs.map((p) => p.pair.labels)),
            lang,
            pairs.length > 1 ? open.map((o) => o.pair) : undefined
          )
      )
    })
  )
).pipe(
  Command.withDescription("Parked conflicts (fields set to `manual`), with both values and the baseline"),
  Command.withSubcommands([resolve])
)
