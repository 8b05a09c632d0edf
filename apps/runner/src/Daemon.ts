import type { Direction, SyncStore } from "@tongbu/core"
import type { Pair } from "@tongbu/pair"
import { Cause, Clock, Cron, Duration, Effect, Option, Schedule } from "effect"
import type { RunnerSettings as Settings } from "./Config.js"
import { ConfigError } from "./Config.js"
import * as Http from "./Http.js"
import { holderId, withLease } from "./Lease.js"
import { isLoopback, listen } from "./Server.js"

/** One scheduled sync of sync-rules §7. */
export interface Job {
  readonly name: "push" | "pull" | "full"
  readonly cron: Cron.Cron
  readonly direction: Direction
  readonly full: boolean
}

/** The configured schedules as jobs: push hourly, pull nightly, a full reconciliation on Sundays (by default). */
export const jobsOf = (schedules: Settings["schedules"]): ReadonlyArray<Job> => {
  const cron = (expression: string) => Cron.unsafeParse(expression, schedules.timezone)
  return [
    { name: "push", cron: cron(schedules.push), direction: "push", full: false },
    { name: "pull", cron: cron(schedules.pull), direction: "pull", full: false },
    { name: "full", cron: cron(schedules.full), direction: "both", full: true }
  ]
}

/** What a finished job reports to /healthz and the log. */
export interface JobResult {
  readonly runId: Option.Option<string>
  readonly status: string
}

/**
 * Runs each job at its cron times, one at a time: a job that falls due while another runs starts when that one ends.
 * A failed job is logged and the schedule goes on (the alerts tell a person); it never stops the daemon.
 */
export const runSchedules = <E, R>(
  jobs: ReadonlyArray<Job>,
  run: (job: Job) => Effect.Effect<JobResult, E, R>,
  onFinish: (job: Job, result: Option.Option<JobResult>) => Effect.Effect<void> = () => Effect.void
) =>
  Effect.gen(function* () {
    const one = yield* Effect.makeSemaphore(1)
    const attempt = (job: Job) =>
      Effect.logInfo(`scheduled ${job.name} sync starts`).pipe(
        Effect.zipRight(run(job)),
        Effect.tap((result) => Effect.logInfo(`scheduled ${job.name} sync ${result.status}`)),
        Effect.asSome,
        Effect.catchAllCause((cause) =>
          Cause.isInterruptedOnly(cause)
            ? Effect.failCause(cause)
            : Effect.as(
                Effect.logError(`scheduled ${job.name} sync failed`, Cause.squash(cause)),
                Option.none<JobResult>()
              )
        ),
        Effect.flatMap((result) => onFinish(job, result)),
        one.withPermits(1)
      )
    return yield* Effect.forEach(jobs, (job) => attempt(job).pipe(Effect.schedule(Schedule.cron(job.cron))), {
      concurrency: "unbounded",
      discard: true
    }).pipe(Effect.zipRight(Effect.never))
  })

/**
 * `tongbu daemon`: waits for the store's lease (a second daemon on the same store waits here), then serves the HTTP
 * endpoints and runs the schedules until interrupted (SIGTERM/SIGINT), releasing the lease on the way out.
 */
export const run = <E, R>(
  settings: Settings,
  runJob: (job: Job) => Effect.Effect<JobResult, E, R>,
  /** The pair's metrics (listed on /metrics before their first update) and its side labels (named in /runs/:id). */
  pair: Pick<Pair.Any, "metrics" | "labels">
) =>
  Effect.gen(function* () {
    const { host, port } = settings.daemon
    if (!isLoopback(host) && Option.isNone(settings.daemon.token)) {
      return yield* new ConfigError({
        message: `daemon.host ${host} is reachable from other machines: set TONGBU_DAEMON_TOKEN (or daemon.tokenFile) to require a token`
      })
    }
    const holder = holderId()
    const health: { running: string | null; lastRun: Record<string, unknown> | null } = { running: null, lastRun: null }
    const serveAndRun = Effect.gen(function* () {
      yield* Effect.logInfo(`holding the store's lease as ${holder}`)
      const runtime = yield* Effect.runtime<SyncStore>()
      const app = Http.app(runtime, {
        token: settings.daemon.token,
        thresholds: settings.alerts,
        metrics: pair.metrics,
        labels: pair.labels,
        health: () => ({ holder, ...health })
      })
      const listening = yield* listen(app, host, port)
      yield* Effect.logInfo(`serving /healthz, /metrics, /runs on ${listening.url}`)
      const tracked = (job: Job) =>
        Effect.sync(() => {
          health.running = job.name
        }).pipe(Effect.zipRight(runJob(job)), Effect.ensuring(Effect.sync(() => (health.running = null))))
      return yield* runSchedules(jobsOf(settings.schedules), tracked, (job, result) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.sync(() => {
            health.lastRun = {
              job: job.name,
              runId: Option.getOrNull(Option.flatMap(result, (r) => r.runId)),
              status: Option.match(result, { onNone: () => "error", onSome: (r) => r.status }),
              at: new Date(now).toISOString()
            }
          })
        )
      )
    }).pipe(Effect.scoped)
    return yield* withLease({ ttl: Duration.seconds(settings.state.leaseSeconds), wait: Option.none(), holder })(
      serveAndRun
    )
  })
