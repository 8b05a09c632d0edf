import { FileSystem } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { inspectHubDatabase } from "@tongbu/adapter-wechat-hub"
import { ZhibangClient, type ZhibangError } from "@tongbu/adapter-zhibang"
import { encodeProfile } from "@tongbu/mock-erp"
import type { Pair } from "@tongbu/pair"
import { Check } from "@tongbu/pair"
import { Data, Duration, Effect, Either, Option } from "effect"
import type { Settings } from "./Settings.js"
import { requireErp, requireHub } from "./Settings.js"

type CheckItem = Check.CheckItem

/** An ERP call that failed: the login's refusal names the account and where its password comes from. */
export const erpFailure = (name: string, user: string, error: ZhibangError): CheckItem =>
  error._tag === "ZhibangFatalError" && error.operation === "login"
    ? Check.fail(
        name,
        `the ERP refused the login: ${error.message}`,
        `the ERP refused user ${user}: check TONGBU_ERP_PASSWORD / erp.passwordFile (and erp.user / TONGBU_ERP_USER)`
      )
    : error._tag === "ZhibangTransientError"
      ? Check.fail(name, error.message, "check erp.url / TONGBU_ERP_URL and that the ERP answers from this machine")
      : Check.fail(name, error.message, "check that the ERP account may read customers and contacts")

/** `mapping.ly` must be one of the installation's customer sources (enumeration 13). */
export const lyItem = (ly: number, sources: ReadonlyArray<ZhibangClient.EnumValue>): CheckItem => {
  const listed = sources.map((source) => `${source.id} ${source.name}`).join(", ")
  return sources.some((source) => source.id === String(ly))
    ? Check.pass("mapping.ly", `${ly} is a customer source of the ERP`)
    : Check.fail(
        "mapping.ly",
        `${ly} is not a customer source of the ERP`,
        sources.length === 0
          ? `mapping.ly = ${ly} cannot be checked: the ERP lists no customer sources (enumeration 13)`
          : `mapping.ly = ${ly} is not one of the ERP's customer sources: ${listed}`
      )
}

/** The hub file's required tables and columns (`inspectHubDatabase`). */
export const hubItem = (path: string, missing: ReadonlyArray<string>): CheckItem =>
  missing.length === 0
    ? Check.pass("hub columns", `${path} has every table and column the sync uses`)
    : Check.fail(
        "hub columns",
        missing.join("; "),
        `the hub's schema in ${path} is older or newer than this tongbu expects (spec wechat-hub.md): upgrade the hub or tongbu so that ${missing.join(", ")} exist`
      )

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
        items.push(Either.isRight(result) ? Check.pass(name, seen(result.right)) : erpFailure(name, user, result.left))
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
        ? lyItem(settings.mapping.ly, sources.right)
        : erpFailure("mapping.ly", user, sources.left)
    )
    return items
  }).pipe(Effect.scoped, Effect.provide(NodeHttpClient.layerUndici))

const hubItems = (settings: Settings) =>
  Effect.either(requireHub(settings)).pipe(
    Effect.flatMap((path) =>
      Either.isLeft(path)
        ? Effect.succeed(Check.fail("hub columns", "the hub is not configured", path.left.message))
        : inspectHubDatabase(path.right).pipe(
            Effect.map((missing) => hubItem(path.right, missing)),
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

class NothingToRecord extends Data.TaggedError("NothingToRecord")<{ readonly message: string }> {}

/**
 * Writes the profile of what the check saw: column ids only, no row, account or session. An empty list shows no
 * columns, so there is nothing to record then.
 */
const record = (seen: Seen) => (file: string) =>
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

/** The ERP's login, lists, detail and `mapping.ly`, then the hub file's columns; `--record` writes the ERP's profile. */
export const check = (settings: Settings): Effect.Effect<Pair.CheckReport> =>
  Effect.gen(function* () {
    const seen: Seen = { customerColumns: [], contactColumns: [] }
    const items = [...(yield* erpItems(settings, seen)), yield* hubItems(settings)]
    return { items, record: Option.some(record(seen)) }
  })
