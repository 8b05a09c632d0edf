import { Command, Options } from "@effect/cli"
import { faultProfiles, isFaultProfileName, serve } from "@tongbu/mock-erp"
import { Console, Data, Effect, Option } from "effect"
import { common, guard, output } from "../Handler.js"

const nonNegative = (name: string, fallback: number, description: string) =>
  Options.integer(name).pipe(
    Options.withDescription(description),
    Options.withDefault(fallback),
    Options.filterMap((n) => (n >= 0 ? Option.some(n) : Option.none()), `--${name} must be a whole number ≥ 0`)
  )

const options = {
  json: common.json,
  port: nonNegative("port", 46088, "port to listen on (0 = any free port)"),
  host: Options.text("host").pipe(Options.withDescription("address to bind"), Options.withDefault("127.0.0.1")),
  seed: nonNegative("seed", 0, "start with this many generated customers"),
  rngSeed: nonNegative("rng-seed", 1, "seed of the data generator and of the fault draws"),
  faults: Options.choice("faults", Object.keys(faultProfiles).filter(isFaultProfileName)).pipe(
    Options.withDescription("fault profile"),
    Options.withDefault("none" as const)
  ),
  db: Options.file("db").pipe(Options.withDescription("keep the data in this SQLite file (default: in memory)"), Options.optional),
  user: Options.text("user").pipe(Options.withDescription("the ERP account"), Options.withDefault("admin")),
  password: Options.text("password").pipe(Options.withDescription("its password"), Options.withDefault("admin123")),
  control: Options.boolean("control").pipe(Options.withDescription("serve the test-only control API under /__mock"))
}

class MockStartFailed extends Data.TaggedError("MockStartFailed")<{ readonly message: string }> {}

/** `tongbu mock-erp`: the mock Zhibang ERP, with the same options as its own CLI; runs until interrupted. */
export const mockErp = Command.make("mock-erp", options, (o) =>
  guard(
    o,
    Effect.gen(function* () {
      const served = yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: () =>
            serve({
              port: o.port,
              host: o.host,
              seed: { customers: o.seed, seed: o.rngSeed },
              faults: o.faults,
              faultSeed: o.rngSeed,
              users: [{ user: o.user, password: o.password }],
              controlApi: o.control,
              ...Option.match(o.db, { onNone: () => ({}), onSome: (sqlitePath) => ({ store: { sqlitePath } }) })
            }),
          catch: (error) =>
            new MockStartFailed({ message: `cannot start the mock ERP: ${error instanceof Error ? error.message : String(error)}` })
        }),
        (s) => Effect.promise(() => s.close())
      )
      yield* output(
        { json: o.json },
        () => ({ url: served.url, user: o.user, faults: o.faults, db: Option.getOrNull(o.db), control: o.control }),
        () =>
          [
            `Mock Zhibang ERP listening on ${served.url}`,
            `account: ${o.user} (password as given)`,
            `faults: ${o.faults}${Option.match(o.db, { onNone: () => "", onSome: (db) => `, data in ${db}` })}${o.control ? `, control API at ${served.url}/__mock` : ""}`
          ].join("\n")
      )
      yield* Console.error("Ctrl-C to stop.")
      return yield* Effect.never
    }).pipe(Effect.scoped)
  )
).pipe(Command.withDescription("Serve the mock Zhibang ERP (for trying tongbu without a real ERP)"))
