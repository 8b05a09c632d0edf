import { maskMobiles } from "@tongbu/core"
import { HashMap, Layer, Logger, LogLevel } from "effect"

// The runner's modules mask through `Logging`; the masking itself is the core's, one for every package.
export { maskMobiles }

const maskDeep = (value: unknown): unknown => {
  if (typeof value === "string") return maskMobiles(value)
  if (Array.isArray(value)) return value.map(maskDeep)
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)]))
  }
  return value
}

/** Masks mobiles in a logger's message and annotations before it formats them. */
export const masked = <O>(logger: Logger.Logger<unknown, O>): Logger.Logger<unknown, O> =>
  Logger.mapInputOptions(logger, (options) => ({
    ...options,
    message: maskDeep(options.message),
    annotations: HashMap.map(options.annotations, maskDeep)
  }))

export type LogFormat = "auto" | "pretty" | "json"

const LEVELS = { debug: LogLevel.Debug, info: LogLevel.Info, warning: LogLevel.Warning, error: LogLevel.Error } as const

/**
 * Logs go to stderr (stdout is for reports and `--json`): pretty on a terminal, JSON lines otherwise, mobiles masked.
 */
export const layer = (options: {
  readonly format: LogFormat
  readonly level: keyof typeof LEVELS
  readonly isTTY: boolean
}) => {
  const pretty = options.format === "pretty" || (options.format === "auto" && options.isTTY)
  const logger = pretty
    ? masked(Logger.prettyLogger({ stderr: true, colors: "auto" }))
    : Logger.withConsoleError(masked(Logger.jsonLogger))
  return Layer.merge(Logger.replace(Logger.defaultLogger, logger), Logger.minimumLogLevel(LEVELS[options.level]))
}
