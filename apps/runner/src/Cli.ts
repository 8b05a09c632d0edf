import { Command } from "@effect/cli"
import { actions } from "./commands/Actions.js"
import { alerts } from "./commands/Alerts.js"
import { check } from "./commands/Check.js"
import { conflicts } from "./commands/Conflicts.js"
import { daemon } from "./commands/Daemon.js"
import { demo } from "./commands/Demo.js"
import { init } from "./commands/Init.js"
import { mockErp } from "./commands/MockErp.js"
import { rollback } from "./commands/Rollback.js"
import { runs } from "./commands/Runs.js"
import { sync } from "./commands/Sync.js"

/** `tongbu`: keeps the WeChat hub and the Zhibang ERP in sync both ways. */
export const command = Command.make("tongbu").pipe(
  Command.withDescription(
    "Keep the WeChat hub (微信中台) and the Zhibang ERP (智邦国际ERP) in sync, both ways, safely"
  ),
  Command.withSubcommands([init, check, sync, daemon, runs, rollback, conflicts, actions, alerts, mockErp, demo])
)

export const run = Command.run(command, { name: "tongbu", version: "0.1.0" })
