/**
 * A realistic hub file for tests, the demo and benchmarks: the hub's own schema, N customers with the messiness of
 * real hub data (`customerCases`), their WeChat contacts, threads and signals, and WeChat-only contacts for intake
 * (`contactCases`). Deterministic for a seed. The only code in this package that writes DDL, always to a new file.
 */
import { existsSync, rmSync } from "node:fs"
import Database from "better-sqlite3"
import { Effect, Option, Schema } from "effect"
import { makeHubTimeZone } from "./HubTime.js"
import type { ContactCase, CustomerCase } from "./internal/fixtureCases.js"
import { contactCaseDefinitions, customerCaseDefinitions } from "./internal/fixtureCases.js"
import { fillHub } from "./internal/fixtureWriter.js"
import { hubDdl } from "./internal/hubDdl.js"

export type { ContactCase, CustomerCase } from "./internal/fixtureCases.js"

/** Each customer case: what it looks like and which admission rules it fails with the defaults (empty = admitted). */
export const customerCases: Record<
  CustomerCase,
  { readonly description: string; readonly failing: ReadonlyArray<string> }
> = customerCaseDefinitions

/** Each WeChat-only contact case, and whether intake makes it a customer. */
export const contactCases: Record<ContactCase, { readonly description: string; readonly promoted: boolean }> =
  contactCaseDefinitions

/** How a row's own timestamps were written: Python naive local, SQLite UTC, or Python `isoformat()`. */
export type StampStyle = "python" | "sqlite" | "iso"

export interface HubFixtureOptions {
  readonly customers: number
  readonly seed: number
  /** WeChat contacts without a customer row (intake candidates and not); default a quarter of `customers`. */
  readonly contacts?: number
  /** The zone of the naive timestamps written; default `Asia/Shanghai`. */
  readonly timeZone?: string
  /** The latest time in the file (epoch ms); rows are spread over the 60 days before. Default 2025-10-20. */
  readonly baseTime?: number
  /** Replace an existing file; default false (refuse). */
  readonly overwrite?: boolean
  /**
   * The ERP customers the linked rows (cases `linked`, `erp_born`) name, in order: each such row takes the next one,
   * with its name, code, mobile and kind, as the hub's own sync left it. Once they run out (and without any), a linked
   * row names ERP customer `100000 + id`, which no generated ERP has: a broken link, reported by the sync.
   */
  readonly erpCustomers?: ReadonlyArray<FixtureErpCustomer>
}

/** An ERP customer a linked hub row names (e.g. one the mock ERP was seeded with). */
export interface FixtureErpCustomer {
  readonly ord: number
  /** 1 company, 2 person. */
  readonly intsort: 1 | 2
  readonly name: string
  readonly khid: string | null
  readonly mobile: string | null
}

export interface FixtureCustomer {
  readonly id: number
  readonly case: CustomerCase
  readonly wechatId: string | null
  /** `phone` as the adapter must read it. */
  readonly phone: string | null
  readonly stampStyle: StampStyle
  /** Epoch ms of the row's `updated_at` (undefined when it is NULL). */
  readonly updatedAt: number | undefined
  /** The ERP customer a linked row names (`erp_customer_id`): one of `erpCustomers`, or a missing one. */
  readonly erpCustomerId?: number
  /** Whether that ERP customer is one of `erpCustomers` (false: a broken link). */
  readonly erpCustomerExists?: boolean
}

export interface FixtureContact {
  readonly wxId: string
  readonly case: ContactCase
}

export interface HubFixtureSummary {
  readonly path: string
  readonly customers: ReadonlyArray<FixtureCustomer>
  readonly contacts: ReadonlyArray<FixtureContact>
  readonly counts: {
    readonly customers: number
    readonly contacts: number
    readonly threads: number
    readonly signals: number
  }
}

export class HubFixtureError extends Schema.TaggedError<HubFixtureError>()("HubFixtureError", {
  path: Schema.String,
  message: Schema.String
}) {}

export const generateHubFile = (
  path: string,
  options: HubFixtureOptions
): Effect.Effect<HubFixtureSummary, HubFixtureError> =>
  Effect.try({
    try: () => {
      const zone = Option.getOrThrowWith(
        makeHubTimeZone(options.timeZone ?? "Asia/Shanghai"),
        () => new Error(`unknown time zone ${options.timeZone}`)
      )
      if (existsSync(path)) {
        if (options.overwrite !== true) throw new Error(`${path} exists; refusing to overwrite it`)
        for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true })
      }
      const sqlite = new Database(path)
      try {
        sqlite.pragma("journal_mode = WAL")
        sqlite.exec(hubDdl)
        return sqlite.transaction(() => fillHub(sqlite, path, options, zone))()
      } finally {
        sqlite.close()
      }
    },
    catch: (cause) =>
      new HubFixtureError({
        path,
        message: `cannot generate the hub file ${path}: ${cause instanceof Error ? cause.message : String(cause)}`
      })
  })
