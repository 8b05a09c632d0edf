import type { Redacted } from "effect"
import { Duration } from "effect"
import type { ZhibangClientConfig } from "../ZhibangConfig.js"
import { defaults } from "../ZhibangConfig.js"

/** The client's configuration with every default filled in. */
export interface ResolvedConfig {
  readonly baseUrl: string
  readonly user: string
  readonly password: Redacted.Redacted<string>
  readonly serialnum: string
  readonly maxInFlight: number
  readonly requestsPerSecond: number
  readonly requestTimeout: Duration.Duration
  readonly readRetries: number
  readonly retryDelay: Duration.Duration
}

export const resolve = (config: ZhibangClientConfig): ResolvedConfig => ({
  baseUrl: config.baseUrl,
  user: config.user,
  password: config.password,
  serialnum: config.serialnum ?? defaults.serialnum,
  maxInFlight: config.maxInFlight ?? defaults.maxInFlight,
  requestsPerSecond: config.requestsPerSecond ?? defaults.requestsPerSecond,
  requestTimeout: Duration.decode(config.requestTimeout ?? defaults.requestTimeout),
  readRetries: config.readRetries ?? defaults.readRetries,
  retryDelay: Duration.decode(config.retryDelay ?? defaults.retryDelay)
})
