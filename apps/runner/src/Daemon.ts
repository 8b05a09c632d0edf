import type { Direction, SyncStoreService } from "@tongbu/core"
import { SyncStore } from "@tongbu/core"
import type { ConfigError, Pair } from "@tongbu/pair"
import type { Layer } from "effect"
import { Cause, Chunk, Clock, Context, Cron, Duration, Effect, Either, Option, Random, Schedule } from "effect"
import type { RunnerSettings, RunnerSettings as Settings } from "./Config.js"
import { ConfigError as ConfigProblem } from "./Config.js"
import * as Http from "./Http.js"
import { lazily } from "./internal/lazily.js"
import { holderId, ifFree } from "./Lease.js"
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

/** What a finished job reports to /healthz and the log; `skipped`: another runner held the pair's lease. */
export interface JobResult {
  readonly runId: Option.Option<string>
  readonly status: string
}

const SKIPPED = "skipped"

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
      run(job).pipe(
        Effect.tap((result) =>
          result.status === SKIPPED ? Effect.void : Effect.logInfo(`scheduled ${job.name} sync ${result.status}`)
        ),
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

/** One pair of the daemon: its settings (or what is wrong with them), its store and sides, and one run of a job. */
export interface DaemonPair<R, RIn = never> {
  readonly id: string
  readonly settings: Either.Either<RunnerSettings, ConfigError>
  /** The pair's metrics, listed on /metrics before their first update. */
  readonly metrics: ReadonlyArray<Pair.PairMetric>
  /** What the pair calls its sides, named in /runs/:id. */
  readonly labels: Pair.Labels
  readonly store: Layer.Layer<SyncStore, unknown, RIn>
  /** Built at the pair's first run and kept for the daemon's life (one ERP session), built again after a failure. */
  readonly sides: Layer.Layer<R, unknown, RIn>
  readonly runJob: (job: Job) => Effect.Effect<JobResult, unknown, R | SyncStore>
}

/** The run stopped because this runner lost the pair: it could not renew its lease in time, or another took it. */
const takenOver = (cause: Cause.Cause<unknown>): Option.Option<string> =>
  Option.flatMap(Cause.failureOption(cause), (error) => {
    const tag = typeof error === "object" && error !== null && "_tag" in error ? error._tag : undefined
    const message = typeof error === "object" && error !== null && "message" in error ? String(error.message) : ""
    return tag === "StoreFenced" || tag === "LeaseLost" ? Option.some(message) : Option.none()
  })

/**
 * Between two pairs' attempts of a tick: a runner tries its pairs in its own shuffled order, 50 ms apart (closer for
 * over 20 pairs, so that the last one starts within a second of the tick).
 */
const staggerOf = (pairs: number): Duration.Duration => Duration.millis(Math.min(50, 1000 / Math.max(1, pairs)))

interface PairHealth {
  readonly id: string
  running: string | null
  lastRun: Record<string, unknown> | null
  error: string | null
}

/**
 * `tongbu daemon`: serves the HTTP endpoints and runs every pair's schedules, each pair in its own fiber, until
 * interrupted (SIGTERM/SIGINT). A pair's run holds that pair's lease; a pair whose lease another runner holds is
 * skipped this tick, so daemons started on one configuration share the pairs, and a killed daemon's pairs are taken
 * by another once their leases expire. A pair's bad configuration, failure or slowness never stops nor delays another.
 */
export const run = <R, RIn>(
  runner: { readonly daemon: RunnerSettings["daemon"] },
  pairs: ReadonlyArray<DaemonPair<R, RIn>>
) =>
  Effect.gen(function* () {
    const { host, port } = runner.daemon
    if (!isLoopback(host) && Option.isNone(runner.daemon.token)) {
      return yield* new ConfigProblem({
        message: `daemon.host ${host} is reachable from other machines: set TONGBU_DAEMON_TOKEN (or daemon.tokenFile) to require a token`
      })
    }
    const holder = holderId()
    const scope = yield* Effect.scope
    const order = Chunk.toReadonlyArray(yield* Random.shuffle(pairs.map((pair) => pair.id)))
    const prepared = yield* Effect.forEach(pairs, (pair) =>
      Effect.all({
        store: lazily(pair.store, scope),
        sides: lazily(pair.sides, scope)
      }).pipe(
        Effect.map((built) => ({
          pair,
          ...built,
          health: { id: pair.id, running: null, lastRun: null, error: null } as PairHealth,
          delay: Duration.times(staggerOf(pairs.length), order.indexOf(pair.id))
        }))
      )
    )
    const app = Http.app({
      token: runner.daemon.token,
      health: () => ({ holder, pairs: prepared.map((p) => p.health) }),
      pairs: prepared.flatMap((p) =>
        Either.isRight(p.pair.settings)
          ? [
              {
                id: p.pair.id,
                thresholds: p.pair.settings.right.alerts,
                metrics: p.pair.metrics,
                labels: p.pair.labels,
                store: Effect.map(p.store, (context): SyncStoreService => Context.get(context, SyncStore))
              }
            ]
          : []
      )
    })
    const listening = yield* listen(app, host, port)
    yield* Effect.logInfo(`serving /healthz, /metrics, /runs on ${listening.url} as ${holder}`)
    return yield* Effect.forEach(
      prepared,
      (p) =>
        Either.match(p.pair.settings, {
          onLeft: (error) =>
            Effect.sync(() => {
              p.health.error = error.message
            }).pipe(Effect.zipRight(Effect.logError(`pair ${p.pair.id} is not run: ${error.message}`))),
          onRight: (settings) => {
            const ttl = Duration.seconds(settings.state.leaseSeconds)
            const attempt = (job: Job) =>
              Effect.gen(function* () {
                yield* Effect.sleep(p.delay)
                const context = yield* Effect.zip(p.store, p.sides)
                const body = Effect.logInfo(`scheduled ${job.name} sync starts`).pipe(
                  Effect.zipRight(
                    Effect.sync(() => {
                      p.health.running = job.name
                    })
                  ),
                  Effect.zipRight(p.pair.runJob(job)),
                  Effect.ensuring(Effect.sync(() => (p.health.running = null)))
                )
                const ran = yield* ifFree({ ttl, holder })(body).pipe(
                  Effect.provide(context[0]),
                  Effect.provide(context[1])
                )
                if (Option.isNone(ran)) {
                  yield* Effect.logDebug(`another runner holds the lease of pair ${p.pair.id}; skipped this tick`)
                  return { runId: Option.none(), status: SKIPPED }
                }
                return ran.value
              }).pipe(
                Effect.catchAllCause((cause) =>
                  Option.match(takenOver(cause), {
                    onNone: () => Effect.failCause(cause),
                    onSome: (why) =>
                      Effect.as(
                        Effect.logWarning(
                          `another runner took pair ${p.pair.id} (this one stalled past the lease); its run stopped here: ${why}`
                        ),
                        { runId: Option.none(), status: "taken over" }
                      )
                  })
                )
              )
            return runSchedules(jobsOf(settings.schedules), attempt, (job, result) =>
              Option.exists(result, (r) => r.status === SKIPPED)
                ? Effect.void
                : Effect.flatMap(Clock.currentTimeMillis, (now) =>
                    Effect.sync(() => {
                      p.health.lastRun = {
                        job: job.name,
                        runId: Option.getOrNull(Option.flatMap(result, (r) => r.runId)),
                        status: Option.match(result, { onNone: () => "error", onSome: (r) => r.status }),
                        at: new Date(now).toISOString()
                      }
                    })
                  )
            ).pipe(Effect.annotateLogs("pair", p.pair.id), Effect.tagMetrics("pair", p.pair.id))
          }
        }),
      { concurrency: "unbounded", discard: true }
    ).pipe(Effect.zipRight(Effect.never))
  }).pipe(Effect.scoped)
