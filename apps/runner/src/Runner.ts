import { FileSystem, Path } from "@effect/platform"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import type { Pair } from "@tongbu/pair"
import { Effect, Option } from "effect"
import * as Yaml from "yaml"
import { run } from "./Cli.js"
import * as Config from "./Config.js"
import { teardown } from "./Exit.js"
import { CurrentPair, guard, KnownPairs } from "./Handler.js"
import { resolvePair } from "./PairModule.js"

/**
 * The runner as a library: `Runner.main({ pair })` is a whole `tongbu` (every command) for `pair`, so a team ships its
 * own bin in a few lines. A configuration's `pair:` still wins: the runner runs the pair its file names.
 */
export interface MainOptions {
  /** The pair a configuration without `pair:` runs. */
  readonly pair: Pair.Any
  /** Pairs `pair:` (and `init --pair`) may name by their name, besides modules and packages. */
  readonly pairs?: ReadonlyArray<Pair.Any>
  /** The command's name and version, as `--help` and `--version` show them (default tongbu 0.1.0). */
  readonly name?: string
  readonly version?: string
}

/** The value of `--<name> <value>` or `--<name>=<value>` on the command line, if given. */
const flag = (argv: ReadonlyArray<string>, name: string): string | undefined => {
  const index = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`))
  const arg = argv[index]
  if (arg === undefined) return undefined
  return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[index + 1]
}

/**
 * The pair to run, found before the command line is parsed (its commands depend on it): `--pair` of `init`, else
 * the `pair:` key of the configuration file, else the default. A file that is not valid YAML is reported later, by
 * the command that loads it.
 */
export const pairOf = (argv: ReadonlyArray<string>, options: MainOptions) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const known = [options.pair, ...(options.pairs ?? [])]
    // `--pair` names a module for `init`; for the other commands it is a pair's id under `pairs:`
    const given = argv[2] === "init" ? flag(argv, "pair") : undefined
    if (given !== undefined) return yield* resolvePair(given, { base: path.resolve("."), where: "--pair", known })
    const file = yield* Config.locate(Option.fromNullable(flag(argv, "config")))
    if (Option.isNone(file)) return options.pair
    const text = yield* fs.readFileString(file.value).pipe(Effect.orElseSucceed(() => ""))
    const spec: unknown = Yaml.parseDocument(text).get("pair")
    if (typeof spec !== "string" || spec.trim() === "") return options.pair
    return yield* resolvePair(spec.trim(), {
      base: path.dirname(file.value),
      where: `key \`pair\` in ${file.value}`,
      known
    })
  })

/** Runs the `tongbu` command line `argv` (as `process.argv`) for the pair it names. */
export const runCli = (argv: ReadonlyArray<string>, options: MainOptions) =>
  guard({ json: argv.includes("--json") }, pairOf(argv, options)).pipe(
    Effect.flatMap((pair) =>
      run(pair, { name: options.name ?? "tongbu", version: options.version ?? "0.1.0" })(argv).pipe(
        Effect.provideService(CurrentPair, pair),
        Effect.provideService(KnownPairs, options.pairs ?? [])
      )
    )
  )

/** The process's main: `runCli` on `process.argv`, exiting with the command's code. */
export const main = (options: MainOptions): void =>
  runCli(process.argv, options).pipe(
    Effect.provide(NodeContext.layer),
    NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true, teardown })
  )
