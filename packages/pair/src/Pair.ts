import type { Command } from "@effect/cli"
import type { FileSystem, Path } from "@effect/platform"
import type { LeftAdapter, Reason, RightAdapter, SyncPolicy } from "@tongbu/core"
import type { Effect, Layer, Metric, Schema } from "effect"
import { Option } from "effect"
import type { CheckItem } from "./Check.js"
import type { ConfigError } from "./ConfigError.js"
import type { Lang, RunnerKit } from "./RunnerKit.js"
import type { Shared } from "./Shared.js"

/**
 * A pair is the module the runner runs: the two adapters, the policy between them, the configuration keys of each
 * side, and what the runner's commands need beyond a sync (checks, metrics, the `init` template, commands of its own
 * such as a mock). `@tongbu/runner` loads one from `pair:` in `tongbu.yaml` or takes one in `Runner.main`.
 */

// A global symbol: a pair made by another copy of this package (a team's module loaded at run time) is a pair too.
export const TypeId: unique symbol = Symbol.for("@tongbu/pair/Pair")
export type TypeId = typeof TypeId

/** What a report calls the two sides in one language. */
export interface SideLabels {
  readonly left: string
  readonly right: string
}

/** What the reports call the two sides: English (also the `--json` keys' names), and optionally Chinese. */
export interface Labels extends SideLabels {
  readonly zh?: SideLabels
}

/** The labels of a report in `lang`: the pair's own for it, else the English ones as given. */
export const labelsIn = (labels: Labels, lang: Lang): SideLabels => {
  const chosen = lang === "zh" ? (labels.zh ?? labels) : labels
  return { left: chosen.left, right: chosen.right }
}

/** What the runner tells a pair while it reads the pair's part of the configuration. */
export interface ConfigContext {
  /** The configuration file read, if any. */
  readonly file: Option.Option<string>
  /** A path the file names, made absolute: relative to the file (to the working directory without one). */
  readonly resolve: (path: string) => string
  /** "<what> is not configured: set <variable> or `<key>` in <file>", for a setting a command needs. */
  readonly missing: (what: string, key: string, variable: string) => ConfigError
}

export interface LayerOptions {
  /** A dry run writes nothing to either side: an adapter that writes while it reads (intake) must not. */
  readonly dryRun: boolean
  /** The language of the person running the command (`--lang`, else `TONGBU_LANG`, else the locale). */
  readonly lang: Lang
  /**
   * The runner's wording of a reason in a language, as its reports word it: for texts a side keeps for its own people
   * (the hub's `erp_sync_error`), worded from the reason's rule and params, hence as stable run to run as the reason.
   */
  readonly word: (reason: Reason, lang: Lang) => string
  /** What the sides share with the runner's other pairs, by a key the pair computes (default: nothing shared). */
  readonly shared?: Shared
}

/** How `tongbu check` runs: recording (`--record FILE`) may read a little more, to learn shapes a profile keeps. */
export interface CheckOptions {
  readonly recording: boolean
}

/** What `tongbu check` learnt of the sides: its items, and what `--record FILE` writes when the pair records. */
export interface CheckReport {
  readonly items: ReadonlyArray<CheckItem>
  readonly record: Option.Option<(file: string) => Effect.Effect<void, unknown, FileSystem.FileSystem>>
}

/** What a pair's own commands may need of the platform; the runner provides it. */
export type CommandEnvironment = FileSystem.FileSystem | Path.Path

/** A command a pair brings: any name, options and result (a command's type parameters are invariant). */
// biome-ignore lint/suspicious/noExplicitAny: each command's own name and options; the runner only mounts it
export type PairCommand = Command.Command<any, CommandEnvironment, unknown, any>

/** A metric of any kind (counter, histogram, …). */
// biome-ignore lint/suspicious/noExplicitAny: a metric's key type is invariant; the runner only reads it
export type PairMetric = Metric.Metric<any, never, unknown>

export interface Definition<F extends Schema.Struct.Fields, S> {
  /** How `pair:` and `--pair` name it, e.g. `hub-zhibang`. */
  readonly name: string
  /** One line for `tongbu --help`, e.g. "Keep the WeChat hub and the Zhibang ERP in sync". */
  readonly description: string
  /**
   * What the runner's reports call each side, e.g. "hub" and "ERP" (default "left" and "right"), and in Chinese reports
   * (`zh`; without it they show these as given).
   */
  readonly labels?: Labels
  /** The pair's own top-level keys of `tongbu.yaml` (each a section of `ConfigSchema`), beside the runner's. */
  readonly sections: F
  /** What to say of a key the file must not hold (`"erp.password"`: where a password belongs instead). */
  readonly forbiddenKeys?: Readonly<Record<string, string>>
  /** The decoded sections with the environment applied over them and the secrets read. */
  readonly settings: (
    sections: Schema.Struct.Type<F>,
    context: ConfigContext
  ) => Effect.Effect<S, ConfigError, FileSystem.FileSystem>
  readonly policy: (settings: S) => SyncPolicy
  /** Both sides, for the settings. */
  readonly layer: (settings: S, options: LayerOptions) => Layer.Layer<LeftAdapter | RightAdapter, unknown>
  readonly init: {
    /** What the template's first line calls the configuration, e.g. "the WeChat hub <-> Zhibang ERP sync". */
    readonly title: string
    /** Comment lines of the template's head naming the pair's environment variables (without `# `). */
    readonly environment: ReadonlyArray<string>
    /** The commented YAML of the pair's sections, every value shown its default. */
    readonly sections: string
    /** What `tongbu init` tells a person to do next. */
    readonly next: string
  }
  /** The checks of `tongbu check` for the sides (the runner adds the state store's). */
  readonly check?: (
    settings: S,
    options: CheckOptions
  ) => Effect.Effect<CheckReport, never, FileSystem.FileSystem | Path.Path>
  /** Metrics the pair records, listed on /metrics before their first update. */
  readonly metrics?: ReadonlyArray<PairMetric>
  /** Commands of the pair's own (`mock-erp`, `demo`), built with what the runner offers. */
  readonly commands?: <T extends S>(kit: RunnerKit<T>) => ReadonlyArray<PairCommand>
}

export interface Pair<S> {
  readonly [TypeId]: TypeId
  readonly name: string
  readonly description: string
  readonly labels: Labels
  readonly sections: Schema.Struct.Fields
  readonly forbiddenKeys: Readonly<Record<string, string>>
  readonly settings: (sections: unknown, context: ConfigContext) => Effect.Effect<S, ConfigError, FileSystem.FileSystem>
  readonly policy: (settings: S) => SyncPolicy
  readonly layer: (settings: S, options: LayerOptions) => Layer.Layer<LeftAdapter | RightAdapter, unknown>
  readonly init: Definition<Schema.Struct.Fields, S>["init"]
  readonly check: Option.Option<
    (settings: S, options: CheckOptions) => Effect.Effect<CheckReport, never, FileSystem.FileSystem | Path.Path>
  >
  readonly metrics: ReadonlyArray<PairMetric>
  readonly commands: <T extends S>(kit: RunnerKit<T>) => ReadonlyArray<PairCommand>
}

/** A pair whose settings type is not known here (one loaded at run time); each of its members agrees with the others. */
// biome-ignore lint/suspicious/noExplicitAny: the settings type is existential: only the pair's own members consume it
export type Any = Pair<any>

export const make = <F extends Schema.Struct.Fields, S>(definition: Definition<F, S>): Pair<S> => ({
  [TypeId]: TypeId,
  name: definition.name,
  description: definition.description,
  labels: definition.labels ?? { left: "left", right: "right" },
  sections: definition.sections,
  forbiddenKeys: definition.forbiddenKeys ?? {},
  // the runner decodes the sections with `sections` before it hands them over
  settings: (sections, context) => definition.settings(sections as Schema.Struct.Type<F>, context),
  policy: definition.policy,
  layer: definition.layer,
  init: definition.init,
  check: Option.fromNullable(definition.check),
  metrics: definition.metrics ?? [],
  commands: definition.commands ?? (() => [])
})

export const isPair = (value: unknown): value is Any =>
  typeof value === "object" && value !== null && TypeId in value && value[TypeId] === TypeId
