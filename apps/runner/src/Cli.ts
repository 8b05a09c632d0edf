import { Command } from "@effect/cli"
import type { Pair } from "@tongbu/pair"
import { Data } from "effect"
import { actions } from "./commands/Actions.js"
import { alerts } from "./commands/Alerts.js"
import { check } from "./commands/Check.js"
import { conflicts } from "./commands/Conflicts.js"
import { daemon } from "./commands/Daemon.js"
import { init } from "./commands/Init.js"
import { rollback } from "./commands/Rollback.js"
import { runs } from "./commands/Runs.js"
import { state } from "./commands/State.js"
import { sync } from "./commands/Sync.js"
import { common, guard } from "./Handler.js"
import * as Kit from "./Kit.js"

/** The command exists, but the pair this configuration runs does not bring it. */
export class NotSupported extends Data.TaggedError("NotSupported")<{ readonly message: string }> {}

/** Commands a pair brings (the hub↔ERP pair's mock and demo); another pair's configuration says it has none. */
const pairCommands = ["mock-erp", "demo"] as const

const unsupported = (pair: Pair.Any, name: string) =>
  Command.make(name, common, (options) =>
    guard(
      options,
      new NotSupported({
        message: `${name} is not available for the pair ${pair.name}: the pair brings no such command (see \`tongbu --help\`)`
      })
    )
  ).pipe(Command.withDescription(`(not available for the pair ${pair.name})`))

/** `tongbu` for `pair`: the runner's commands, and those the pair brings. */
export const command = (pair: Pair.Any) => {
  const own = pair.commands(Kit.make(pair))
  const names = new Set(own.flatMap((c) => [...Command.getNames(c)]))
  const missing = pairCommands.filter((name) => !names.has(name)).map((name) => unsupported(pair, name))
  return Command.make("tongbu").pipe(
    Command.withDescription(pair.description),
    Command.withSubcommands([
      init,
      check,
      sync,
      daemon,
      runs,
      rollback,
      conflicts,
      actions,
      alerts,
      state,
      ...own,
      ...missing
    ])
  )
}

export const run = (pair: Pair.Any, options: { readonly name: string; readonly version: string }) =>
  Command.run(command(pair), options)
