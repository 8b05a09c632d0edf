/**
 * Runs an effect on the virtual clock (Effect's `TestClock`) as if time passed by itself: whenever nothing is left to
 * do but wait — no ERP call on the wire, nothing runnable — the clock jumps to the next scheduled wake-up (a retry's
 * backoff, the rate limiter, a request's time limit). The run is deterministic and never waits in real time.
 */
import type { Exit } from "effect"
import { Chunk, Effect, Fiber, FiberId, Option, TestClock } from "effect"
import type { CrashPlan, ErpWire } from "./wire.js"

/** Lets promises, timers and the fiber scheduler run (a real macrotask turn). */
const turn = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 0)))

/** Idle turns in a row before the clock is moved: the scheduler may yield through a timer, so one is not proof. */
const settleTurns = 3
/** Idle turns with nothing scheduled at all before the run is declared stuck. */
const stuckTurns = 500

export class StuckError extends Error {
  override readonly name = "StuckError"
}

/**
 * Runs `effect` to its end and returns its exit. With a crash plan, the run is interrupted as soon as the wire says
 * the runner died (its exit is then an interruption), the way a killed process stops between two instructions.
 */
export const drive = <A, E, R>(
  wire: ErpWire,
  effect: Effect.Effect<A, E, R>,
  crash?: CrashPlan
): Effect.Effect<Exit.Exit<A, E>, never, R> =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    wire.start(crash, () => fiber.unsafeInterruptAsFork(FiberId.none))
    let idle = 0
    let empty = 0
    let rounds = 0
    let adjusts = 0
    for (;;) {
      yield* turn
      ++rounds
      const exit = yield* Fiber.poll(fiber)
      if (Option.isSome(exit)) { if (process.env.DEBUG_DRIVE) console.log("rounds", rounds, "adjusts", adjusts); return exit.value }
      if (wire.busy) {
        idle = 0
        continue
      }
      if (++idle < settleTurns) continue
      idle = 0
      const sleeps = yield* TestClock.sleeps()
      if (Chunk.isEmpty(sleeps)) {
        if (++empty > stuckTurns) {
          yield* Fiber.interrupt(fiber)
          return yield* Effect.die(
            new StuckError("the run waits for nothing: no ERP call on the wire and nothing scheduled on the clock")
          )
        }
        continue
      }
      empty = 0
      const now = yield* TestClock.currentTimeMillis
      const next = Chunk.reduce(sleeps, Number.POSITIVE_INFINITY, (a, b) => Math.min(a, b))
      adjusts++
      if (process.env.DEBUG_DRIVE) console.log("adjust", next - now)
      yield* TestClock.adjust(Math.max(0, next - now))
    }
  })
