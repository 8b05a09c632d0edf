/**
 * The hub↔sql-table stack for one generated history, in-process: a generated hub file and a customer table in a temp
 * directory, the core's store beside them, the pair loaded from `tongbu.yaml` by the runner's own configuration, and
 * each run a fresh runner process (`RunnerProcess`) on the virtual clock. The table's adapter is reached through
 * `TableWire`, which counts its calls, can refuse them or lose their answers, and kills the runner at its Nth call.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { NodeContext } from "@effect/platform-node"
import { generateHubFile } from "@tongbu/adapter-wechat-hub"
import type { RunId, SyncStoreService } from "@tongbu/core"
import { RightAdapter } from "@tongbu/core"
import { Config } from "@tongbu/runner"
import type { Budget, CrashPlan } from "@tongbu/runner/testing"
import { drive, RunnerProcess } from "@tongbu/runner/testing"
import { SqliteStore } from "@tongbu/store-sqlite"
import Database from "better-sqlite3"
import type { Exit } from "effect"
import {
  ConfigProvider,
  Effect,
  Layer,
  Logger,
  LogLevel,
  ManagedRuntime,
  Option,
  Random,
  TestClock,
  TestContext
} from "effect"
import type { Settings as PairSettings } from "../../src/index.js"
import { pair } from "../../src/index.js"
import type { Faults } from "./wire.js"
import { TableWire } from "./wire.js"

export interface WorldOptions {
  readonly seed: number
  readonly hubCustomers: number
  /** Rows the table holds before the first run (its own customers, without a hub code). */
  readonly tableCustomers: number
}

/** The first time of a history: a day after the hub fixture's latest row. */
const START = Date.UTC(2025, 9, 21, 1)

const configYaml = `hub:
  database: hub.db
table:
  path: crm.db
  table: customers
  idColumn: id
  columns: { code: code, name: full_name, mobile: mobile, email: email }
  versionColumn: row_version
  keyColumn: sync_key
state:
  database: state.db
sync:
  maxAttempts: 5
`

/** The team's own table: a version counter every writer raises above the table's maximum. */
const tableDdl =
  "CREATE TABLE customers (id INTEGER PRIMARY KEY, code TEXT UNIQUE, full_name TEXT NOT NULL, mobile TEXT, email TEXT, row_version INTEGER NOT NULL DEFAULT 0, sync_key TEXT)"

export const tableNames = ["深圳市华强电子有限公司", "广州市天河科技有限公司", "赵丽华", "孙建国"]
export const tableMobiles = ["13700137001", "13700137002", "13700137003", "13700137004"]

type Settings = Config.Settings<PairSettings.Settings>

export class World {
  private constructor(
    readonly dir: string,
    readonly settings: Settings,
    readonly wire: TableWire,
    private readonly runtime: ManagedRuntime.ManagedRuntime<never, never>,
    /** The hub's own connection (its app's) and the table's (the team's screens). */
    readonly hub: Database.Database,
    readonly table: Database.Database,
    readonly budget: Budget
  ) {}

  static async make(options: WorldOptions, budget: Budget): Promise<World> {
    const dir = mkdtempSync(join(tmpdir(), "tongbu-system-table-"))
    const runtime = ManagedRuntime.make(
      Layer.mergeAll(
        TestContext.TestContext,
        NodeContext.layer,
        Logger.minimumLogLevel(LogLevel.None),
        Layer.setRandom(Random.make(options.seed))
      )
    )
    try {
      const settings = await runtime.runPromise(
        Effect.gen(function* () {
          yield* TestClock.setTime(START)
          yield* generateHubFile(join(dir, "hub.db"), {
            customers: options.hubCustomers,
            seed: options.seed,
            contacts: 2
          })
          writeFileSync(join(dir, "tongbu.yaml"), configYaml)
          return yield* Config.loadWith(pair)(Option.some(join(dir, "tongbu.yaml"))).pipe(
            Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
          )
        })
      )
      const table = new Database(join(dir, "crm.db"))
      table.exec(tableDdl)
      const insert = table.prepare("INSERT INTO customers (full_name, mobile, email, row_version) VALUES (?, ?, ?, ?)")
      for (let i = 0; i < options.tableCustomers; i++) insert.run(tableNames[i], tableMobiles[i], null, i + 1)
      const hub = new Database(join(dir, "hub.db"))
      hub.pragma("busy_timeout = 1000")
      return new World(dir, settings, new TableWire(options.seed), runtime, hub, table, budget)
    } catch (error) {
      await runtime.dispose()
      rmSync(dir, { recursive: true, force: true })
      throw error
    }
  }

  now(): Promise<number> {
    return this.runtime.runPromise(TestClock.currentTimeMillis)
  }

  elapse(minutes: number): Promise<void> {
    return this.runtime.runPromise(TestClock.adjust(`${minutes} minutes`))
  }

  private run<A, E>(effect: Effect.Effect<A, E>, crash?: CrashPlan): Promise<Exit.Exit<A, E>> {
    return this.runtime.runPromise(drive(this.wire, effect, this.budget, crash))
  }

  /** `tongbu sync` in a fresh process, the table's calls going through the wire (with `faults` meanwhile). */
  async sync(options: { readonly full: boolean; readonly faults?: Faults; readonly crash?: CrashPlan }) {
    const run = Effect.updateService(
      RunnerProcess.sync(pair, this.settings, { full: options.full }),
      RightAdapter,
      this.wire.wrap
    )
    this.wire.faults = options.faults
    try {
      const exit = await this.run(RunnerProcess.inProcess(pair, this.settings, run), options.crash)
      if (exit._tag === "Success") return { _tag: "Finished", report: exit.value } as const
      if (this.wire.crashed) return { _tag: "Crashed", calls: this.wire.callCount } as const
      throw new Error(`the sync run failed: ${String(exit.cause)}`)
    } finally {
      this.wire.faults = undefined
    }
  }

  /** `tongbu rollback <run>`, in a fresh process. */
  async rollback(target: RunId) {
    const exit = await this.run(
      RunnerProcess.inProcess(pair, this.settings, RunnerProcess.rollback(this.settings, target))
    )
    if (exit._tag === "Failure") throw new Error(`the rollback failed: ${String(exit.cause)}`)
    return exit.value
  }

  /** Reads the store in its own connection. */
  store<A, E>(read: (store: SyncStoreService) => Effect.Effect<A, E>): Promise<A> {
    const state = this.settings.state.store
    if (state._tag !== "Sqlite") throw new Error("the system suite's world keeps its state in a SQLite file")
    return this.effect(Effect.scoped(Effect.flatMap(SqliteStore.make({ filename: state.database }), read)))
  }

  effect<A, E>(effect: Effect.Effect<A, E, never>): Promise<A> {
    return this.runtime.runPromise(effect)
  }

  async close(): Promise<void> {
    this.hub.close()
    this.table.close()
    await this.runtime.dispose()
    rmSync(this.dir, { recursive: true, force: true })
  }
}
