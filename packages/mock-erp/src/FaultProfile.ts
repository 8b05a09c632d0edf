import type { Endpoint } from "./Model.js"

/** A failure before the page runs: nothing is written. */
export type TransientFault = "proxy502" | "proxy504" | "backendDown" | "crash"

/** How an answer is lost after the page ran (and committed its write). */
export type AckLostMode = "reset" | "proxy502"

/** The faults of one endpoint. Every rate is a probability per call, drawn from the mock's seeded fault RNG. */
export interface FaultSpec {
  /** Extra delay before the page runs, uniform in [min, max] milliseconds. */
  readonly latencyMs?: readonly [number, number]
  /** The call fails before reaching the page: an HTML 502/504 from a reverse proxy, the plain-text "backend
   * not started" answer, or the crash envelope with status "11". */
  readonly transientRate?: number
  readonly transientKinds?: ReadonlyArray<TransientFault>
  /** The caller's session expires just before the call (it stays expired: log in again). */
  readonly sessionExpiryRate?: number
  /** The page runs and commits, then its answer is lost: a connection reset, or a proxy 502. */
  readonly ackLostRate?: number
  readonly ackLostModes?: ReadonlyArray<AckLostMode>
  /** The page runs and commits, then the answer waits `slowMs` (longer than any sane client timeout). */
  readonly slowRate?: number
  readonly slowMs?: number
}

export interface FaultProfile {
  readonly name: string
  /** For every endpoint that has no entry of its own. */
  readonly all?: FaultSpec
  readonly endpoints?: Partial<Record<Endpoint, FaultSpec>>
}

/** The endpoints that write: where a lost answer hides a committed change. */
export const writeEndpoints: ReadonlyArray<Endpoint> = [
  "customer.allocate",
  "customer.save",
  "customer.v3add",
  "customer.v3edit",
  "assign",
  "followUp",
  "contact.save",
  "pool.apply",
  "pool.approve",
  "pool.takeback",
  "pool.protect",
  "pool.unprotect"
]

const onWrites = (spec: FaultSpec): Partial<Record<Endpoint, FaultSpec>> =>
  Object.fromEntries(writeEndpoints.map((endpoint) => [endpoint, spec]))

const allTransients: ReadonlyArray<TransientFault> = ["proxy502", "proxy504", "backendDown", "crash"]

export const faultProfiles = {
  none: { name: "none" },
  flaky: { name: "flaky", all: { latencyMs: [0, 30], transientRate: 0.1, transientKinds: allTransients } },
  sessions: { name: "sessions", all: { sessionExpiryRate: 0.05 } },
  "ack-lost": { name: "ack-lost", endpoints: onWrites({ ackLostRate: 0.2, ackLostModes: ["reset", "proxy502"] }) },
  slow: { name: "slow", all: { latencyMs: [100, 800], slowRate: 0.05, slowMs: 60_000 } },
  chaos: {
    name: "chaos",
    all: {
      latencyMs: [0, 200],
      transientRate: 0.05,
      transientKinds: allTransients,
      sessionExpiryRate: 0.02,
      slowRate: 0.01,
      slowMs: 60_000
    },
    endpoints: onWrites({
      latencyMs: [0, 200],
      transientRate: 0.05,
      transientKinds: allTransients,
      sessionExpiryRate: 0.02,
      ackLostRate: 0.1,
      ackLostModes: ["reset", "proxy502"],
      slowRate: 0.01,
      slowMs: 60_000
    })
  }
} as const satisfies Record<string, FaultProfile>

export type FaultProfileName = keyof typeof faultProfiles

export const isFaultProfileName = (name: string): name is FaultProfileName => Object.hasOwn(faultProfiles, name)

/** A profile by name or as given. */
export const resolveFaultProfile = (profile: FaultProfile | FaultProfileName): FaultProfile => {
  if (typeof profile !== "string") return profile
  return faultProfiles[profile]
}
