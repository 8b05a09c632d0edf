import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { Data, Effect, Option } from "effect"
import * as Check from "../Check.js"
import type { RunnerSettings } from "../Config.js"
import { CommandFailed, ExitCode } from "../Exit.js"
import { common, handle, output } from "../Handler.js"

/**
 * The store is only looked at, never opened: opening creates and migrates it. A missing store passes when its
 * directory is writable, since `tongbu init` or the first sync creates it.
 */
const storeItem = (settings: RunnerSettings) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const file = settings.state.database
    const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
    let dir = exists ? file : path.dirname(file)
    while (!(yield* fs.exists(dir).pipe(Effect.orElseSucceed(() => false))) && path.dirname(dir) !== dir)
      dir = path.dirname(dir)
    const writable = yield* fs.access(dir, { writable: true, readable: true }).pipe(Effect.isSuccess)
    if (!writable)
      return Check.fail(
        "state store",
        `${dir} is not writable`,
        `make ${dir} writable by this user, or point state.database / TONGBU_STATE_DB elsewhere`
      )
    return Check.pass(
      "state store",
      exists
        ? `${file} is readable and writable`
        : `${file} does not exist yet: tongbu init or the first sync creates it`
    )
  })

class NothingToRecord extends Data.TaggedError("NothingToRecord")<{ readonly message: string }> {}

/** `tongbu check`: a read-only checklist of the configuration against the ERP, the hub and the store. */
export const check = Command.make(
  "check",
  {
    ...common,
    record: Options.file("record").pipe(
      Options.withDescription(
        "write what the check saw of the sides to this file, when the pair records (the hub↔ERP pair: the ERP's list columns, a profile `tongbu mock-erp --profile` serves)"
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
          onSome: (check) => check(settings)
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
  Command.withDescription("Check the configuration against both sides (the ERP and the hub) and the store, read-only")
)
