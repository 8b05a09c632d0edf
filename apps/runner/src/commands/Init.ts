import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { SyncStore } from "@tongbu/core"
import { Effect, Option } from "effect"
import * as Config from "../Config.js"
import { template } from "../ConfigTemplate.js"
import { common, guard, output } from "../Handler.js"
import * as Layers from "../Layers.js"

const force = Options.boolean("force").pipe(Options.withDescription("overwrite an existing configuration file"))

/** `tongbu init`: writes the commented configuration file, then creates the state store it names. */
export const init = Command.make("init", { ...common, force }, (options) =>
  guard(
    options,
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const file = path.resolve(Option.getOrElse(options.config, () => Config.DEFAULT_FILE))
      const existed = yield* fs.exists(file)
      if (existed && !options.force) {
        return yield* new Config.ConfigError({ message: `${file} already exists; pass --force to overwrite it` })
      }
      yield* fs.makeDirectory(path.dirname(file), { recursive: true })
      yield* fs.writeFileString(file, template)
      const settings = yield* Config.load(Option.some(file))
      // Opening the store creates and migrates it.
      yield* Effect.provide(SyncStore, Layers.store(settings))
      yield* output(
        options,
        () => ({ config: file, stateStore: settings.state.database, overwritten: existed }),
        () =>
          [
            `Wrote ${file}${existed ? " (overwritten)" : ""}.`,
            `Created the state store ${settings.state.database}.`,
            "",
            "Next: set erp.url, erp.user and hub.database in it (or TONGBU_ERP_URL, TONGBU_ERP_USER, TONGBU_HUB_DB),",
            "export TONGBU_ERP_PASSWORD, then try `tongbu sync --dry-run`."
          ].join("\n")
      )
    })
  )
).pipe(
  Command.withDescription(
    "Write a commented configuration file (./tongbu.yaml, or --config) and create the state store"
  )
)
