/**
 * The language of the text a command prints (`--lang`): English, or Chinese for the sales and operations staff who read
 * the reports. JSON output keeps its English keys and messages whatever the language.
 */
import { Options } from "@effect/cli"
import { Config, Effect, Option } from "effect"
import { ConfigError } from "./Config.js"

export const Lang = ["en", "zh"] as const
export type Lang = (typeof Lang)[number]

export const option = Options.choice("lang", Lang).pipe(
  Options.withDescription("the language of the text output: en or zh (default: $TONGBU_LANG, else the locale)"),
  Options.optional
)

/** The POSIX locale variables in the order they take precedence; the first one set decides. */
export const fromLocale = (env: {
  readonly LC_ALL?: string | undefined
  readonly LC_MESSAGES?: string | undefined
  readonly LANG?: string | undefined
}): Lang => {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== "")
  return locale?.toLowerCase().startsWith("zh") === true ? "zh" : "en"
}

const variable = (name: string) => Config.option(Config.string(name)).pipe(Config.map(Option.getOrUndefined))

const isLang = (value: string): value is Lang => (Lang as ReadonlyArray<string>).includes(value)

const fromEnvironment = Effect.gen(function* () {
  const { lang, ...locale } = yield* Config.all({
    lang: variable("TONGBU_LANG"),
    LC_ALL: variable("LC_ALL"),
    LC_MESSAGES: variable("LC_MESSAGES"),
    LANG: variable("LANG")
  }).pipe(Effect.orDie) // an unset variable is undefined: reading a string cannot fail
  if (lang === undefined || lang === "") return fromLocale(locale)
  if (isLang(lang)) return lang
  return yield* new ConfigError({ message: `TONGBU_LANG must be en or zh, got "${lang}"` })
})

/** `--lang` when given, else `TONGBU_LANG` (en or zh; anything else is an error naming it), else the locale. */
export const resolve = (flag: Option.Option<Lang>): Effect.Effect<Lang, ConfigError> =>
  Option.match(flag, { onSome: Effect.succeed, onNone: () => fromEnvironment })
