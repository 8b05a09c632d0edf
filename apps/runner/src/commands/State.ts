import { Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { StoreExport, SyncStore } from "@tongbu/core"
import { PostgresStore } from "@tongbu/store-postgres"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Config, Data, Effect, Either, Option, Redacted } from "effect"
import { ConfigError } from "../Config.js"
import { CommandFailed, ExitCode } from "../Exit.js"
import { type Chosen, common, handleAll, NotFound, output, pairOption, show } from "../Handler.js"
import * as Lease from "../Lease.js"

/** A pair's state could not be copied; what went wrong is in its line of the report. */
export class MigrateFailed extends Data.TaggedError("MigrateFailed")<{ readonly message: string }> {}

const to = Options.text("to").pipe(
  Options.withDescription("the PostgreSQL database to copy the state into: postgres://user@host:port/database")
)
const passwordFile = Options.file("password-file").pipe(
  Options.withDescription("a file holding the database's password (else $TONGBU_STATE_PASSWORD; never printed)"),
  Options.optional
)

/** The URL as `tongbu.yaml` takes it: any password inline removed (it belongs in the environment or a file). */
const withoutPassword = (url: string): string => {
  try {
    const parsed = new URL(url)
    parsed.password = ""
    return parsed.href
  } catch {
    return url
  }
}

const password = (file: Option.Option<string>) =>
  Option.match(file, {
    onSome: (path) =>
      Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(path)).pipe(
        Effect.map((text) => Option.some(Redacted.make(text.trim()))),
        Effect.mapError(() => new ConfigError({ message: `cannot read the password file ${path}` }))
      ),
    onNone: () =>
      Config.option(Config.redacted("TONGBU_STATE_PASSWORD")).pipe(
        Effect.mapError(() => new ConfigError({ message: "TONGBU_STATE_PASSWORD is invalid" }))
      )
  })

// Long enough for any copy: it is renewed while the copy runs, and released after it.
const leaseTtl = "1 minute"

/**
 * Copies one pair's SQLite store into the pair in PostgreSQL, holding the SQLite store's lease so that no run changes
 * it meanwhile.
 */
const migrateOne = (p: Chosen, url: string, secret: Option.Option<Redacted.Redacted<string>>) =>
  Effect.scoped(
    Effect.gen(function* () {
      const filename = p.settings.state.database
      const found = yield* SqliteStore.inspect(filename)
      if (found._tag === "Missing")
        return yield* new NotFound({ message: `pair ${p.id}: there is no state store at ${filename} to migrate` })
      const source = yield* SqliteStore.make({ filename })
      const target = yield* PostgresStore.make({
        url,
        pair: p.id,
        ...Option.match(secret, { onNone: () => ({}), onSome: (password) => ({ password }) })
      })
      const copied = yield* Lease.ifFree({ ttl: leaseTtl, holder: `tongbu state migrate ${Lease.holderId()}` })(
        target.importState(source.exportState)
      ).pipe(Effect.provideService(SyncStore, source))
      if (Option.isNone(copied))
        return yield* new Lease.LeaseBusy({
          message: `pair ${p.id}: another tongbu process (a daemon, or a sync) holds the lease of ${filename}; stop it, then migrate`
        })
      return copied.value
    })
  )

/** `tongbu state migrate --to <url> [--pair <id>] [--password-file F]`: every pair's SQLite state into PostgreSQL. */
const migrate = Command.make("migrate", { ...common, pair: pairOption, to, passwordFile }, (o) =>
  handleAll(o, (pairs) =>
    Effect.gen(function* () {
      const secret = yield* password(o.passwordFile)
      const results = yield* Effect.forEach(pairs, (p) =>
        Effect.map(Effect.either(migrateOne(p, o.to, secret)), (result) => ({ pair: p.id, result }))
      )
      const line = `state.url: ${withoutPassword(o.to)}`
      const failed = results.filter((r) => Either.isLeft(r.result))
      yield* output(
        o,
        () => ({
          pairs: results.map(({ pair, result }) =>
            Either.match(result, {
              onRight: (counts) => ({ pair, copied: counts }),
              onLeft: (error) => ({ pair, error: show(error).message })
            })
          ),
          stateUrl: withoutPassword(o.to),
          exitCode: failed.length === 0 ? ExitCode.ok : ExitCode.failed
        }),
        () =>
          [
            ...results.map(({ pair, result }) =>
              Either.match(result, {
                onRight: (counts) => `pair ${pair}: copied ${StoreExport.describeCounts(counts)}`,
                onLeft: (error) => `pair ${pair}: not copied: ${show(error).message}`
              })
            ),
            ...(failed.length === results.length
              ? []
              : ["", "Put in tongbu.yaml (the password stays in TONGBU_STATE_PASSWORD or a file):", `  ${line}`])
          ].join("\n")
      )
      if (failed.length > 0) {
        if (o.json) return yield* new CommandFailed({ exitCode: ExitCode.failed })
        return yield* new MigrateFailed({
          message: `${failed.length} of ${results.length} pairs not copied (${failed.map((r) => r.pair).join(", ")}); see above`
        })
      }
    })
  )
).pipe(
  Command.withDescription(
    "Copy the state of each pair (or --pair's) from its SQLite store into PostgreSQL: history, outbox, links and all"
  )
)

/** `tongbu state …`: the state store itself. */
export const state = Command.make("state").pipe(
  Command.withDescription("The state store itself: `tongbu state migrate --to postgres://…`"),
  Command.withSubcommands([migrate])
)
