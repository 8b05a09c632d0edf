import { Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import {
  faultProfiles,
  isFaultProfileName,
  ProfileError,
  parseProfile,
  profileOptions,
  serveMockErp
} from "@tongbu/mock-erp"
import type { RunnerKit } from "@tongbu/pair"
import { Console, Data, Effect, Option, Redacted } from "effect"
import type { Settings } from "./Settings.js"

const nonNegative = (name: string, fallback: number, description: string) =>
  Options.integer(name).pipe(
    Options.withDescription(description),
    Options.withDefault(fallback),
    Options.filterMap((n) => (n >= 0 ? Option.some(n) : Option.none()), `--${name} must be a whole number ≥ 0`)
  )

const DEFAULT_PORT = 46088
const DEFAULT_USER = "admin"
const DEFAULT_PASSWORD = "admin123"

const optionsOf = (common: RunnerKit<Settings>["common"]) => ({
  ...common,
  config: Options.file("config").pipe(
    Options.withDescription(
      "serve what this tongbu configuration expects: the port of erp.url, the account erp.user with its password (TONGBU_ERP_PASSWORD or erp.passwordFile); the options below win"
    ),
    Options.optional
  ),
  port: Options.integer("port").pipe(
    Options.withDescription(`port to listen on (0 = any free port; default ${DEFAULT_PORT})`),
    Options.filterMap((n) => (n >= 0 ? Option.some(n) : Option.none()), "--port must be a whole number ≥ 0"),
    Options.optional
  ),
  host: Options.text("host").pipe(Options.withDescription("address to bind"), Options.withDefault("127.0.0.1")),
  seed: nonNegative("seed", 0, "start with this many generated customers"),
  rngSeed: nonNegative("rng-seed", 1, "seed of the data generator and of the fault draws"),
  faults: Options.choice("faults", Object.keys(faultProfiles).filter(isFaultProfileName)).pipe(
    Options.withDescription("fault profile"),
    Options.withDefault("none" as const)
  ),
  db: Options.file("db").pipe(
    Options.withDescription("keep the data in this SQLite file (default: in memory)"),
    Options.optional
  ),
  user: Options.text("user").pipe(
    Options.withDescription(`the ERP account (default ${DEFAULT_USER})`),
    Options.optional
  ),
  password: Options.text("password").pipe(
    Options.withDescription(`its password (default ${DEFAULT_PASSWORD})`),
    Options.optional
  ),
  control: Options.boolean("control").pipe(Options.withDescription("serve the test-only control API under /__mock")),
  noContactList: Options.boolean("no-contact-list").pipe(
    Options.withDescription("answer the contact list with 未知页面, as an ERP installation without it")
  ),
  contactColumns: Options.text("contact-columns").pipe(
    Options.withDescription("the contact list's columns, comma-separated, in order (default the live ones)"),
    Options.optional
  ),
  profile: Options.file("profile").pipe(
    Options.withDescription(
      "serve the shapes of a profile recorded by `tongbu check --record` (list columns, enumerations, envelope variants, no contact list); --contact-columns and --no-contact-list still win"
    ),
    Options.optional
  )
})

/** The mock's options for a profile file, when one is given. */
const profileFile = (file: Option.Option<string>) =>
  Option.match(file, {
    onNone: () => Effect.succeed({}),
    onSome: (f) =>
      FileSystem.FileSystem.pipe(
        Effect.flatMap((fs) => fs.readFileString(f)),
        Effect.mapError((error) => new ProfileError({ message: `cannot read the profile ${f}: ${error.message}` })),
        Effect.flatMap((text) => parseProfile(f, text)),
        Effect.map(profileOptions)
      )
  })

class MockStartFailed extends Data.TaggedError("MockStartFailed")<{ readonly message: string }> {}

/** The port, account and password a configuration file points the runner at, each when it names one. */
const expected = <T extends Settings>(kit: RunnerKit<T>, file: Option.Option<string>) =>
  Option.match(file, {
    onNone: () =>
      Effect.succeed({ port: Option.none<number>(), user: Option.none<string>(), password: Option.none<string>() }),
    onSome: (f) =>
      Effect.map(kit.load(f, { environment: true }), (settings) => ({
        port: Option.map(settings.erp.url, (url) => {
          const parsed = new URL(url)
          return parsed.port === "" ? (parsed.protocol === "https:" ? 443 : 80) : Number(parsed.port)
        }),
        user: settings.erp.user,
        password: Option.map(settings.erp.password, Redacted.value)
      }))
  })

/** `tongbu mock-erp`: the mock Zhibang ERP, with the same options as its own CLI; runs until interrupted. */
export const mockErp = <T extends Settings>(kit: RunnerKit<T>) =>
  Command.make("mock-erp", optionsOf(kit.common), (o) =>
    kit.guard(
      o,
      Effect.gen(function* () {
        const configured = yield* expected(kit, o.config)
        const profile = yield* profileFile(o.profile)
        const port = Option.getOrElse(
          Option.orElse(o.port, () => configured.port),
          () => DEFAULT_PORT
        )
        const user = Option.getOrElse(
          Option.orElse(o.user, () => configured.user),
          () => DEFAULT_USER
        )
        const password = Option.getOrElse(
          Option.orElse(o.password, () => configured.password),
          () => DEFAULT_PASSWORD
        )
        const served = yield* Effect.acquireRelease(
          Effect.tryPromise({
            try: () =>
              serveMockErp({
                ...profile,
                port,
                host: o.host,
                seed: { customers: o.seed, seed: o.rngSeed },
                faults: o.faults,
                faultSeed: o.rngSeed,
                users: [{ user, password }],
                controlApi: o.control,
                // the profile's contact list stands unless switched off here
                ...(o.noContactList ? { contactList: false } : {}),
                ...Option.match(o.contactColumns, {
                  onNone: () => ({}),
                  onSome: (columns) => ({ contactListColumns: columns.split(",").map((column) => column.trim()) })
                }),
                ...Option.match(o.db, { onNone: () => ({}), onSome: (sqlitePath) => ({ store: { sqlitePath } }) })
              }),
            catch: (error) =>
              new MockStartFailed({
                message: `cannot start the mock ERP: ${error instanceof Error ? error.message : String(error)}`
              })
          }),
          (s) => Effect.promise(() => s.close())
        )
        yield* kit.output(
          { json: o.json },
          () => ({ url: served.url, user, faults: o.faults, db: Option.getOrNull(o.db), control: o.control }),
          () =>
            [
              `Mock Zhibang ERP listening on ${served.url}`,
              `account: ${user} (password ${Option.isSome(o.password) ? "as given" : Option.isSome(configured.password) ? "as configured" : DEFAULT_PASSWORD})`,
              `faults: ${o.faults}${Option.match(o.db, { onNone: () => "", onSome: (db) => `, data in ${db}` })}${o.control ? `, control API at ${served.url}/__mock` : ""}`
            ].join("\n")
        )
        yield* Console.error("Ctrl-C to stop.")
        return yield* Effect.never
      }).pipe(Effect.scoped)
    )
  ).pipe(Command.withDescription("Serve the mock Zhibang ERP (for trying tongbu without a real ERP)"))
