import { Duration, Effect, Schedule } from "effect"
import type { AdapterError } from "../AdapterError.js"

/** A side's transient failures retried with jittered exponential backoff (200 ms, four more tries); others pass. */
export const retryTransient = <A, R>(effect: Effect.Effect<A, AdapterError, R>) =>
  Effect.retry(effect, {
    schedule: Schedule.jittered(Schedule.exponential(Duration.millis(200))),
    times: 4,
    while: (error) => error._tag === "TransientError"
  })
