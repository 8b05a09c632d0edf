import type { Pair, RunnerKit } from "@tongbu/pair"
import { ConfigProvider, Effect, Option } from "effect"
import type { Settings } from "./Config.js"
import * as Config from "./Config.js"
import { runOnce } from "./commands/Sync.js"
import * as Environment from "./Environment.js"
import { common, guard, logging, output } from "./Handler.js"
import * as Lang from "./Lang.js"
import * as Progress from "./Progress.js"
import { runJson, summary } from "./Report.js"

/** What the runner offers the commands a pair brings (`Pair.make({ commands })`). */
export const make = <S>(pair: Pair.Pair<S>): RunnerKit<Settings<S>> => ({
  common,
  lang: Lang.resolve,
  guard,
  output,
  parse: (text, name) => Config.parseConfigFile(text, name, pair),
  load: (file, options) =>
    options.environment
      ? Config.loadWith(pair)(Option.some(file))
      : Config.loadWith(pair)(Option.some(file)).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))),
  withSides: (settings, lang) => (effect) =>
    effect.pipe(
      Effect.provide(Environment.sync(pair, settings, { dryRun: false, lang })),
      Effect.provide(logging(settings))
    ),
  runOnce: (settings, request, options) =>
    Effect.flatMap(
      options.quiet
        ? Effect.succeed(Progress.silent)
        : Progress.make({ isTTY: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) }),
      (progress) => runOnce(pair, settings, request, progress)
    ),
  summary: (view, lang) => summary(view, pair.labels, lang),
  runJson: (view) => runJson(view, pair.labels)
})
