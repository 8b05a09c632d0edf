import { describe, expect, it } from "@effect/vitest"
import { RecordId } from "@tongbu/core"
import type { FaultSpec } from "@tongbu/mock-erp"
import { Effect, Exit, FastCheck as fc, Option } from "effect"
import type { Seen } from "./helpers.js"
import { customerFields, faultAt, key, listIds, makeMock, reserving, withAdapter } from "./helpers.js"

const numRuns = Number(process.env.TONGBU_PROP_RUNS ?? 25)
// each run talks to a fresh mock ERP: a soak with many runs needs more time than vitest's default
const timeout = Math.max(10_000, numRuns * 1_000)

describe("ZhibangAdapter: properties over the mock ERP", () => {
  it.effect.prop(
    "listing returns every customer exactly once, for any ERP content, page size and row shape",
    [
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.integer({ min: 1, max: 30 }),
      fc.constantFrom("array" as const, "object-wrapped" as const),
      fc.constantFrom("empty" as const, "missing" as const)
    ],
    ([customers, seed, pageSize, rowShape, emptyList]) => {
      const mock = makeMock({ seed: { customers, seed }, rowShape, emptyList })
      return Effect.map(withAdapter(mock, listIds, { adapter: { pageSize } }).effect, (ids) => {
        expect(ids).toEqual(mock.control.customers().map((c) => String(c.ord)))
      })
    },
    { timeout, fastCheck: { numRuns } }
  )

  /** One fault, as the mock makes it (or a login elsewhere), on the request `at` picks. */
  const faults: Record<string, FaultSpec | "kick"> = {
    "ack lost (connection reset)": { ackLostRate: 1, ackLostModes: ["reset"] },
    "ack lost (proxy 502)": { ackLostRate: 1, ackLostModes: ["proxy502"] },
    "proxy 502": { transientRate: 1, transientKinds: ["proxy502"] },
    "proxy 504": { transientRate: 1, transientKinds: ["proxy504"] },
    "backend down": { transientRate: 1, transientKinds: ["backendDown"] },
    "crash envelope": { transientRate: 1, transientKinds: ["crash"] },
    "session expired": { sessionExpiryRate: 1 },
    "kicked by another login": "kick"
  }

  it.effect.prop(
    "a create repeated after any single injected fault never makes two ERP customers",
    [
      fc.constantFrom(...Object.keys(faults)),
      fc.integer({ min: 0, max: 8 }),
      fc.integer({ min: 0, max: 8 }),
      fc.integer({ min: 0, max: 1_000_000 })
    ],
    ([fault, at, existing, seed]) => {
      const mock = makeMock({ seed: { customers: existing, seed } })
      const spec = faults[fault]!
      const pick = (_: Seen, n: number) => n === at
      const hook =
        spec === "kick"
          ? (seen: Seen, n: number) => {
              if (pick(seen, n)) mock.control.kickSessions()
            }
          : faultAt(mock, pick, spec)
      const fields = customerFields(900_000 + seed)
      const before = mock.control.customers().length
      const { effect } = withAdapter(
        mock,
        (adapter) =>
          Effect.gen(function* () {
            // what the core does: create; after a transient failure, ask findCreated before creating again
            const reserve = reserving()
            for (let attempt = 0; attempt < 3; attempt++) {
              if (attempt > 0) {
                const found = yield* adapter.findCreated({
                  key: key("p"),
                  sourceId: RecordId.make("1"),
                  fields,
                  provisionalId: Option.fromNullable(reserve.reserved.at(-1))
                })
                if (Option.isSome(found)) return found.value
              }
              const exit = yield* Effect.exit(
                adapter.create({ key: key("p"), sourceId: RecordId.make("1"), fields, reserve: reserve.reserve })
              )
              if (Exit.isSuccess(exit)) return exit.value.id
              const error = yield* Effect.flip(exit)
              if (error._tag !== "TransientError")
                return yield* Effect.dieMessage(`${fault} at request ${at}: ${error._tag} ${error.message}`)
            }
            return yield* Effect.dieMessage(`${fault} at request ${at}: still not created after 3 attempts`)
          }),
        { hook, client: { readRetries: 2 } }
      )
      return Effect.map(effect, (id) => {
        const made = mock.control.customers().filter((c) => c.fields.khid === fields.khid)
        expect(made.map((c) => String(c.ord))).toEqual([id])
        expect(mock.control.customers()).toHaveLength(before + 1)
      })
    },
    { timeout, fastCheck: { numRuns: numRuns * 4 } }
  )
})
