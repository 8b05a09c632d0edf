import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { SyncStore } from "@tongbu/core"
import { Effect, Option } from "effect"
import * as Config from "../Config.js"
import { templateFor } from "../ConfigTemplate.js"
import { defaultPair } from "../DefaultPair.js"
import { CurrentPair, common, guard, output } from "../Handler.js"
import * as Layers from "../Layers.js"
import * as State from "../State.js"

const force = Options.boolean("force").pipe(Options.withDescription("overwrite an existing configuration file"))
const pairOption = Options.text("pair").pipe(
  Options.withDescription(
    `the pair the configuration runs: a package name or a module's path (default ${defaultPair.name}, the WeChat hub and the Zhibang ERP)`
  ),
  Options.optional
)

/** `tongbu init`: writes the commented configuration file, then creates the state store it names. */
export const init = Command.make("init", { ...common, force, pair: pairOption }, (options) =>
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
      // the pair was loaded from --pair before the command line was parsed (Runner.pairOf)
      const pair = yield* CurrentPair
      const named = Option.filter(options.pair, (spec) => spec !== defaultPair.name)
      // a relative path is written relative to the file, as the file's other paths are
      const spec = Option.map(named, (given) =>
        given.startsWith(".")
          ? `./${path.relative(path.dirname(file), path.resolve(given)).replaceAll("\\", "/")}`.replace(
              /^\.\/\.\./,
              ".."
            )
          : given
      )
      yield* fs.makeDirectory(path.dirname(file), { recursive: true })
      yield* fs.writeFileString(file, templateFor(pair, Option.getOrUndefined(spec)))
      const settings = yield* Config.loadWith(pair)(Option.some(file))
      // Opening the store creates and migrates it.
      yield* Effect.provide(SyncStore, Layers.store(settings))
      yield* output(
        options,
        () => ({ config: file, pair: pair.name, stateStore: State.nameOf(settings.state.store), overwritten: existed }),
        () =>
          [
            `Wrote ${file}${existed ? " (overwritten)" : ""}.`,
            `Created the state store ${State.nameOf(settings.state.store)}.`,
            "",
            pair.init.next
          ].join("\n")
      )
    })
  )
).pipe(
  Command.withDescription(
    "Write a commented configuration file (./tongbu.yaml, or --config) and create the state store"
  )
)
