import { createRequire } from "node:module"
import { isAbsolute, join, resolve } from "node:path"
import { pathToFileURL } from "node:url"
import { ConfigError, Pair } from "@tongbu/pair"
import { Effect } from "effect"

/**
 * A pair named by `pair:` in `tongbu.yaml` (or `tongbu init --pair`): one of the pairs the runner was given by name,
 * else a module, a path (relative to `base`, the file's directory) or a package (resolved from `base`), loaded with
 * `import()`; its default export, or its export `pair`, must be a `Pair.make` value.
 */
export const resolvePair = (
  spec: string,
  options: { readonly base: string; readonly where: string; readonly known: ReadonlyArray<Pair.Any> }
): Effect.Effect<Pair.Any, ConfigError> =>
  Effect.gen(function* () {
    const known = options.known.find((pair) => pair.name === spec)
    if (known !== undefined) return known
    const fail = (why: string) => new ConfigError({ message: `${options.where} names the pair ${spec}: ${why}` })
    const isPath = spec.startsWith(".") || isAbsolute(spec)
    const target = isPath
      ? pathToFileURL(resolve(options.base, spec)).href
      : yield* Effect.try({
          try: () => pathToFileURL(createRequire(join(options.base, "tongbu.yaml")).resolve(spec)).href,
          catch: () =>
            fail(
              `no such package is installed where the configuration is (nor is it one of ${options.known.map((p) => p.name).join(", ")})`
            )
        })
    const module: Record<string, unknown> = yield* Effect.tryPromise({
      try: () => import(target),
      catch: (error) => fail(`cannot load it: ${error instanceof Error ? error.message : String(error)}`)
    })
    const pair = [module.default, module.pair].find(Pair.isPair)
    if (pair === undefined)
      return yield* fail(
        "the module exports no pair (its default export or its export `pair` must be a Pair.make value)"
      )
    return pair
  })
