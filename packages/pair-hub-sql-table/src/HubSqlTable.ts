import { SqlTableAdapter } from "@tongbu/adapter-sql-table"
import { HubAdapter } from "@tongbu/adapter-wechat-hub"
import { LeftAdapter } from "@tongbu/core"
import { Pair } from "@tongbu/pair"
import { Effect, Layer, Option, Stream } from "effect"
import * as Policy from "./Policy.js"
import { sections } from "./Sections.js"
import * as Settings from "./Settings.js"
import * as Template from "./Template.js"

/**
 * Both sides: the hub on the left, the table on the right. A dry run switches the hub's intake off. The hub's
 * follow-up events (conversation summaries) are dropped: a table has no actions to carry them to.
 */
export const sidesLayer = (settings: Settings.Settings, options: Pair.LayerOptions) =>
  Layer.unwrapEffect(
    Effect.all([Settings.requireHub(settings), Settings.requireTable(settings)]).pipe(
      Effect.map(([path, table]) =>
        Layer.merge(
          Layer.effect(
            LeftAdapter,
            Effect.map(LeftAdapter, (adapter) => ({ ...adapter, events: () => Stream.empty }))
          ).pipe(
            Layer.provide(
              HubAdapter.layer({
                path,
                timeZone: settings.hub.timeZone,
                intake: settings.hub.intake && !options.dryRun
              })
            )
          ),
          SqlTableAdapter.layer(table)
        )
      )
    )
  )

/** The WeChat hub (left) and a customer table in SQLite of the team's own (right). */
export const pair = Pair.make({
  name: "hub-sql-table",
  description: "Keep the WeChat hub (微信中台) and a customer table in SQLite in sync, both ways",
  labels: { left: "hub", right: "table", zh: { left: "中台", right: "数据表" } },
  sections,
  settings: Settings.resolve,
  policy: (settings) =>
    Policy.make(
      settings,
      Option.match(settings.table, { onNone: () => [], onSome: (table) => Object.keys(table.columns) })
    ),
  layer: sidesLayer,
  init: {
    title: "the WeChat hub <-> a customer table",
    environment: Settings.variables,
    sections: Template.sections,
    next: Template.next
  }
})

export default pair
