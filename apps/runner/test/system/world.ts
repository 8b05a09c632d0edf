/**
 * The whole stack for one generated history, in-process and socket-free: a generated hub file in a temp directory,
 * the mock ERP reached through `ErpWire`, the core's store in a SQLite file beside it, and the runner's own
 * configuration, policy and layers (`Config.load`, `Environment.sync`, `runOnce`, `leased`). Every run builds fresh
 * layers over the same files — a new runner process — so a crash is an interrupted run followed by another one.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { FetchHttpClient } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { generateHubFile, openHubDatabase } from "@tongbu/adapter-wechat-hub"
import { ZhibangAdapter } from "@tongbu/adapter-zhibang"
import type { LeftAdapter, RunId, SyncAdapter, SyncStore, SyncStoreService } from "@tongbu/core"
import { RightAdapter, Rollback } from "@tongbu/core"
import type { FaultProfile, MockErp } from "@tongbu/mock-erp"
import { createMockErp, liveListColumns } from "@tongbu/mock-erp"
import { Sides } from "@tongbu/pair-hub-zhibang"
import { SqliteStore } from "@tongbu/store-sqlite"
import {
  ConfigProvider,
  Effect,
  Exit,
  Layer,
  Logger,
  LogLevel,
  ManagedRuntime,
  Option,
  Random,
  Schema,
  Scope,
  TestClock,
  TestContext
} from "effect"
import type { Settings } from "../../src/Config.js"
import * as Config from "../../src/Config.js"
import { leased, runOnce } from "../../src/commands/Sync.js"
import { defaultPair } from "../../src/DefaultPair.js"
import * as Layers from "../../src/Layers.js"
import * as Progress from "../../src/Progress.js"
import * as Reasons from "../../src/Reasons.js"
import type { Budget, CrashPlan } from "../../src/testing.js"
import { drive } from "../../src/testing.js"
import { ErpWire } from "./wire.js"

/**
 * A deliberately broken variant, to show the suite catches it (`TONGBU_BREAK`): "hub wins" configured for every
 * field instead of the user's "ERP wins", or the ERP adapter's `findCreated` answering "not created" always.
 */
export type Breakage = "none" | "hubWins" | "noFindCreated"

export interface WorldOptions {
  readonly seed: number
  readonly hubCustomers: number
  readonly erpCustomers: number
  /** The ERP refuses duplicate names and mobiles (查重, the mock's default); off, the sync's own rules are all there is. */
  readonly erpDedupe: boolean
  readonly breakage: Breakage
}

/**
 * Whether an edit of this customer field changes the ERP's list row (a view column `<field>name` counts), the list
 * having the live ERP's columns (zhibang-wire §list). The ERP has no modified-since filter, so an incremental run sees
 * an ERP edit only through a changed list row; an edit of a field the list does not show (khid, weixinAcc, email,
 * address, ly, jz) reaches the hub on the next full run (sync-rules §7).
 */
export const listedErpField = (field: string): boolean =>
  (liveListColumns as ReadonlyArray<string>).includes(field) ||
  (liveListColumns as ReadonlyArray<string>).includes(`${field}name`)

/** The first time of a history: a day after the fixture's latest row (the fixture's rows span 60 days before it). */
const START = Date.UTC(2025, 9, 21, 1)

/** The hub's SQLite connection, as the hub's own (Python) app would hold it. */
export type HubDb = Effect.Effect.Success<ReturnType<typeof openHubDatabase>>

const configYaml = (breakage: Breakage) => `erp:
  url: http://127.0.0.1:9
  user: admin
  passwordFile: erp-password
  concurrency: 5
  requestsPerSecond: 20
  timeoutSeconds: 30
hub:
  database: hub.db
state:
  database: state.db
sync:
  maxAttempts: 5
mapping:
  assignment:
    top: { minScore: 80, salespeople: ["61", "62"] }
    general: { minScore: 60, salespeople: ["63", "64"] }
${
  breakage === "hubWins"
    ? `policy:
  conflicts: { name: hubWins, mobile: hubWins, wechat: hubWins, email: hubWins, address: hubWins, erpCategory: hubWins, erpFollowLevel: hubWins, erpSource: hubWins, erpValue: hubWins }
`
    : ""
}`

const withoutFindCreated = (adapter: SyncAdapter): SyncAdapter => ({
  ...adapter,
  findCreated: () => Effect.succeedNone
})

const describe = (exit: Exit.Exit<unknown, unknown>): string =>
  exit._tag === "Success" ? "succeeded" : `failed: ${String(exit.cause)}`

export class World {
  private constructor(
    readonly options: WorldOptions,
    readonly dir: string,
    readonly settings: Settings,
    readonly mock: MockErp,
    readonly wire: ErpWire,
    private readonly runtime: ManagedRuntime.ManagedRuntime<never, never>,
    private readonly scope: Scope.CloseableScope,
    /** The hub's own connection: person edits in the hub, and the raw snapshots. */
    readonly hub: HubDb,
    /** What this history's runs may cost in real time, and what they cost so far. */
    readonly budget: Budget
  ) {}

  /** A new world; its runs fail with a `StuckError` once the budget's deadline has passed. */
  static async make(options: WorldOptions, budget: Budget): Promise<World> {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-system-"))
    const wire = new MockWireHolder()
    const mock = createMockErp({
      seed: { customers: options.erpCustomers, seed: options.seed },
      faultSeed: options.seed,
      uniqueFields: options.erpDedupe ? ["name", "mobile"] : [],
      listColumns: liveListColumns,
      now: () => wire.now(),
      sleep: (ms) => wire.get().sleep(ms)
    })
    const erpWire = new ErpWire(mock)
    wire.set(erpWire)
    const runtime = ManagedRuntime.make(
      Layer.mergeAll(
        TestContext.TestContext,
        NodeContext.layer,
        Logger.minimumLogLevel(LogLevel.None),
        Layer.setRandom(Random.make(options.seed))
      )
    )
    const setup = Effect.gen(function* () {
      yield* TestClock.setTime(START)
      const clock = yield* TestClock.testClock()
      wire.clock = () => clock.unsafeCurrentTimeMillis()
      yield* generateHubFile(join(dir, "hub.db"), {
        customers: options.hubCustomers,
        seed: options.seed,
        contacts: Math.max(2, Math.ceil(options.hubCustomers / 3))
      })
      writeFileSync(join(dir, "erp-password"), "admin123\n")
      writeFileSync(join(dir, "tongbu.yaml"), configYaml(options.breakage))
      const settings = yield* Config.load(Option.some(join(dir, "tongbu.yaml"))).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
      )
      const scope = yield* Scope.make()
      const hub = yield* Scope.extend(openHubDatabase({ path: join(dir, "hub.db"), busyTimeoutMs: 1000 }), scope)
      return { settings, scope, hub }
    })
    try {
      const { settings, scope, hub } = await runtime.runPromise(setup)
      return new World(options, dir, settings, mock, erpWire, runtime, scope, hub, budget)
    } catch (error) {
      await runtime.dispose()
      rmSync(dir, { recursive: true, force: true })
      throw error
    }
  }

  get hubPath(): string {
    return join(this.dir, "hub.db")
  }

  /** Now on the virtual clock (epoch ms). */
  now(): Promise<number> {
    return this.runtime.runPromise(TestClock.currentTimeMillis)
  }

  /** Time passes between two things people do (the hub's and the ERP's clocks move with it). */
  elapse(minutes: number): Promise<void> {
    return this.runtime.runPromise(TestClock.adjust(`${minutes} minutes`))
  }

  /** Runs `effect` on the virtual clock to its end (see `drive`). */
  private run<A, E>(effect: Effect.Effect<A, E, never>, crash?: CrashPlan): Promise<Exit.Exit<A, E>> {
    return this.runtime.runPromise(drive(this.wire, effect, this.budget, crash))
  }

  private async ok<A, E>(what: string, effect: Effect.Effect<A, E, never>): Promise<A> {
    const exit = await this.run(effect)
    if (exit._tag === "Failure") throw new Error(`${what} ${describe(exit)}`)
    return exit.value
  }

  /** The runner's layers for one process: the real ones, with the mock's wire for `fetch`. */
  private withEnvironment<A, E>(effect: Effect.Effect<A, E, LeftAdapter | RightAdapter | SyncStore>, dryRun = false) {
    const broken =
      this.options.breakage === "noFindCreated"
        ? Effect.updateService(effect, RightAdapter, withoutFindCreated)
        : effect
    const http = FetchHttpClient.layer.pipe(
      Layer.provide(Layer.succeed(FetchHttpClient.Fetch, this.wire.fetch as typeof globalThis.fetch))
    )
    return broken.pipe(
      Effect.provide(
        Layer.merge(
          Sides.layer(this.settings, {
            dryRun,
            http,
            lang: "en",
            word: (reason, lang) => Reasons.render(reason, lang, defaultPair.labels)
          }),
          Layers.store(this.settings)
        )
      ),
      Effect.provide(NodeContext.layer)
    )
  }

  /**
   * `tongbu sync` as the runner runs it (lease, policy, max attempts), in a fresh process: with the mock answering
   * with `faults` meanwhile, and dying at `crash` if given.
   */
  async sync(options: {
    readonly full: boolean
    readonly faults?: FaultProfile
    readonly crash?: CrashPlan
    readonly dryRun?: boolean
  }) {
    const request = { direction: "both" as const, dryRun: options.dryRun ?? false, full: options.full }
    const run = runOnce(defaultPair, this.settings, request, Progress.silent)
    const program = this.withEnvironment(request.dryRun ? run : leased(this.settings)(run), request.dryRun)
    if (options.faults) this.mock.control.setFaults(options.faults)
    try {
      const exit = await this.run(program, options.crash)
      if (exit._tag === "Success") return { _tag: "Finished", report: exit.value } as const
      if (this.wire.crashed) return { _tag: "Crashed", calls: this.wire.callCount } as const
      throw new Error(`the sync run ${describe(exit)}`)
    } finally {
      this.mock.control.setFaults("none")
    }
  }

  /** `tongbu rollback <run>`, in a fresh process. */
  rollback(target: RunId) {
    return this.ok("the rollback", this.withEnvironment(leased(this.settings)(Rollback.run(target, { dryRun: false }))))
  }

  /** Reads the store (links, runs, outbox, outcomes) in its own connection. */
  store<A, E>(read: (store: SyncStoreService) => Effect.Effect<A, E>): Promise<A> {
    const state = this.settings.state.store
    if (state._tag !== "Sqlite") throw new Error("the system suite's world keeps its state in a SQLite file")
    return this.effect(Effect.scoped(Effect.flatMap(SqliteStore.make({ filename: state.database }), read)))
  }

  /** The note the ERP adapter puts on a customer whose create was rolled back (its default: the runner sets none). */
  get withdrawNote(): string {
    return Schema.decodeSync(ZhibangAdapter.WithdrawRules)({}).note
  }

  /** Runs an effect that needs neither the ERP nor time (reading the hub file or the store). */
  effect<A, E>(effect: Effect.Effect<A, E, never>): Promise<A> {
    return this.runtime.runPromise(effect)
  }

  async close(): Promise<void> {
    await this.runtime.runPromise(Scope.close(this.scope, Exit.void))
    await this.runtime.dispose()
    this.mock.control.close()
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** The mock is made before the wire it is reached through; its clock is the runtime's, known once that exists. */
class MockWireHolder {
  private wire: ErpWire | undefined
  clock: () => number = () => START
  set(wire: ErpWire): void {
    this.wire = wire
  }
  get(): ErpWire {
    if (this.wire === undefined) throw new Error("the mock ERP was called before its wire was set up")
    return this.wire
  }
  now(): number {
    return this.clock()
  }
}
