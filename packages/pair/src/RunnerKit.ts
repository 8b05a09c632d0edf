import type { Options } from "@effect/cli"
import type { FileSystem, Path } from "@effect/platform"
import type { Direction, LeftAdapter, RightAdapter, Sync, SyncStore } from "@tongbu/core"
import type { Effect, Either, Option } from "effect"
import type { ConfigError } from "./ConfigError.js"

/**
 * What the runner offers a pair's own commands (`Pair.make({ commands })`), so that a pair's `demo` or `mock-erp`
 * reads its configuration, runs a sync and prints its report as every other command does. `T` is the runner's
 * settings: the pair's own and the runner's keys together.
 */

export type Lang = "en" | "zh"

/** `--config`, `--json` and `--lang`, which every command takes. */
export interface CommonOptions {
  readonly config: Options.Options<Option.Option<string>>
  readonly json: Options.Options<boolean>
  readonly lang: Options.Options<Option.Option<Lang>>
}

export interface RunRequest {
  readonly direction: Direction
  readonly dryRun: boolean
  readonly full: boolean
}

export type Sides = LeftAdapter | RightAdapter | SyncStore

export interface RunnerKit<T> {
  readonly common: CommonOptions
  /** `--lang` when given, else `TONGBU_LANG`, else the locale. */
  readonly lang: (flag: Option.Option<Lang>) => Effect.Effect<Lang, ConfigError>
  /** Shows a failure of `effect` once (text on stderr, or JSON with --json) and ends with its exit code. */
  readonly guard: <A, E, R>(
    options: { readonly json: boolean },
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, unknown, R>
  /** Prints a result: `json` with --json, else `text`. */
  readonly output: (options: { readonly json: boolean }, json: () => unknown, text: () => string) => Effect.Effect<void>
  /** Validates the text of a configuration file; `name` is how errors refer to it. */
  readonly parse: (text: string, name: string) => Either.Either<unknown, ConfigError>
  /** Reads a configuration file; without `environment` no TONGBU_* variable is read (a demo must not reach a real side). */
  readonly load: (
    file: string,
    options: { readonly environment: boolean }
  ) => Effect.Effect<T, ConfigError, FileSystem.FileSystem | Path.Path>
  /** Provides both sides and the store the settings name, and the logger they ask for. */
  readonly withSides: (
    settings: T,
    lang: Lang
  ) => <A, E, R>(
    effect: Effect.Effect<A, E, R>
  ) => Effect.Effect<A, unknown, Exclude<R, Sides> | FileSystem.FileSystem | Path.Path>
  /** One run of the pair's policy, its progress on stderr unless `quiet`; counted in the metrics when not a dry run. */
  readonly runOnce: (
    settings: T,
    request: RunRequest,
    options: { readonly quiet: boolean }
  ) => Effect.Effect<Sync.RunReport, Sync.SyncError, Sides>
  /** A run's report as text for a person, and as the `--json` object. */
  readonly summary: (report: Sync.RunReport, lang: Lang) => string
  readonly runJson: (report: Sync.RunReport) => unknown
}
