/**
 * The WeChat hub as the left side of the sync: the core's `SyncAdapter` over the hub's SQLite file.
 * `RecordId` = `customers_unified.id`; native fields = the hub's column names plus read-only enrichments (see
 * `HubRecord`); the virtual `customer_name` writes the company or the person name by customer type.
 */
import type { Capabilities, SyncAdapter } from "@tongbu/core"
import { LeftAdapter, RejectedError } from "@tongbu/core"
import type { Scope } from "effect"
import { type Config, Effect, Layer, Option } from "effect"
import type { ConfigError } from "effect/ConfigError"
import type { HubOptions, HubOptionsInput } from "./HubConfig.js"
import { HubConfig, HubConfigError, hubOptions } from "./HubConfig.js"
import type { HubOpenError, HubSchemaError } from "./HubDatabase.js"
import { openHubDatabase } from "./HubDatabase.js"
import { toSideRecord } from "./HubRecord.js"
import { makeHubTimeZone } from "./HubTime.js"
import { acknowledge } from "./internal/acknowledge.js"
import { makeConnection } from "./internal/connection.js"
import { compensateCreate, create, findCreated } from "./internal/creates.js"
import { events } from "./internal/events.js"
import { list } from "./internal/listing.js"
import { prepareQueries } from "./internal/queries.js"
import { hubId, update } from "./internal/writes.js"

/** SQLite has one writer: operations run one at a time; creates need no extra serialization; rows can be deleted. */
export const capabilities: Capabilities = {
  serializeCreates: false,
  concurrency: 1,
  canDelete: true,
  idempotentActions: true
}

export type HubStartError = HubOpenError | HubSchemaError | HubConfigError

const checkOptions = (options: HubOptions) =>
  Effect.gen(function* () {
    const zone = yield* Option.match(makeHubTimeZone(options.timeZone), {
      onNone: () =>
        Effect.fail(
          new HubConfigError({
            message: `unknown time zone ${JSON.stringify(options.timeZone)} for the hub's timestamps`
          })
        ),
      onSome: Effect.succeed
    })
    if (!Number.isInteger(options.pageSize) || options.pageSize < 1) {
      return yield* new HubConfigError({
        message: `the hub page size must be a positive whole number, not ${options.pageSize}`
      })
    }
    return { zone, sqliteStampsUtc: options.sqliteStampsUtc }
  })

/** Opens and checks the hub file and builds the adapter; the file is closed when the scope closes. */
export const make = (input: HubOptionsInput): Effect.Effect<SyncAdapter, HubStartError, Scope.Scope> =>
  Effect.gen(function* () {
    const options = hubOptions(input)
    const time = yield* checkOptions(options)
    const sqlite = yield* openHubDatabase(options)
    const conn = makeConnection(sqlite, options, time)
    const queries = prepareQueries(sqlite)
    return {
      name: options.name,
      capabilities,
      list: (request) => list(conn, queries, request),
      read: (id) =>
        Option.match(hubId(id), {
          onNone: () => Effect.succeed(Option.none()),
          onSome: (rowId) =>
            conn
              .attempt(`read of hub customer ${id}`, () => queries.one.get(rowId))
              .pipe(
                Effect.map((row) => Option.map(Option.fromNullable(row), (found) => toSideRecord(found, conn.time)))
              )
        }),
      create: (request) => create(conn, queries, request),
      findCreated: (request) => findCreated(conn, request),
      update: (request) => update(conn, queries, request),
      compensateCreate: (request) => compensateCreate(conn, queries, request),
      perform: (request) =>
        Effect.fail(
          new RejectedError({ adapter: options.name, message: `the hub has no action ${JSON.stringify(request.kind)}` })
        ),
      events: (request) => events(conn, queries, request),
      acknowledge: (outcomes) => acknowledge(conn, outcomes)
    } satisfies SyncAdapter
  })

/** The hub as the core's left side. */
export const layer = (input: HubOptionsInput): Layer.Layer<LeftAdapter, HubStartError> =>
  Layer.scoped(LeftAdapter, make(input))

/** The hub as the core's left side, set up from the environment (`TONGBU_HUB_DB`, … — see `HubConfig`). */
export const layerConfig = (
  config: Config.Config<HubOptions> = HubConfig
): Layer.Layer<LeftAdapter, HubStartError | ConfigError> => Layer.scoped(LeftAdapter, Effect.flatMap(config, make))
