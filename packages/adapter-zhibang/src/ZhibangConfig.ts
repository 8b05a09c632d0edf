import type { Redacted } from "effect"
import { Config, Duration } from "effect"

/** How to reach one ERP account, and how gently. */
export interface ZhibangClientConfig {
  /** The ERP's base URL, e.g. `http://erp.example.cn:8088` (pages are resolved under it). */
  readonly baseUrl: string
  /** The ERP account (a dedicated API user with customer and contact rights is recommended). */
  readonly user: string
  readonly password: Redacted.Redacted<string>
  /** Up to 20 letters/digits; only matters when the account is bound to a device serial number. */
  readonly serialnum?: string
  /** Requests in flight at once. Default 5: polite to a small IIS server. */
  readonly maxInFlight?: number
  /** Requests started per second (a whole number). Default 10. */
  readonly requestsPerSecond?: number
  /** One request's time limit. Default 30 seconds. */
  readonly requestTimeout?: Duration.DurationInput
  /** How often a failed read is tried again inside the client (writes never are). Default 3. */
  readonly readRetries?: number
  /** The first pause before a read is tried again; it doubles each time. Default 1 second. */
  readonly retryDelay?: Duration.DurationInput
}

/** What an unset option means. */
export const defaults = {
  serialnum: "tongbusync",
  maxInFlight: 5,
  requestsPerSecond: 10,
  requestTimeout: Duration.seconds(30),
  readRetries: 3,
  retryDelay: Duration.seconds(1)
} as const

const positive = (name: string) => (config: Config.Config<number>) =>
  Config.validate(config, { message: `${name} must be greater than 0`, validation: (n) => n > 0 })

/**
 * The client's configuration from the environment (or any `ConfigProvider`), under `ZHIBANG_`: `BASE_URL`, `USER`,
 * `PASSWORD` (secret), and optionally `SERIALNUM`, `MAX_IN_FLIGHT`, `REQUESTS_PER_SECOND`, `REQUEST_TIMEOUT`,
 * `READ_RETRIES`, `RETRY_DELAY`.
 */
export const fromEnv: Config.Config<ZhibangClientConfig> = Config.all({
  baseUrl: Config.string("BASE_URL").pipe(
    Config.validate({
      message: "must be an http(s) URL such as http://erp.example.cn:8088",
      validation: (url) => URL.canParse(url) && /^https?:/i.test(url)
    })
  ),
  user: Config.nonEmptyString("USER"),
  password: Config.redacted("PASSWORD"),
  serialnum: Config.string("SERIALNUM").pipe(
    Config.validate({
      message: "must be up to 20 letters or digits",
      validation: (s) => /^[A-Za-z0-9]{1,20}$/.test(s)
    }),
    Config.withDefault(defaults.serialnum)
  ),
  maxInFlight: Config.integer("MAX_IN_FLIGHT").pipe(
    positive("MAX_IN_FLIGHT"),
    Config.withDefault(defaults.maxInFlight)
  ),
  requestsPerSecond: Config.integer("REQUESTS_PER_SECOND").pipe(
    positive("REQUESTS_PER_SECOND"),
    Config.withDefault(defaults.requestsPerSecond)
  ),
  requestTimeout: Config.duration("REQUEST_TIMEOUT").pipe(Config.withDefault(defaults.requestTimeout)),
  readRetries: Config.integer("READ_RETRIES").pipe(Config.withDefault(defaults.readRetries)),
  retryDelay: Config.duration("RETRY_DELAY").pipe(Config.withDefault(defaults.retryDelay))
}).pipe(Config.nested("ZHIBANG"))
