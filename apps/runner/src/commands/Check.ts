import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { inspectHubDatabase } from "@tongbu/adapter-wechat-hub"
import { ZhibangClient, type ZhibangError } from "@tongbu/adapter-zhibang"
import { encodeProfile } from "@tongbu/mock-erp"
import { Data, Duration, Effect, Either, Option } from "effect"
import type { CheckItem } from "../Check.js"
import * as Check from "../Check.js"
import type { Settings } from "../Config.js"
import { requireErp, requireHub } from "../Config.js"
import { CommandFailed, ExitCode } from "../Exit.js"
import { common, handle, output } from "../Handler.js"

/** Enumeration 13 of the ERP is the customer source `ly` (spec zhibang-wire.md §5). */
const CUSTOMER_SOURCES = 13

/** The list columns the check read, for `--record`: none when the list could not be read. */
interface Seen {
  customerColumns: ReadonlyArray<string>
  contactColumns: ReadonlyArray<string>
}

/**
 * Logs in, lists one page of customers and contacts, reads one customer's detail, resolves `mapping.ly`; notes the
 * list columns in `seen`.
 */
const erpItems = (settings: Settings, seen: Seen) =>
  Effect.gen(function* () {
    const account = yield* Effect.either(requireErp(settings))
    if (Either.isLeft(account)) return [Check.fail("erp", "the ERP is not configured", account.left.message)]
    const { url, user, password } = account.right
    const client = yield* ZhibangClient.make({
      baseUrl: url,
      user,
      password,
      maxInFlight: 1,
      requestsPerSecond: settings.erp.requestsPerSecond,
      requestTimeout: Duration.seconds(settings.erp.timeoutSeconds)
    })
    const items: Array<CheckItem> = []
    const step = <A>(name: string, call: Effect.Effect<A, ZhibangError>, seen: (a: A) => string) =>
      Effect.map(Effect.either(call), (result) => {
        items.push(
          Either.isRight(result) ? Check.pass(name, seen(result.right)) : Check.erpFailure(name, user, result.left)
        )
        return Either.getRight(result)
      })
    const page = { pageIndex: 1, pageSize: 5, filters: {} }
    const customers = yield* step("erp login and customer list", client.listCustomers(page), (list) => {
      seen.customerColumns = list.columns
      return `logged in as ${user}; ${list.recordCount ?? list.rows.length} customers, ${list.columns.length} list columns`
    })
    if (Option.isNone(customers)) {
      return [
        ...items,
        ...["erp contact list", "erp customer detail", "mapping.ly"].map((name) =>
          Check.skipped(name, "the ERP login failed")
        )
      ]
    }
    yield* step("erp contact list", client.listContacts(page), (list) => {
      seen.contactColumns = list.columns
      return `${list.recordCount ?? list.rows.length} contacts, ${list.columns.length} list columns`
    })
    const first = customers.value.rows[0]?.ord
    if (first === undefined || first === null)
      items.push(Check.skipped("erp customer detail", "the ERP lists no customer to read"))
    else
      yield* step("erp customer detail", client.customerDetail(Number(first)), (detail) =>
        Option.match(detail, {
          onNone: () => `customer ${first} was deleted meanwhile`,
          onSome: (d) => `customer ${d.ord}: ${Object.keys(d.fields).length} fields, ${d.required.length} required`
        })
      )
    const sources = yield* Effect.either(client.enumeration(CUSTOMER_SOURCES))
    items.push(
      Either.isRight(sources)
        ? Check.lyItem(settings.mapping.ly, sources.right)
        : Check.erpFailure("mapping.ly", user, sources.left)
    )
    return items
  }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))

const hubItems = (settings: Settings) =>
  Effect.either(requireHub(settings)).pipe(
    Effect.flatMap((path) =>
      Either.isLeft(path)
        ? Effect.succeed(Check.fail("hub columns", "the hub is not configured", path.left.message))
        : inspectHubDatabase(path.right).pipe(
            Effect.map((missing) => Check.hubItem(path.right, missing)),
            Effect.catchAll((error) =>
              Effect.succeed(
                Check.fail(
                  "hub columns",
                  error.message,
                  "check hub.database / TONGBU_HUB_DB names the hub's SQLite file"
                )
              )
            )
          )
    )
  )

/**
 * The store is only looked at, never opened: opening creates and migrates it. A missing store passes when its
 * directory is writable, since `tongbu init` or the first sync creates it.
 */
const storeItem = (settings: Settings) =>
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

/**
 * Writes the profile of what the check saw: column ids only, no row, account or session. An empty list shows no
 * columns, so there is nothing to record then.
 */
const record = (file: string, seen: Seen) =>
  Effect.gen(function* () {
    const [customerColumn, ...customerColumns] = seen.customerColumns
    const [contactColumn, ...contactColumns] = seen.contactColumns
    if (customerColumn === undefined || contactColumn === undefined)
      return yield* new NothingToRecord({
        message: `nothing recorded to ${file}: the check read no columns of the ERP's ${customerColumn === undefined ? "customer" : "contact"} list (not read, or empty)`
      })
    const fs = yield* FileSystem.FileSystem
    yield* fs.writeFileString(
      file,
      encodeProfile({
        version: 1,
        customerListColumns: [customerColumn, ...customerColumns],
        contactListColumns: [contactColumn, ...contactColumns]
      })
    )
  })

/** `tongbu check`: a read-only checklist of the configuration against the ERP, the hub and the store. */
export const check = Command.make(
  "check",
  {
    ...common,
    record: Options.file("record").pipe(
      Options.withDescription(
        "write the ERP's shapes the check saw (its list columns) to this file, a profile `tongbu mock-erp --profile` serves"
      ),
      Options.optional
    )
  },
  (options) =>
    handle(options, (settings) =>
      Effect.gen(function* () {
        const seen: Seen = { customerColumns: [], contactColumns: [] }
        const items = [...(yield* erpItems(settings, seen)), yield* hubItems(settings), yield* storeItem(settings)]
        yield* output(
          options,
          () => Check.json(items),
          () => Check.render(items)
        )
        if (Option.isSome(options.record)) yield* record(options.record.value, seen)
        if (!Check.allPassed(items)) return yield* new CommandFailed({ exitCode: ExitCode.failed })
      })
    )
).pipe(Command.withDescription("Check the configuration against the ERP, the hub and the store, read-only"))
