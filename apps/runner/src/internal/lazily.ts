import type { Context } from "effect"
import { Effect, ExecutionStrategy, Exit, Layer, Option, Ref, Scope } from "effect"

/**
 * `layer` built at the first use and kept in `scope` (the daemon's life); a failed build leaves nothing behind and
 * is tried again at the next use.
 */
export const lazily = <R, RIn>(layer: Layer.Layer<R, unknown, RIn>, scope: Scope.Scope) =>
  Effect.gen(function* () {
    const built = yield* Ref.make(Option.none<Context.Context<R>>())
    const one = yield* Effect.makeSemaphore(1)
    const environment = yield* Effect.context<RIn>()
    const build = Effect.gen(function* () {
      const child = yield* Scope.fork(scope, ExecutionStrategy.sequential)
      const context = yield* Layer.buildWithScope(layer, child).pipe(
        Effect.provide(environment),
        Effect.onError((cause) => Scope.close(child, Exit.failCause(cause)))
      )
      yield* Ref.set(built, Option.some(context))
      return context
    })
    return one.withPermits(1)(
      Effect.flatMap(Ref.get(built), Option.match({ onNone: () => build, onSome: Effect.succeed }))
    )
  })
