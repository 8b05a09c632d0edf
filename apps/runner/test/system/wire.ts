/**
 * The runner's only way to the mock ERP: a `fetch` that hands each request to the mock in-process (no socket), keeps
 * count of the calls, knows which are still waiting for an answer (so the virtual clock is moved only while none is),
 * and can make the runner "crash" at its Nth call — before the call reaches the ERP, or after the ERP committed it
 * but before the answer comes back.
 */
import { AsyncLocalStorage } from "node:async_hooks"
import type { MockErp } from "@tongbu/mock-erp"
import type { CrashPlan, Wire } from "../../src/testing.js"

/** One request on the wire. A request whose answer the mock holds back ("slow") is parked: time may pass for it. */
interface Exchange {
  parked: boolean
  readonly signal: AbortSignal | undefined
  /** The page called, for a stuck run's message. */
  readonly page: string
}

const abortError = (signal: AbortSignal): unknown =>
  signal.reason ?? Object.assign(new Error("The operation was aborted"), { name: "AbortError" })

/**
 * What the dead runner's calls get. A dead process reads no answer: the interruption ends an interruptible call first,
 * and a call the runner made uninterruptibly (a finalizer's logout) sees its connection drop, so that the dead run ends.
 */
const gone = () =>
  Promise.reject<Response>(new TypeError("fetch failed", { cause: new Error("the runner process is gone") }))

export class ErpWire implements Wire {
  private readonly open = new Set<Exchange>()
  private readonly context = new AsyncLocalStorage<Exchange>()
  private plan: CrashPlan | undefined
  private onCrash: () => void = () => undefined
  private calls = 0
  /** Set once the runner died: the driver interrupts the run, and no later call of that process gets out. */
  crashed = false

  constructor(private readonly mock: MockErp) {}

  /** A call is on its way or being answered (a parked slow answer does not count: only the client's timeout ends it). */
  get busy(): boolean {
    for (const exchange of this.open) if (!exchange.parked) return true
    return false
  }

  /** A new runner process: calls counted from zero, dying at `plan` (then `onCrash` stops it) if given. */
  start(plan?: CrashPlan, onCrash: () => void = () => undefined): void {
    this.plan = plan
    this.onCrash = onCrash
    this.calls = 0
    this.crashed = false
  }

  /** The pages whose answers are held back for a client that has not given up on them (yet). */
  get parked(): ReadonlyArray<string> {
    return Array.from(this.open, (exchange) => (exchange.parked ? [exchange.page] : [])).flat()
  }

  get callCount(): number {
    return this.calls
  }

  /**
   * The mock's `sleep`: injected latency passes at once (virtual time is the clock's business); a slow answer is held
   * until the caller gives up on it (its request is aborted), which is what "slower than any client timeout" means.
   */
  readonly sleep = (ms: number): Promise<void> => {
    const exchange = this.context.getStore()
    if (ms < 5_000 || exchange?.signal === undefined) return Promise.resolve()
    const signal = exchange.signal
    exchange.parked = true
    return new Promise((resolve) => {
      if (signal.aborted) resolve()
      else signal.addEventListener("abort", () => resolve(), { once: true })
    })
  }

  readonly fetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (this.crashed) return gone()
    const n = ++this.calls
    const signal = init?.signal ?? undefined
    const url = input instanceof Request ? input.url : String(input)
    const exchange: Exchange = { parked: false, signal, page: new URL(url).pathname }
    this.open.add(exchange)
    const deliver = () => this.context.run(exchange, () => this.mock.fetch(input, init))
    const crash = this.plan?.at === n ? this.plan : undefined
    const answer: Promise<Response> =
      crash === undefined
        ? deliver().then((response) => (this.crashed ? gone() : response))
        : (crash.landed
            ? deliver().then(
                () => undefined,
                () => undefined
              )
            : Promise.resolve()
          ).then(() => {
            this.crashed = true
            this.onCrash()
            return gone()
          })
    const aborted = new Promise<never>((_, reject) => {
      if (signal === undefined) return
      if (signal.aborted) reject(abortError(signal))
      else signal.addEventListener("abort", () => reject(abortError(signal)), { once: true })
    })
    return Promise.race([answer, aborted]).finally(() => this.open.delete(exchange))
  }
}
