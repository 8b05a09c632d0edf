import type { AckLostMode, FaultProfile, TransientFault } from "../FaultProfile.js"
import type { Endpoint, FaultKind } from "../Model.js"
import { type Answer, backendDown, crashAnswer, proxyError } from "./answer.js"
import type { Rng } from "./rng.js"

/** What the faults do to one call, drawn before it runs. */
export interface FaultPlan {
  readonly latencyMs: number
  readonly transient: TransientFault | undefined
  readonly sessionExpiry: boolean
  readonly ackLost: AckLostMode | undefined
  readonly slowMs: number
  readonly kinds: ReadonlyArray<FaultKind>
}

export const drawFaults = (profile: FaultProfile, endpoint: Endpoint, rng: Rng): FaultPlan => {
  const spec = profile.endpoints?.[endpoint] ?? profile.all ?? {}
  const kinds: Array<FaultKind> = []
  let latencyMs = 0
  if (spec.latencyMs) {
    const [min, max] = spec.latencyMs
    latencyMs = min + rng.next() * Math.max(0, max - min)
    if (latencyMs > 0) kinds.push("latency")
  }
  const transient = rng.chance(spec.transientRate ?? 0)
    ? rng.pick<TransientFault>(spec.transientKinds ?? ["proxy502"])
    : undefined
  if (transient) kinds.push(transient)
  const sessionExpiry = !transient && rng.chance(spec.sessionExpiryRate ?? 0)
  if (sessionExpiry) kinds.push("sessionExpiry")
  const ackLost =
    !transient && rng.chance(spec.ackLostRate ?? 0) ? rng.pick<AckLostMode>(spec.ackLostModes ?? ["reset"]) : undefined
  if (ackLost) kinds.push("ackLost")
  const slow = !transient && !ackLost && rng.chance(spec.slowRate ?? 0)
  if (slow) kinds.push("slow")
  return { latencyMs, transient, sessionExpiry, ackLost, slowMs: slow ? (spec.slowMs ?? 60_000) : 0, kinds }
}

export const transientAnswer = (fault: TransientFault): Answer => {
  switch (fault) {
    case "proxy502":
      return proxyError(502)
    case "proxy504":
      return proxyError(504)
    case "backendDown":
      return backendDown()
    case "crash":
      return crashAnswer("Microsoft OLE DB Provider for SQL Server 错误 '80004005' [DBNETLIB]连接失败。", "fault")
  }
}

export const ackLostAnswer = (mode: AckLostMode): Answer =>
  mode === "reset" ? { type: "reset", kind: "fault" } : proxyError(502)
