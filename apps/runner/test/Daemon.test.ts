import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { StoreFenced, SyncStore } from "@tongbu/core"
import { SqliteStore } from "@tongbu/store-sqlite"
import {
  Clock,
  ConfigProvider,
  Duration,
  Effect,
  Either,
  Fiber,
  HashMap,
  Layer,
  Logger,
  LogLevel,
  Option,
  Ref,
  TestClock
} from "effect"
import * as Config from "../src/Config.js"
import { ConfigError, parseConfigFile } from "../src/Config.js"
import * as Daemon from "../src/Daemon.js"
import { defaultPair } from "../src/DefaultPair.js"
import * as Lease from "../src/Lease.js"
import { isLoopback } from "../src/Server.js"

const HOUR = Duration.hours(1)
const schedules = (text: string) => {
  const parsed = parseConfigFile(text, "test.yaml")
  if (parsed._tag === "Left") throw new Error(parsed.left.message)
  return parsed.right.schedules
}

describe("the daemon's schedules", () => {
  it.effect("runs push hourly, pull at 02:00, the full reconciliation on Sundays (sync-rules §7 defaults)", () =>
    Effect.gen(function* () {
      const ran = yield* Ref.make<Array<string>>([])
      const jobs = Daemon.jobsOf(schedules("schedules:\n  timezone: UTC\n"))
      expect(jobs.map((j) => [j.name, j.direction, j.full])).toEqual([
        ["push", "push", false],
        ["pull", "pull", false],
        ["full", "both", true]
      ])
      const fiber = yield* Effect.fork(
        Daemon.runSchedules(jobs, (job) =>
          Effect.as(
            Ref.update(ran, (r) => [...r, job.name]),
            { runId: Option.none(), status: "completed" }
          )
        )
      )
      // the test clock starts on Thursday 1970-01-01 00:00 UTC; run to Sunday 04:00
      yield* TestClock.adjust(Duration.times(HOUR, 3 * 24 + 4))
      const names = yield* Ref.get(ran)
      expect(names.filter((n) => n === "push")).toHaveLength(3 * 24 + 4)
      expect(names.filter((n) => n === "pull")).toHaveLength(4)
      expect(names.filter((n) => n === "full")).toHaveLength(1)
      yield* Fiber.interrupt(fiber)
    })
  )

  it.effect("runs one job at a time, and a failing job does not stop the schedule", () =>
    Effect.gen(function* () {
      const spans = yield* Ref.make<Array<{ readonly job: string; readonly start: number; readonly end: number }>>([])
      const jobs = Daemon.jobsOf(schedules("schedules:\n  timezone: UTC\n  push: '0 * * * *'\n  pull: '30 * * * *'\n"))
      let calls = 0
      const run = (job: Daemon.Job) =>
        Effect.gen(function* () {
          if (++calls === 1) return yield* Effect.fail("the ERP is down")
          const start = yield* Clock.currentTimeMillis
          yield* Effect.sleep(Duration.minutes(45))
          const end = yield* Clock.currentTimeMillis
          yield* Ref.update(spans, (l) => [...l, { job: job.name, start, end }])
          return { runId: Option.none(), status: "completed" }
        })
      const fiber = yield* Effect.fork(Daemon.runSchedules(jobs.slice(0, 2), run))
      yield* TestClock.adjust(Duration.hours(4))
      const done = yield* Ref.get(spans)
      expect(new Set(done.map((s) => s.job))).toEqual(new Set(["push", "pull"]))
      const sorted = [...done].sort((a, b) => a.start - b.start)
      sorted.slice(1).forEach((span, i) => {
        expect(span.start).toBeGreaterThanOrEqual(sorted[i]?.end ?? Number.POSITIVE_INFINITY)
      })
      yield* Fiber.interrupt(fiber)
    })
  )
})

describe("the store's lease", () => {
  it.effect("a second holder waits for the first, then runs; they never overlap", () =>
    Effect.gen(function* () {
      const log = yield* Ref.make<Array<string>>([])
      const body = (name: string) =>
        Ref.update(log, (l) => [...l, `${name} in`]).pipe(
          Effect.zipRight(Effect.sleep(Duration.seconds(30))),
          Effect.zipRight(Ref.update(log, (l) => [...l, `${name} out`]))
        )
      const lease = Lease.withLease({ ttl: Duration.seconds(10), wait: Option.none() })
      const first = yield* Effect.fork(lease(body("a")))
      yield* TestClock.adjust(Duration.seconds(1))
      const second = yield* Effect.fork(lease(body("b")))
      yield* TestClock.adjust(Duration.seconds(20))
      expect(yield* Ref.get(log)).toEqual(["a in"])
      yield* TestClock.adjust(Duration.seconds(60))
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      expect(yield* Ref.get(log)).toEqual(["a in", "a out", "b in", "b out"])
    }).pipe(Effect.provide(SqliteStore.layer({ filename: ":memory:" })))
  )

  it.effect("gives up with LeaseBusy after its wait", () =>
    Effect.gen(function* () {
      const holder = yield* Effect.fork(
        Lease.withLease({ ttl: Duration.seconds(10), wait: Option.none() })(Effect.never)
      )
      yield* TestClock.adjust(Duration.seconds(1))
      const waiter = yield* Effect.fork(
        Effect.flip(
          Lease.withLease({ ttl: Duration.seconds(10), wait: Option.some(Duration.seconds(20)) })(Effect.void)
        )
      )
      yield* TestClock.adjust(Duration.seconds(30))
      const error = yield* Fiber.join(waiter)
      expect(error._tag).toBe("LeaseBusy")
      yield* Fiber.interrupt(holder)
    }).pipe(Effect.provide(SqliteStore.layer({ filename: ":memory:" })))
  )
})

describe("the daemon's address", () => {
  it("only loopback addresses count as local", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) expect(isLoopback(host), host).toBe(true)
    for (const host of ["0.0.0.0", "::", "192.168.1.20", "erp-sync.example.com"])
      expect(isLoopback(host), host).toBe(false)
  })

  it.effect("binding anywhere else without a token is refused before a store is opened or a job runs", () =>
    Effect.gen(function* () {
      const settings = yield* defaults
      const ran = yield* Ref.make(0)
      const error = yield* Effect.flip(
        Daemon.run({ daemon: { ...settings.daemon, host: "0.0.0.0" } }, [
          {
            id: "default",
            settings: Either.right(settings),
            metrics: [],
            labels: defaultPair.labels,
            store: Layer.die("the store is not opened"),
            sides: Layer.empty,
            runJob: () =>
              Effect.as(
                Ref.update(ran, (n) => n + 1),
                { runId: Option.none(), status: "completed" }
              )
          }
        ])
      )
      expect(error).toMatchObject({ _tag: "ConfigError" })
      expect(String((error as { message: string }).message)).toContain("TONGBU_DAEMON_TOKEN")
      expect(yield* Ref.get(ran)).toBe(0)
    }).pipe(Effect.provide(NodeContext.layer))
  )
})

const defaults = Config.load(Option.none()).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(new Map())))

/** A log line the daemon wrote: its level, its message and the pair it was about. */
interface Line {
  readonly level: string
  readonly message: string
  readonly pair: unknown
}

describe("the daemon's pairs", () => {
  it.effect(
    "each pair runs in its own fiber: a refusing ERP, a slow run, a busy lease or a bad configuration never stop another",
    () =>
      Effect.gen(function* () {
        const settings = yield* defaults
        const everySecond = {
          ...settings,
          daemon: { ...settings.daemon, port: 0 },
          schedules: {
            ...settings.schedules,
            push: "* * * * * *",
            pull: "0 0 1 1 *",
            full: "0 0 1 1 *",
            timezone: "UTC"
          }
        }
        const stores = yield* Effect.forEach(["healthy", "refused", "slow", "busy", "fenced", "broken"], (id) =>
          Effect.map(Layer.build(SqliteStore.layer({ filename: ":memory:" })), (context) => [id, context] as const)
        )
        const storeOf = (id: string) => Layer.succeedContext(stores.find(([name]) => name === id)![1])
        // another runner holds pair busy's lease for the whole test
        yield* Effect.provide(
          Effect.flatMap(SyncStore, (store) => store.acquireLease("another runner", 3_600_000)),
          storeOf("busy")
        )
        const runs = yield* Ref.make<Record<string, number>>({})
        const count = (id: string) => Ref.update(runs, (r) => ({ ...r, [id]: (r[id] ?? 0) + 1 }))
        const completed = { runId: Option.none(), status: "completed" }
        const pair = (
          id: string,
          runJob: Effect.Effect<Daemon.JobResult, unknown>,
          configured: typeof everySecond | ConfigError = everySecond
        ): Daemon.DaemonPair<never> => ({
          id,
          settings: configured instanceof ConfigError ? Either.left(configured) : Either.right(configured),
          metrics: [],
          labels: defaultPair.labels,
          store: storeOf(id),
          sides: Layer.empty,
          runJob: () => Effect.zipRight(count(id), runJob)
        })
        const lines = yield* Ref.make<Array<Line>>([])
        const logger = Logger.make(({ logLevel, message, annotations }) => {
          const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
          Effect.runSync(
            Ref.update(lines, (l) => [
              ...l,
              {
                level: logLevel.label,
                message: text,
                pair: HashMap.get(annotations, "pair").pipe(Option.getOrUndefined)
              }
            ])
          )
        })
        const daemon = yield* Effect.fork(
          Daemon.run(everySecond, [
            pair("healthy", Effect.succeed(completed)),
            pair("refused", Effect.fail(new Error("cannot reach the ERP: connection refused"))),
            pair("slow", Effect.as(Effect.sleep(Duration.hours(1)), completed)),
            pair("busy", Effect.succeed(completed)),
            pair(
              "fenced",
              Effect.fail(
                new StoreFenced({
                  holder: "host:1:abcd",
                  message:
                    "another tongbu runner (holder host:1:abcd) took this pair's lease; this runner's writes are refused"
                })
              )
            ),
            pair(
              "broken",
              Effect.succeed(completed),
              new ConfigError({ message: "key `pairs[5].erp.url`: expected an http(s) URL" })
            )
          ]).pipe(
            Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
            Logger.withMinimumLogLevel(LogLevel.Debug)
          )
        )
        yield* TestClock.adjust(Duration.seconds(10))
        const counted = yield* Ref.get(runs)
        expect(counted.healthy).toBeGreaterThanOrEqual(9)
        expect(counted.refused).toBeGreaterThanOrEqual(9)
        expect(counted.fenced).toBeGreaterThanOrEqual(9)
        // the slow pair's one run is still going: its next ticks wait for it, nobody else's do
        expect(counted.slow).toBe(1)
        expect(counted.busy).toBeUndefined()
        expect(counted.broken).toBeUndefined()
        const logged = yield* Ref.get(lines)
        const of = (id: string, level: string) => logged.filter((l) => l.pair === id && l.level === level)
        expect(of("refused", "ERROR").length).toBeGreaterThanOrEqual(9)
        expect(of("busy", "DEBUG").map((l) => l.message)).toContain(
          "another runner holds the lease of pair busy; skipped this tick"
        )
        // taken over by another runner: a warning, not a failure
        expect(of("fenced", "ERROR")).toEqual([])
        expect(of("fenced", "WARN")[0]?.message).toContain("another runner took pair fenced")
        expect(logged.filter((l) => l.level === "ERROR" && l.message.includes("pair broken is not run"))).toHaveLength(
          1
        )
        // each run held its pair's lease, released afterwards
        expect(
          yield* Effect.provide(
            Effect.flatMap(SyncStore, (store) => store.acquireLease("someone", 1000)),
            storeOf("healthy")
          )
        ).toBe(true)
        yield* Fiber.interrupt(daemon)
      }).pipe(Effect.scoped, Effect.provide(NodeContext.layer))
  )
})
