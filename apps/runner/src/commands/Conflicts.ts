import { Args, Command, Options } from "@effect/cli"
import type { FieldValue, StoredConflict } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import { Effect, Option } from "effect"
import { common, handle, handleAll, NotFound, output, pairOption } from "../Handler.js"
import { formatTime, table, truncate, withPairs } from "../internal/text.js"
import type { Lang } from "../Lang.js"
import * as Layers from "../Layers.js"
import { fieldName } from "../Reasons.js"
import { textsOf } from "../Texts.js"

const shown = (value: FieldValue, lang: Lang = "en") =>
  value === null ? textsOf(lang).empty : truncate(String(value), 40)

/** A parked conflict as machines read it: hub = left, ERP = right. */
export const conflictJson = (c: StoredConflict) => ({
  id: c.id,
  runId: c.runId,
  hubId: c.leftId,
  erpId: c.rightId,
  field: c.field,
  hub: c.left,
  erp: c.right,
  baseline: { hub: c.baseline.left, erp: c.baseline.right },
  resolution: c.resolution === undefined ? null : c.resolution === "left" ? "hub" : "erp",
  createdAt: new Date(c.createdAt).toISOString()
})

const conflictsTable = (list: ReadonlyArray<StoredConflict>, lang: Lang, pairs?: ReadonlyArray<string>) => {
  const t = textsOf(lang)
  return list.length === 0
    ? t.noConflicts
    : table(
        withPairs(
          [
            t.conflictHeader,
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

const take = Options.choice("take", ["erp", "hub"]).pipe(Options.withDescription("whose value the pair keeps"))
const conflictId = Args.text({ name: "id" }).pipe(
  Args.withDescription("the conflict's id, as `tongbu conflicts` lists it")
)

const resolve = Command.make("resolve", { ...common, pair: pairOption, conflictId, take }, (options) =>
  handle(options, (settings) =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const resolved = yield* store.resolveConflict(options.conflictId, options.take === "erp" ? "right" : "left")
      if (Option.isNone(resolved)) {
        return yield* new NotFound({ message: `no open conflict ${options.conflictId} (see \`tongbu conflicts\`)` })
      }
      const c = resolved.value
      yield* output(
        options,
        () => conflictJson(c),
        () =>
          `Conflict ${c.id} resolved: ${c.field} of hub ${c.leftId} / ERP ${c.rightId} takes the ${options.take === "erp" ? "ERP" : "hub"} value ` +
          `${shown(options.take === "erp" ? c.right : c.left)}; the next sync writes it to the other side.`
      )
    }).pipe(Effect.provide(Layers.store(settings)))
  )
).pipe(Command.withDescription("Resolve a parked conflict by taking the ERP's or the hub's value"))

/** `tongbu conflicts` and `tongbu conflicts resolve <id> --take erp|hub`. */
export const conflicts = Command.make("conflicts", { ...common, pair: pairOption }, (options) =>
  handleAll(options, (pairs, lang, listed) =>
    Effect.gen(function* () {
      const open = yield* Effect.forEach(pairs, (p) =>
        Effect.flatMap(SyncStore, (store) => store.openConflicts).pipe(
          Effect.map((list) => list.map((conflict) => ({ pair: p.id, conflict }))),
          Effect.provide(Layers.store(p.settings))
        )
      ).pipe(Effect.map((lists) => lists.flat()))
      yield* output(
        options,
        () => ({
          conflicts: open.map(({ pair, conflict }) =>
            listed ? { pair, ...conflictJson(conflict) } : conflictJson(conflict)
          )
        }),
        () =>
          conflictsTable(
            open.map((o) => o.conflict),
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
