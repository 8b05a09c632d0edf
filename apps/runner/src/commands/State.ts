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

/** `--to` as `state.url` takes it: no password inline (it would be printed and kept in tongbu.yaml). */
const target = (url: string) =>
  Effect.try({
    try: () => new URL(url),
    catch: () => new ConfigError({ message: "--to is not a URL: expected postgres://user@host:port/database" })
  }).pipe(
    Effect.filterOrFail(
      (parsed) => parsed.password === "",
      () =>
        new ConfigError({
          message:
            "--to carries a password: remove it from the URL and set TONGBU_STATE_PASSWORD or give --password-file"
        })
    ),
    Effect.map((parsed) => parsed.href)
  )

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
      const store = p.settings.state.store
      if (store._tag === "Postgres")
        return yield* new ConfigError({
          message: `pair ${p.id} keeps its state in PostgreSQL already (state.url ${store.url}): there is nothing to migrate`
        })
      const filename = store.database
      const found = yield* SqliteStore.inspect(filename)
      if (found._tag === "Missing")
        return yield* new NotFound({ message: `pair ${p.id}: there is no state store at ${filename} to migrate` })
      if (found._tag === "Newer")
        return yield* new ConfigError({
          message: `pair ${p.id}: the state store ${filename} was migrated by a newer tongbu; migrate it with that version`
        })
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
  handleAll(o, (pairs, _lang, listed) =>
    Effect.gen(function* () {
      const url = yield* target(o.to)
      const secret = yield* password(o.passwordFile)
      const results = yield* Effect.forEach(pairs, (p) =>
        Effect.map(Effect.either(migrateOne(p, url, secret)), (result) => ({ pair: p.id, result }))
      )
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
          stateUrl: url,
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
              : [
                  "",
                  `In tongbu.yaml, replace state.database with${listed ? " (in each copied pair's entry)" : ""}:`,
                  `  state.url: ${url}`,
                  `and give the password in ${listed ? "TONGBU_<ID>_STATE_PASSWORD" : "TONGBU_STATE_PASSWORD"} or state.passwordFile. The SQLite files stay as they were.`
                ])
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
