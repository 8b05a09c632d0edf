import { Args, Command, Options } from "@effect/cli"
import type { ParkedAction } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import type { Pair } from "@tongbu/pair"
import { Data, Effect, Option } from "effect"
import { ConfigError } from "../Config.js"
import { common, handle, NotFound, output, pairOption } from "../Handler.js"
import { formatTime, table, truncate } from "../internal/text.js"
import * as Labels from "../Labels.js"
import type { Lang } from "../Lang.js"
import * as Layers from "../Layers.js"
import { maskMobiles } from "../Logging.js"
import { textsOf } from "../Texts.js"

/** The operation asked about exists but is not a parked action: nothing to resolve, and the message says why. */
export class NotParked extends Data.TaggedError("NotParked")<{ readonly message: string }> {}

/** The action's content as it was sent, mobiles masked like every output. */
const content = (a: ParkedAction) =>
  maskMobiles(
    Object.entries(a.action.payload)
      .filter(([, value]) => value !== null && value !== "")
      .map(([field, value]) => `${field} ${JSON.stringify(value)}`)
      .join(", ")
  )

/** A parked action as machines read it: `side` names the side as `--json` names the pair's sides (`Labels.sideName`). */
export const actionJson = (labels: Pair.Labels) => (a: ParkedAction) => ({
  id: a.id,
  key: a.key,
  runId: a.runId,
  side: Labels.sideName(labels, a.action.side),
  recordId: Option.getOrNull(a.targetId),
  recordName: a.action.label ?? null,
  kind: a.action.kind,
  payload: JSON.parse(maskMobiles(JSON.stringify(a.action.payload))) as unknown,
  reason: maskMobiles(a.reason),
  parkedAt: new Date(a.parkedAt).toISOString()
})

const actionsText = (list: ReadonlyArray<ParkedAction>, labels: Pair.Labels, lang: Lang) => {
  const t = textsOf(lang)
  if (list.length === 0) return t.noActions
  const rows = list.map((a) => [
    String(a.id),
    a.runId,
    Labels.labelOf(labels, a.action.side, lang),
    Option.getOrElse(a.targetId, () => "?"),
    truncate(a.action.label ?? "", 20),
    a.action.kind,
    truncate(content(a), 40),
    formatTime(a.parkedAt)
  ])
  // The reason is the hint of what to look for; too long for a column, it goes under the table, by id.
  const reasons = list.map((a) => `${a.id}: ${maskMobiles(a.reason)}`)
  return [table([t.actionHeader, ...rows], { header: true }), "", ...reasons, "", t.actionsHint].join("\n")
}

const done = Options.boolean("done").pipe(Options.withDescription("it was delivered: settle it, never send it again"))
const retry = Options.boolean("retry").pipe(
  Options.withDescription("it was not delivered: the next sync sends it once")
)
const actionId = Args.text({ name: "id-or-key" }).pipe(
  Args.withDescription("the action's id (or its key), as `tongbu actions` lists it")
)

const resolve = Command.make("resolve", { ...common, pair: pairOption, actionId, done, retry }, (options) =>
  handle(options, (settings, _lang, pair) =>
    Effect.gen(function* () {
      if (options.done === options.retry) {
        return yield* new ConfigError({ message: "say either --done (it was delivered) or --retry (send it again)" })
      }
      const resolution = options.done ? "done" : "retry"
      const store = yield* SyncStore
      const resolved = yield* store.resolveAction(options.actionId, resolution)
      switch (resolved._tag) {
        case "Unknown":
          return yield* new NotFound({ message: `no action ${options.actionId} (see \`tongbu actions\`)` })
        case "NotAction":
          return yield* new NotParked({
            message: `operation ${resolved.key} is a ${resolved.operation}, not an action: only follow-ups and assignments are resolved here`
          })
        case "NotParked":
          return yield* new NotParked({
            message: `action ${resolved.key} is ${resolved.state}, not parked: there is nothing to resolve`
          })
        case "Resolved": {
          const a = resolved.action
          const where = `${a.action.kind} on ${Labels.labelOf(pair.labels, a.action.side, "en")} record ${Option.getOrElse(a.targetId, () => "?")}`
          yield* output(
            options,
            () => ({ ...actionJson(pair.labels)(a), resolution }),
            () =>
              resolution === "done"
                ? `Action ${a.id} (${where}) marked delivered; it is never sent again.`
                : `Action ${a.id} (${where}) put back in the outbox; the next sync sends it once.`
          )
        }
      }
    }).pipe(Effect.provide(Layers.store(settings)))
  )
).pipe(Command.withDescription("Settle a parked action: --done if it was delivered, --retry to send it once more"))

/** `tongbu actions` and `tongbu actions resolve <id-or-key> --done|--retry`. */
export const actions = Command.make("actions", { ...common, pair: pairOption }, (options) =>
  handle(options, (settings, lang, pair) =>
    Effect.gen(function* () {
      const store = yield* SyncStore
      const parked = yield* store.parkedActions
      yield* output(
        options,
        () => ({ actions: parked.map(actionJson(pair.labels)) }),
        () => actionsText(parked, pair.labels, lang)
      )
    }).pipe(Effect.provide(Layers.store(settings)))
  )
).pipe(
  Command.withDescription("Follow-ups and assignments parked because they may have been delivered: what to check"),
  Command.withSubcommands([resolve])
)
