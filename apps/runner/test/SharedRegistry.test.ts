import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { RecordId, RightAdapter } from "@tongbu/core"
import { serveMockErp } from "@tongbu/mock-erp"
import { Shared } from "@tongbu/pair"
import { Sides } from "@tongbu/pair-hub-zhibang"
import { ConfigProvider, Context, Effect, Either, Layer, Option } from "effect"
import { defaultPair } from "../src/DefaultPair.js"
import * as Pairs from "../src/Pairs.js"
import * as SharedRegistry from "../src/SharedRegistry.js"

/** A mock ERP that counts the requests it is serving at once (each waits 20 ms in the page). */
const countingErp = () =>
  Effect.acquireRelease(
    Effect.promise(async () => {
      const load = { now: 0, peak: 0 }
      const served = await serveMockErp({
        port: 0,
        seed: { customers: 30, seed: 7 },
        faults: { name: "steady", all: { latencyMs: [20, 20] } },
        // two sessions of one user are tolerated here, for the comparison with clients not shared
        kickOnRelogin: false,
        sleep: async (ms) => {
          load.now += 1
          load.peak = Math.max(load.peak, load.now)
          await new Promise((done) => setTimeout(done, ms))
          load.now -= 1
        }
      })
      return { ...served, load }
    }),
    (served) => Effect.promise(served.close)
  )

/** Two pairs of one ERP account (same base URL, same user), each allowed `concurrency` calls in flight. */
const twoPairs = (url: string, concurrency: readonly [number, number]) =>
  Effect.gen(function* () {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-shared-"))
    const file = join(dir, "tongbu.yaml")
    writeFileSync(
      file,
      `pairs:\n${["a", "b"]
        .map(
          (id, i) =>
            `  - id: ${id}\n    erp: { url: "${url}", user: admin, concurrency: ${concurrency[i]}, requestsPerSecond: 1000 }\n    hub: { database: ${id}.db }\n`
        )
        .join("")}`
    )
    const found = yield* Pairs.load(defaultPair, [], Option.some(file)).pipe(
      Effect.withConfigProvider(
        ConfigProvider.fromMap(
          new Map([
            ["TONGBU_A_ERP_PASSWORD", "admin123"],
            ["TONGBU_B_ERP_PASSWORD", "admin123"]
          ])
        )
      )
    )
    return found.pairs.map((entry) => Either.getOrThrow(entry.settings))
  })

/** Every customer read by both pairs at once, as fast as each pair's client lets it. */
const readEverything = (adapters: ReadonlyArray<Context.Context<RightAdapter>>, ords: ReadonlyArray<number>) =>
  Effect.forEach(
    adapters,
    (context) =>
      Effect.forEach(ords, (ord) => Context.get(context, RightAdapter).read(RecordId.make(String(ord))), {
        concurrency: "unbounded"
      }),
    { concurrency: "unbounded" }
  )

describe("pairs on one ERP account", () => {
  it.live(
    "share its client: one session, and never more calls in flight together than the account's bound",
    () =>
      Effect.gen(function* () {
        const erp = yield* countingErp()
        const ords = erp.mock.control.customers().map((c) => c.ord)
        const settings = yield* twoPairs(erp.url, [2, 2])
        const shared = yield* SharedRegistry.make
        const adapters = yield* Effect.forEach(settings, (s) => Layer.build(Sides.erp(s as never, undefined, shared)))
        const logins = erp.mock.control.callCounts().login ?? 0
        yield* readEverything(adapters, ords)
        expect(erp.load.peak).toBeLessThanOrEqual(2)
        expect(erp.load.peak).toBe(2)
        expect((erp.mock.control.callCounts().login ?? 0) - logins).toBe(1)

        // the same two pairs, nothing shared: each client keeps its own bound, and together they exceed the account's
        erp.load.peak = 0
        const apart = yield* Effect.forEach(settings, (s) =>
          Layer.build(Sides.erp(s as never, undefined, Shared.unshared))
        )
        yield* readEverything(apart, ords)
        expect(erp.load.peak).toBeGreaterThan(2)
      }).pipe(Effect.scoped, Effect.provide(NodeContext.layer)),
    30_000
  )

  it.live(
    "pairs of one account with different limits are refused, naming both",
    () =>
      Effect.gen(function* () {
        const erp = yield* countingErp()
        const settings = yield* twoPairs(erp.url, [2, 3])
        const shared = yield* SharedRegistry.make
        yield* Layer.build(Sides.erp(settings[0] as never, undefined, shared))
        const error = yield* Effect.flip(Layer.build(Sides.erp(settings[1] as never, undefined, shared)))
        expect(error.message).toBe(
          `the ERP account admin at ${erp.url} is shared with another pair configured with erp.concurrency 2, erp.requestsPerSecond 1000, erp.timeoutSeconds 30, this one with erp.concurrency 3, erp.requestsPerSecond 1000, erp.timeoutSeconds 30: give every pair of one account the same limits`
        )
      }).pipe(Effect.scoped, Effect.provide(NodeContext.layer)),
    30_000
  )
})
