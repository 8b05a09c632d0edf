import { NodeHttpClient } from "@effect/platform-node"
import { inspectHubDatabase } from "@tongbu/adapter-wechat-hub"
import { isPageUnknown, ZhibangClient, type ZhibangError } from "@tongbu/adapter-zhibang"
import type { Pair } from "@tongbu/pair"
import { Check } from "@tongbu/pair"
import { Duration, Effect, Either, Option } from "effect"
import { nothingSeen, record, recordedEnumerations, type Seen } from "./internal/record.js"
import { allUsers, type Tier, tiers } from "./internal/salespeople.js"
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

/** Every salesperson id `mapping.assignment` names must be an ERP account: a ✗ names each unknown id and its key. */
export const salespeopleItem = (tiers: ReadonlyArray<Tier>, users: ReadonlyArray<ZhibangClient.ErpUser>): CheckItem => {
  const known = new Set(users.map((user) => user.id))
  const named = tiers.flatMap((tier) => tier.ids)
  if (named.length === 0)
    return Check.pass(
      "mapping.assignment",
      "no salespeople configured: customers created in the ERP go to the public pool"
    )
  const unknown = tiers.flatMap((tier) => tier.ids.filter((id) => !known.has(id)).map((id) => ({ key: tier.key, id })))
  if (unknown.length === 0)
    return Check.pass(
      "mapping.assignment",
      `salespeople ${named.join(", ")} are ERP users (${users.length} users listed)`
    )
  const listed = users
    .slice(0, 20)
    .map((user) => `${user.id} ${user.name}`)
    .join(", ")
  return Check.fail(
    "mapping.assignment",
    unknown.map(({ key, id }) => `${id} (${key}) is not an ERP user`).join("; "),
    `${unknown.map(({ key, id }) => `remove or correct ${id} in ${key}`).join("; ")}: the ERP's users are ${users.length === 0 ? "none listed" : listed}${users.length > 20 ? ", …" : ""}`
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
    } else items.push(erpFailure("erp contact list", user, contacts.left))
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
        ? lyItem(settings.mapping.ly, sources.right)
        : erpFailure("mapping.ly", user, sources.left)
    )
    // the account list is read only when there are salespeople to look for in it
    const named = tiers(settings)
    const users = named.every((tier) => tier.ids.length === 0)
      ? Either.right([])
      : yield* Effect.either(allUsers(client))
    items.push(
      Either.isRight(users)
        ? salespeopleItem(named, users.right)
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

/** The ERP's login, lists, detail and `mapping.ly`, then the hub file's columns; `--record` writes the ERP's profile. */
export const check = (settings: Settings, { recording }: Pair.CheckOptions): Effect.Effect<Pair.CheckReport> =>
  Effect.gen(function* () {
    const seen = nothingSeen()
    const items = [...(yield* erpItems(settings, seen, recording)), yield* hubItems(settings)]
    return { items, record: Option.some((file: string) => record(file, seen)) }
  })
