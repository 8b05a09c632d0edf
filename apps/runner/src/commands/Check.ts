import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { PostgresStore } from "@tongbu/store-postgres"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Data, Effect, Either, Option } from "effect"
import * as Check from "../Check.js"
import type { RunnerSettings } from "../Config.js"
import { CommandFailed, ExitCode } from "../Exit.js"
import { common, handle, output, pairOption } from "../Handler.js"
import * as State from "../State.js"

/**
 * The store is opened read-only, never created nor migrated (opening it for a sync does that): its migrations are
 * applied or pending (both fine), or it is newer than this runner or not a readable store (✗). A SQLite store that
 * does not exist yet passes when its directory is writable, since `tongbu init` or the first sync creates it; a
 * PostgreSQL one must be reachable and let the user in, in one read-only transaction.
 */
const storeItem = (settings: RunnerSettings) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const store = settings.state.store
    if (store._tag === "Postgres")
      return Check.postgresItem(
        store.url,
        yield* PostgresStore.inspect(State.databaseOf(store)).pipe(
          Effect.map((state) => ({ state })),
          Effect.catchAll((failed) => Effect.succeed({ problem: failed.problem, message: failed.message }))
        )
      )
    const file = store.database
    const state = yield* Effect.either(SqliteStore.inspect(file))
    if (Either.isLeft(state))
      return Check.fail(
        "state store",
        state.left.message,
        `point state.database / TONGBU_STATE_DB at tongbu's state store, or move ${file} aside to start a new one (the next sync then links the records anew)`
      )
    // the sync writes the file, or creates it in the nearest directory that exists
    let where = state.right._tag === "Missing" ? path.dirname(file) : file
    while (!(yield* fs.exists(where).pipe(Effect.orElseSucceed(() => false))) && path.dirname(where) !== where)
      where = path.dirname(where)
    const writable = yield* fs.access(where, { writable: true, readable: true }).pipe(Effect.isSuccess)
    return Check.storeItem(file, state.right, where, writable)
  })

class NothingToRecord extends Data.TaggedError("NothingToRecord")<{ readonly message: string }> {}

/** `tongbu check`: a read-only checklist of the configuration against the pair's sides and the store. */
export const check = Command.make(
  "check",
  {
    ...common,
    pair: pairOption,
    record: Options.file("record").pipe(
      Options.withDescription(
        "write what the check saw of the sides to this file, when the pair records (the hub↔ERP pair: the ERP's list columns, the enumerations the configuration resolves, the lists' envelope variants; a profile `tongbu mock-erp --profile` serves)"
      ),
      Options.optional
    )
  },
  (options) =>
    handle(options, (settings, _lang, pair) =>
      Effect.gen(function* () {
        const sides = yield* Option.match(pair.check, {
          onNone: () =>
            Effect.succeed({
              items: [Check.skipped("sides", `the pair ${pair.name} brings no checks of its sides`)],
              record: Option.none()
            }),
          onSome: (check) => check(settings, { recording: Option.isSome(options.record) })
        })
        const items = [...sides.items, yield* storeItem(settings)]
        yield* output(
          options,
          () => Check.json(items),
          () => Check.render(items)
        )
        if (Option.isSome(options.record)) {
          const file = options.record.value
          yield* Option.match(sides.record, {
            onNone: () =>
              new NothingToRecord({ message: `nothing recorded to ${file}: the pair ${pair.name} records nothing` }),
            onSome: (record) => record(file)
          })
        }
        if (!Check.allPassed(items)) return yield* new CommandFailed({ exitCode: ExitCode.failed })
      })
    )
).pipe(
  Command.withDescription(
    "Check the configuration against both sides (the hub↔ERP pair: the ERP and the hub) and the store, read-only"
  )
)
