import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { SyncStore } from "@tongbu/core"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Clock, ConfigProvider, Duration, Effect, Fiber, Option, Ref, TestClock } from "effect"
import * as Config from "../src/Config.js"
import { parseConfigFile } from "../src/Config.js"
import * as Daemon from "../src/Daemon.js"
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

  it.effect("binding anywhere else without a token is refused before the lease is taken or a job runs", () =>
    Effect.gen(function* () {
      const settings = yield* Config.load(Option.none()).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
      )
      const ran = yield* Ref.make(0)
      const error = yield* Effect.flip(
        Daemon.run({ ...settings, daemon: { ...settings.daemon, host: "0.0.0.0" } }, () =>
          Effect.as(
            Ref.update(ran, (n) => n + 1),
            { runId: Option.none(), status: "completed" }
          )
        )
      )
      expect(error._tag).toBe("ConfigError")
      expect(error.message).toContain("TONGBU_DAEMON_TOKEN")
      expect(yield* Ref.get(ran)).toBe(0)
      expect(yield* (yield* SyncStore).acquireLease("someone else", 1000)).toBe(true)
    }).pipe(Effect.provide(SqliteStore.layer({ filename: ":memory:" })), Effect.provide(NodeContext.layer))
  )
})
