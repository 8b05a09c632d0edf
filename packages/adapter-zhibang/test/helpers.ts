import { FetchHttpClient } from "@effect/platform"
import type { IdempotencyKey, SyncAdapter } from "@tongbu/core"
import { RightAdapter } from "@tongbu/core"
import type { FaultSpec, MockErp, MockErpOptions } from "@tongbu/mock-erp"
import { createMockErp } from "@tongbu/mock-erp"
import { Effect, Layer, Option, Redacted, Stream } from "effect"
import { ZhibangAdapter, ZhibangClient } from "../src/index.js"
import type { ZhibangClientConfig } from "../src/ZhibangConfig.js"

export const start = Date.UTC(2025, 0, 6, 2, 0, 0)

/** A mock ERP on a fixed clock whose waits return at once. */
export const makeMock = (options: MockErpOptions = {}): MockErp =>
  createMockErp({ now: () => start, sleep: async () => {}, ...options })

/** Fast for tests: no pause before a read is tried again, no pacing that a frozen TestClock would stall. */
export const testConfig: ZhibangClientConfig = {
  baseUrl: "http://erp.test:8088",
  user: "admin",
  password: Redacted.make("admin123"),
  requestsPerSecond: 1_000_000,
  retryDelay: 0
}

/** The HTTP client on the mock's `fetch`: no socket is opened. */
export const httpOn = (fetch: typeof globalThis.fetch) =>
  FetchHttpClient.layer.pipe(Layer.provide(Layer.succeed(FetchHttpClient.Fetch, fetch)))

export interface Seen {
  readonly path: string
  // biome-ignore lint/suspicious/noExplicitAny: the request body as sent
  readonly body: any
  /** The `datas` pairs as an object. */
  readonly datas: Record<string, string | number>
}

/**
 * The mock's fetch with a hook run before each request reaches it (`n` counts from 0): to switch a fault on for one
 * call, or expire sessions between pages.
 */
export const hooked = (mock: MockErp, hook: (seen: Seen, n: number) => void) => {
  const seen: Array<Seen> = []
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const raw =
      typeof init?.body === "string"
        ? init.body
        : init?.body instanceof Uint8Array
          ? new TextDecoder().decode(init.body)
          : "{}"
    const body = JSON.parse(raw)
    const datas = Object.fromEntries(
      ((body.datas ?? []) as Array<{ id: string; val: string | number }>).map((d) => [d.id, d.val])
    )
    const call = { path: new URL(String(input)).pathname, body, datas }
    seen.push(call)
    hook(call, seen.length - 1)
    return mock.fetch(input, init)
  }
  return { fetch: fetch as typeof globalThis.fetch, seen }
}

export const clientOn = (
  mock: MockErp,
  config: Partial<ZhibangClientConfig> = {},
  fetch = mock.fetch as typeof globalThis.fetch
) => ZhibangClient.layer({ ...testConfig, ...config }).pipe(Layer.provide(httpOn(fetch)))

export const adapterOn = (
  mock: MockErp,
  config: Partial<ZhibangClientConfig> = {},
  adapter: typeof ZhibangAdapter.ZhibangAdapterConfig.Encoded = {},
  fetch = mock.fetch as typeof globalThis.fetch
) => ZhibangAdapter.layerRight(adapter).pipe(Layer.provideMerge(clientOn(mock, config, fetch)))

/** A hook that makes the mock apply `spec` (rates of 1) to the first request `at` matches, and to no other. */
export const faultAt = (mock: MockErp, at: (seen: Seen, n: number) => boolean, spec: FaultSpec) => {
  const first = firstOf(at)
  let armed = false
  return (seen: Seen, n: number) => {
    if (armed) mock.control.setFaults("none")
    armed = first(seen, n)
    if (armed) mock.control.setFaults({ name: "once", all: spec })
  }
}

/** `at`, true for the first request it matches only (not for the retries of that request). */
export const firstOf = (at: (seen: Seen, n: number) => boolean) => {
  let fired = false
  return (seen: Seen, n: number) => {
    if (fired || !at(seen, n)) return false
    fired = true
    return true
  }
}

export const isSave = (seen: Seen) => seen.body.cmdkey === "__sys_dosave"
export const isListPage = (page: number) => (seen: Seen) =>
  seen.path.endsWith("/custom/list.asp") && seen.datas.pageindex === page

/** Valid company customer fields; different `i` never collide on name, khid or mobile. */
export const customerFields = (i: number) => ({
  intsort: 1,
  name: `测试${i}号科技有限公司`,
  khid: `WX${i}`,
  sort1: "17,146",
  ly: 171,
  person_name: `联系人${i}`,
  mobile: `139${String(i).padStart(8, "0")}`
})

export interface RunOptions {
  readonly client?: Partial<ZhibangClientConfig>
  readonly adapter?: typeof ZhibangAdapter.ZhibangAdapterConfig.Encoded
  readonly hook?: Parameters<typeof hooked>[1]
}

/** Runs `f` with the adapter over `mock`; `seen` lists every request sent. */
export const withAdapter = <A, E>(
  mock: MockErp,
  f: (adapter: SyncAdapter) => Effect.Effect<A, E>,
  options: RunOptions = {}
) => {
  const wire = hooked(mock, options.hook ?? (() => undefined))
  const effect = Effect.flatMap(RightAdapter, f).pipe(
    Effect.provide(adapterOn(mock, options.client, options.adapter, wire.fetch))
  )
  return { effect, seen: wire.seen }
}

export const listIds = (adapter: SyncAdapter) =>
  Effect.map(Stream.runCollect(adapter.list({ since: Option.none() })), (entries) =>
    Array.from(entries, (entry) => entry.id)
  )

/** What the core's `reserve` does: remember the provisional id. */
export const reserving = () => {
  const reserved: Array<string> = []
  return { reserved, reserve: (id: string) => Effect.sync(() => void reserved.push(id)) }
}

export const key = (text: string) => text as IdempotencyKey
