/** How the hub adapter is set up: in code (`HubAdapter.layer`) or from the environment (`HubAdapter.layerConfig`). */
import { Config, Schema } from "effect"

export interface HubOptions {
  /** The hub's SQLite file (the hub's default is `data/data.db`). */
  readonly path: string
  /** The adapter's name in errors and reports. */
  readonly name: string
  /** The zone of the hub's naive Python timestamps: an IANA name or an offset like `+08:00`. */
  readonly timeZone: string
  /** Read SQLite's own stamp forms (`CURRENT_TIMESTAMP`) as UTC; off = every naive stamp is local (see `HubTime`). */
  readonly sqliteStampsUtc: boolean
  /** Create a pending `customers_unified` row for each promoted WeChat contact that has none, at each listing. */
  readonly intake: boolean
  /** Rows per query when listing. */
  readonly pageSize: number
  /** How long one statement waits for another writer's lock before failing with `SQLITE_BUSY` (blocks the thread). */
  readonly busyTimeoutMs: number
  /** Retries of a statement that failed with `SQLITE_BUSY`, with exponential backoff and jitter, before giving up. */
  readonly busyRetries: number
  /** The first backoff delay of those retries. */
  readonly busyBackoffMs: number
  /**
   * An incremental listing resumes this long before the previous listing started, so that a write the hub stamped
   * just before but committed just after (and SQLite's whole-second stamps) are not missed.
   */
  readonly lookbackMs: number
  /** The ERP code of a hub-born customer is this prefix and the hub id (sync-rules §1: `WX1024`). */
  readonly erpCodePrefix: string
}

export const defaultHubOptions: Omit<HubOptions, "path"> = {
  name: "hub",
  timeZone: "Asia/Shanghai",
  sqliteStampsUtc: true,
  intake: true,
  pageSize: 500,
  busyTimeoutMs: 200,
  busyRetries: 8,
  busyBackoffMs: 25,
  lookbackMs: 120_000,
  erpCodePrefix: "WX"
}

/** Options given in code: the path, and any defaults to override. */
export type HubOptionsInput = Partial<HubOptions> & { readonly path: string }

export const hubOptions = (input: HubOptionsInput): HubOptions => ({ ...defaultHubOptions, ...input })

const positiveInt = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: `${name} must be a positive whole number`, validation: (n) => n > 0 }),
    Config.withDefault(fallback)
  )

const nonNegativeInt = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: `${name} must be zero or a positive whole number`, validation: (n) => n >= 0 }),
    Config.withDefault(fallback)
  )

/** The environment: `TONGBU_HUB_DB` (required), and `TONGBU_HUB_*` for each option above. */
export const HubConfig: Config.Config<HubOptions> = Config.all({
  path: Config.nonEmptyString("TONGBU_HUB_DB"),
  name: Config.string("TONGBU_HUB_NAME").pipe(Config.withDefault(defaultHubOptions.name)),
  timeZone: Config.string("TONGBU_HUB_TIME_ZONE").pipe(Config.withDefault(defaultHubOptions.timeZone)),
  sqliteStampsUtc: Config.boolean("TONGBU_HUB_SQLITE_STAMPS_UTC").pipe(
    Config.withDefault(defaultHubOptions.sqliteStampsUtc)
  ),
  intake: Config.boolean("TONGBU_HUB_INTAKE").pipe(Config.withDefault(defaultHubOptions.intake)),
  pageSize: positiveInt("TONGBU_HUB_PAGE_SIZE", defaultHubOptions.pageSize),
  busyTimeoutMs: nonNegativeInt("TONGBU_HUB_BUSY_TIMEOUT_MS", defaultHubOptions.busyTimeoutMs),
  busyRetries: nonNegativeInt("TONGBU_HUB_BUSY_RETRIES", defaultHubOptions.busyRetries),
  busyBackoffMs: positiveInt("TONGBU_HUB_BUSY_BACKOFF_MS", defaultHubOptions.busyBackoffMs),
  lookbackMs: nonNegativeInt("TONGBU_HUB_LOOKBACK_MS", defaultHubOptions.lookbackMs),
  erpCodePrefix: Config.string("TONGBU_HUB_ERP_CODE_PREFIX").pipe(Config.withDefault(defaultHubOptions.erpCodePrefix))
})

/** An option that cannot work (an unknown time zone, a page size of zero). */
export class HubConfigError extends Schema.TaggedError<HubConfigError>()("HubConfigError", {
  message: Schema.String
}) {}
