import { Path } from "@effect/platform"
import type { Pair } from "@tongbu/pair"
import { ConfigError } from "@tongbu/pair"
import { ConfigProvider, Effect, Either, Option, Schema } from "effect"
import * as Yaml from "yaml"
import type { RunnerSettings, Settings } from "./Config.js"
import * as Config from "./Config.js"
import type { ConfigFile } from "./ConfigFile.js"
import { dropBlanks, fields } from "./ConfigFile.js"
import { resolvePair } from "./PairModule.js"

/**
 * A configuration of one or many pairs. A file without `pairs:` is one pair, `default`, read as it always was. A file
 * with `pairs:` lists them, each with its `id`, its `pair:` module, its sides' sections and its own `state`, `sync`,
 * `schedules` and `alerts`; `daemon` and `log` stay at the top, the runner's. A pair whose keys are wrong is reported
 * on its own (`Entry.settings` is its error): the other pairs still run.
 */

export interface Entry {
  readonly id: string
  readonly pair: Pair.Any
  /** The pair's settings, or what is wrong with its part of the file. */
  readonly settings: Either.Either<Settings<unknown>, ConfigError>
}

export interface Configuration {
  readonly file: Option.Option<string>
  /** The file lists `pairs:` (a command about one pair then takes `--pair` when there are several). */
  readonly listed: boolean
  readonly daemon: RunnerSettings["daemon"]
  readonly log: RunnerSettings["log"]
  readonly pairs: ReadonlyArray<Entry>
}

const Id = Schema.String.pipe(Schema.pattern(/^[a-z0-9-]+$/))

/** The keys of the whole runner: at the top of the file, never in an entry. */
const runnerOnly = ["daemon", "log"]

/** The environment variables of pair `id`: `TONGBU_<ID>_ERP_PASSWORD` is its `TONGBU_ERP_PASSWORD` (`-` as `_`). */
export const variablePrefix = (id: string): string => `TONGBU_${id.toUpperCase().replaceAll("-", "_")}_`

/** The name pair `id` reads variable `name` under: `TONGBU_ERP_PASSWORD` is `TONGBU_<ID>_ERP_PASSWORD`. */
const variableOf =
  (id: string) =>
  (name: string): string =>
    name.startsWith("TONGBU_") ? `${variablePrefix(id)}${name.slice("TONGBU_".length)}` : name

/** Reads the variables of pair `id` under their prefixed names; a listed pair never reads another's. */
const withPairVariables =
  (id: string) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.configProviderWith((provider) =>
      Effect.withConfigProvider(effect, ConfigProvider.mapInputPath(provider, variableOf(id)))
    )

const problem = (name: string, lines: ReadonlyArray<string>) =>
  new ConfigError({ message: `${name} is not a valid configuration:\n${lines.join("\n")}` })

/** The entries' ids, checked: each `[a-z0-9-]+`, each once. */
const idsOf = (entries: ReadonlyArray<unknown>, name: string): Either.Either<ReadonlyArray<string>, ConfigError> => {
  const lines: Array<string> = []
  const ids = entries.map((entry, i) => {
    const id = typeof entry === "object" && entry !== null && "id" in entry ? entry.id : undefined
    if (typeof id !== "string" || !Schema.is(Id)(id)) {
      lines.push(
        `key \`pairs[${i}].id\`: expected the pair's id, lowercase letters, digits and -, got ${id === undefined ? "nothing" : JSON.stringify(id)}`
      )
      return ""
    }
    const first = entries.findIndex(
      (other) => typeof other === "object" && other !== null && "id" in other && other.id === id
    )
    if (first !== i) lines.push(`key \`pairs[${i}].id\`: ${id} is the id of pairs[${first}] already; ids are unique`)
    return id
  })
  return lines.length === 0 ? Either.right(ids) : Either.left(problem(name, lines))
}

/** One entry of `pairs:`: its module resolved, its keys decoded, its settings read with its own variables. */
const entryOf = (
  raw: Record<string, unknown>,
  index: number,
  id: string,
  context: Config.FileContext & { readonly name: string; readonly known: ReadonlyArray<Pair.Any> },
  daemon: RunnerSettings["daemon"],
  log: RunnerSettings["log"]
) =>
  Effect.gen(function* () {
    const path = yield* Path.Path
    const where = `pairs[${index}]`
    const { id: _id, ...keys } = raw
    const resolved = yield* Effect.either(
      typeof keys.pair === "string" && keys.pair.trim() !== ""
        ? resolvePair(keys.pair.trim(), {
            base: Option.match(context.file, { onNone: () => path.resolve("."), onSome: (f) => path.dirname(f) }),
            where: `key \`${where}.pair\` in ${context.name}`,
            known: context.known
          })
        : Effect.succeed(context.known[0] as Pair.Any)
    )
    if (Either.isLeft(resolved)) return { pair: context.known[0] as Pair.Any, settings: Either.left(resolved.left) }
    const pair = resolved.right
    return { pair, settings: yield* Effect.either(settingsIn(pair, keys, where, id, context, daemon, log)) }
  })

const settingsIn = (
  pair: Pair.Any,
  keys: Record<string, unknown>,
  where: string,
  id: string,
  context: Config.FileContext & { readonly name: string },
  daemon: RunnerSettings["daemon"],
  log: RunnerSettings["log"]
) =>
  Effect.gen(function* () {
    const misplaced = runnerOnly.filter((key) => key in keys)
    if (misplaced.length > 0) {
      return yield* problem(
        context.name,
        misplaced.map((key) => `key \`${where}.${key}\`: the runner's, not a pair's: write it at the top of the file`)
      )
    }
    const schema = Config.fileSchema(pair) as unknown as Schema.Schema<ConfigFile & Record<string, unknown>>
    const decoded = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })(keys)
    if (Either.isLeft(decoded)) {
      return yield* problem(context.name, [Config.formatIssues(decoded.left, pair.forbiddenKeys, `${where}.`)])
    }
    const parsed = decoded.right
    // one store per pair: a pair's own file unless it names one
    return yield* Config.settingsOf(pair, { ...parsed, log }, context, {
      id,
      daemon,
      key: `${where}.`,
      variable: variableOf(id),
      defaultDatabase: `.tongbu/${id}.sqlite`
    }).pipe(
      withPairVariables(id),
      Effect.mapError((error) => new ConfigError({ message: `pair ${id} (${where}): ${error.message}` }))
    )
  })

/**
 * Reads the configuration (see `Config.locate`): the pairs it lists, or the one pair of a file without `pairs:`
 * (`current`, the pair `pair:` names). `known` are the pairs an entry's `pair:` may name by name.
 */
export const load = (current: Pair.Any, known: ReadonlyArray<Pair.Any>, explicit: Option.Option<string>) =>
  Effect.gen(function* () {
    const { file, text } = yield* Config.readFile(explicit)
    const name = Option.getOrElse(file, () => "the default configuration")
    const document = Yaml.parseDocument(text, { prettyErrors: true })
    const listed = document.errors.length === 0 && document.has("pairs")
    if (!listed) {
      const settings = yield* Config.loadWith(current)(file)
      const single: Configuration = {
        file,
        listed: false,
        daemon: settings.daemon,
        log: settings.log,
        pairs: [{ id: Config.DEFAULT_ID, pair: current, settings: Either.right(settings) }]
      }
      return single
    }
    const value = dropBlanks(document.toJS()) as Record<string, unknown>
    const top = Schema.decodeUnknownEither(
      Schema.Struct({
        pairs: Schema.Array(Schema.Unknown).pipe(Schema.minItems(1)),
        daemon: fields.daemon,
        log: fields.log
      }),
      { errors: "all", onExcessProperty: "error" }
    )(value)
    if (Either.isLeft(top)) {
      const misplaced = Object.fromEntries(
        Object.keys(value)
          .filter((key) => !runnerOnly.includes(key) && key !== "pairs")
          .map((key) => [key, "with `pairs:`, a pair's keys go under its entry in `pairs:` (daemon and log stay here)"])
      )
      return yield* problem(name, [Config.formatIssues(top.left, misplaced)])
    }
    const entries = top.right.pairs
    const ids = yield* idsOf(entries, name)
    const context = { ...(yield* Config.fileContext(file)), name, known: [current, ...known] }
    const daemon = yield* Config.daemonOf(top.right.daemon, context)
    const pairs = yield* Effect.forEach(entries, (raw, i) => {
      const id = ids[i] as string
      return Effect.map(
        entryOf(raw as Record<string, unknown>, i, id, context, daemon, top.right.log),
        (entry): Entry => ({ id, ...entry })
      )
    })
    const configuration: Configuration = { file, listed: true, daemon, log: top.right.log, pairs }
    return configuration
  })
