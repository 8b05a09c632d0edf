/**
 * Runs an effect on the virtual clock (Effect's `TestClock`) as if time passed by itself: whenever nothing is left to
 * do but wait — no call to side R on its way, nothing runnable — the clock jumps to the next scheduled wake-up (a retry's
 * backoff, the rate limiter, a request's time limit). The run is deterministic and never waits in real time; a
 * `Meter` counts what it cost, and a real-time budget stops a history that costs too much instead of hanging CI.
 */
import type { Exit } from "effect"
import { Chunk, Effect, Fiber, FiberId, Option, TestClock } from "effect"

/** Where the runner dies in a crashing run. */
export interface CrashPlan {
  /** The call to side R (1-based, counted from the start of the run) at which the runner dies. */
  readonly at: number
  /** Whether that call reaches side R (and commits) before the runner dies, or is lost on the way. */
  readonly landed: boolean
}

/**
 * The runner's way to side R, as the driver sees it: whether a call is on its way (the clock waits for it), which
 * calls are held back until their caller gives up, how many calls this process made, and a new process's start, dying
 * at `plan` (`onCrash` then stops the run).
 */
export interface Wire {
  readonly busy: boolean
  readonly parked: ReadonlyArray<string>
  readonly callCount: number
  start(plan?: CrashPlan, onCrash?: () => void): void
}

/** Lets promises, timers and the fiber scheduler run (a real macrotask turn). */
const turn = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 0)))

/** Idle turns in a row before the clock is moved: the scheduler may yield through a timer, so one is not proof. */
const settleTurns = 3
/** Idle turns with nothing scheduled at all before the run is declared stuck. */
const stuckTurns = 500
/**
 * Virtual time one run may take before it is declared stuck: far above any run's retries, backoffs and time limits,
 * so that a run that never ends (while other fibers keep the clock ticking) fails the history instead of looping on.
 */
const maxVirtualMs = 6 * 60 * 60 * 1000

export class StuckError extends Error {
  override readonly name = "StuckError"
}

/** What the runs of one history cost: macrotask turns, clock moves, virtual and real time, calls to side R. */
export class Meter {
  runs = 0
  turns = 0
  adjusts = 0
  virtualMs = 0
  realMs = 0
  calls = 0

  add(other: Meter, sign = 1): void {
    this.runs += sign * other.runs
    this.turns += sign * other.turns
    this.adjusts += sign * other.adjusts
    this.virtualMs += sign * other.virtualMs
    this.realMs += sign * other.realMs
    this.calls += sign * other.calls
  }

  /** What was spent since `earlier` (a copy of this meter taken then). */
  since(earlier: Meter): Meter {
    const spent = this.copy()
    spent.add(earlier, -1)
    return spent
  }

  copy(): Meter {
    const copy = new Meter()
    copy.add(this)
    return copy
  }

  toString(): string {
    return `${this.runs} run(s), ${this.calls} calls to side R, ${this.adjusts} clock moves over ${Math.round(this.virtualMs / 1000)} s virtual, ${this.turns} turns, ${this.realMs} ms real`
  }
}

/** When a history must be done by (epoch ms, real time), and what it has cost so far. */
export interface Budget {
  readonly deadline: number
  readonly seconds: number
  readonly meter: Meter
}

/**
 * Runs `effect` to its end and returns its exit. With a crash plan, the run is interrupted as soon as the wire says
 * the runner died (its exit is then an interruption), the way a killed process stops between two instructions.
 */
export const drive = <A, E, R>(
  wire: Wire,
  effect: Effect.Effect<A, E, R>,
  budget: Budget,
  crash?: CrashPlan
): Effect.Effect<Exit.Exit<A, E>, never, R> =>
  Effect.gen(function* () {
    // a daemon: should the run not end when interrupted (a request that cannot be aborted), the history fails anyway
    const fiber = yield* Effect.forkDaemon(effect)
    wire.start(crash, () => fiber.unsafeInterruptAsFork(FiberId.none))
    const meter = new Meter()
    meter.runs = 1
    const started = yield* TestClock.currentTimeMillis
    const realStart = Date.now()
    const measure = () => {
      meter.calls = wire.callCount
      meter.realMs = Date.now() - realStart
    }
    const finish = () => {
      measure()
      budget.meter.add(meter)
    }
    const stop = (error: Error) => {
      finish()
      return Effect.zipRight(Fiber.interruptFork(fiber), Effect.die(error))
    }
    let idle = 0
    let empty = 0
    for (;;) {
      yield* turn
      meter.turns++
      const exit = yield* Fiber.poll(fiber)
      if (Option.isSome(exit)) {
        finish()
        return exit.value
      }
      if (Date.now() > budget.deadline) {
        measure()
        return yield* stop(
          new StuckError(
            `the history exceeded its real-time budget of ${budget.seconds} s (TONGBU_SYSTEM_BUDGET_SECONDS), in this run: ${meter}; before it: ${budget.meter}`
          )
        )
      }
      if (wire.busy) {
        idle = 0
        continue
      }
      if (++idle < settleTurns) continue
      idle = 0
      const sleeps = yield* TestClock.sleeps()
      const now = yield* TestClock.currentTimeMillis
      const next = Chunk.reduce(sleeps, Number.POSITIVE_INFINITY, (a, b) => Math.min(a, b))
      // a wake-up already due that does not run is no progress either: moving the clock by nothing would loop forever
      if (Chunk.isEmpty(sleeps) || next <= now) {
        if (++empty > stuckTurns) {
          const parked = wire.parked
          return yield* stop(
            new StuckError(
              parked.length === 0
                ? "the run waits for nothing: no call to side R on its way and nothing (left to run) on the clock"
                : `the run waits for slow answers of side R it never gives up on (${parked.join(", ")}): a request whose time limit does not apply`
            )
          )
        }
        continue
      }
      empty = 0
      if (now - started > maxVirtualMs) {
        return yield* stop(
          new StuckError(`the run has not ended after ${maxVirtualMs / 3_600_000} hours of virtual time: ${meter}`)
        )
      }
      meter.adjusts++
      meter.virtualMs = next - started
      yield* TestClock.adjust(next - now)
    }
  })
