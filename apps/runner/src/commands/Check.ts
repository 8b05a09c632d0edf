import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { inspectHubDatabase } from "@tongbu/adapter-wechat-hub"
import { isPageUnknown, ZhibangClient, type ZhibangError } from "@tongbu/adapter-zhibang"
import { SqliteStore } from "@tongbu/core"
import { Duration, Effect, Either, Option } from "effect"
import type { CheckItem } from "../Check.js"
import * as Check from "../Check.js"
import type { Settings } from "../Config.js"
import { requireErp, requireHub } from "../Config.js"
import { CommandFailed, ExitCode } from "../Exit.js"
import { common, handle, output } from "../Handler.js"
import { nothingSeen, record, recordedEnumerations, type Seen } from "../internal/record.js"
import { allUsers, tiers } from "../internal/salespeople.js"

/** Enumeration 13 of the ERP is the customer source `ly` (spec zhibang-wire.md §5). */
const CUSTOMER_SOURCES = 13

/**
 * Logs in, lists one page of customers and contacts, reads one customer's detail, resolves `mapping.ly`; notes the
 * list columns in `seen`.
 */
const erpItems = (settings: Settings, seen: Seen, recording: boolean) =>
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
        ...["erp contact list", "erp customer detail", "mapping.ly", "mapping.assignment"].map((name) =>
          Check.skipped(name, "the ERP login failed")
        )
      ]
    }
    // an installation without the contact list is one a sync runs against (degraded): it passes, saying so
    const contacts = yield* Effect.either(client.listContacts(page))
    if (Either.isRight(contacts)) {
      seen.contactColumns = contacts.right.columns
      items.push(
        Check.pass(
          "erp contact list",
          `${contacts.right.recordCount ?? contacts.right.rows.length} contacts, ${contacts.right.columns.length} list columns`
        )
      )
    } else if (isPageUnknown(contacts.left)) {
      seen.contactColumns = null
      items.push(
        Check.pass(
          "erp contact list",
          "this ERP has no contact list (未知页面): a sync goes on without checking mobiles against ERP contacts first; the ERP's own duplicate check still guards each save"
        )
      )
    } else items.push(Check.erpFailure("erp contact list", user, contacts.left))
    // for the profile: how this ERP answers an empty list (no customer has id 0)
    if (recording) yield* Effect.ignore(client.listCustomers({ pageIndex: 1, pageSize: 1, filters: { telord: "0" } }))
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
    if (Either.isRight(sources)) seen.enumerations[13] = sources.right
    if (recording)
      for (const id of recordedEnumerations.filter((id) => id !== CUSTOMER_SOURCES)) {
        const values = yield* Effect.either(client.enumeration(id))
        if (Either.isRight(values)) seen.enumerations[id] = values.right
      }
    items.push(
      Either.isRight(sources)
        ? Check.lyItem(settings.mapping.ly, sources.right)
        : Check.erpFailure("mapping.ly", user, sources.left)
    )
    // the account list is read only when there are salespeople to look for in it
    const named = tiers(settings)
    const users = named.every((tier) => tier.ids.length === 0)
      ? Either.right([])
      : yield* Effect.either(allUsers(client))
    items.push(
      Either.isRight(users)
        ? Check.salespeopleItem(named, users.right)
        : Check.fail(
            "mapping.assignment",
            `the ERP's account list could not be read: ${users.left.message}`,
            `check that the ERP account ${user} may read the ERP's accounts (组织架构 › 账号, V3 orgs/user/list; \`--log-level debug\` traces its answer), or check the ids of mapping.assignment by hand`
          )
    )
    seen.shapes = yield* client.observedShapes
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
 * The store is opened read-only, never created nor migrated (opening it for a sync does that): its migrations are
 * applied or pending (both fine), or it is newer than this runner or not a readable store (✗). A store that does
 * not exist yet passes when its directory is writable, since `tongbu init` or the first sync creates it.
 */
const storeItem = (settings: Settings) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const file = settings.state.database
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

/** `tongbu check`: a read-only checklist of the configuration against the ERP, the hub and the store. */
export const check = Command.make(
  "check",
  {
    ...common,
    record: Options.file("record").pipe(
      Options.withDescription(
        "write the ERP's shapes the check saw (list columns, the enumerations the configuration resolves, the lists' envelope variants) to this file, a profile `tongbu mock-erp --profile` serves"
      ),
      Options.optional
    )
  },
  (options) =>
    handle(options, (settings) =>
      Effect.gen(function* () {
        const seen = nothingSeen()
        const items = [
          ...(yield* erpItems(settings, seen, Option.isSome(options.record))),
          yield* hubItems(settings),
          yield* storeItem(settings)
        ]
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
