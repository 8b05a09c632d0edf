/**
 * Customers in a SQLite table of the user's own, as a side of the sync: the core's `SyncAdapter` over the table the
 * options name. `RecordId` = the id column (as text); native fields = the configured field names; `version` = the
 * version column.
 */
import type { Capabilities, SyncAdapter } from "@tongbu/core"
import { LeftAdapter, RejectedError, RightAdapter } from "@tongbu/core"
import type { Scope } from "effect"
import { type Config, Effect, Layer, Option, Stream } from "effect"
import type { ConfigError } from "effect/ConfigError"
import { makeCreates } from "./internal/creates.js"
import { list, prepareListing } from "./internal/listing.js"
import { makeTable } from "./internal/table.js"
import { makeWrites } from "./internal/writes.js"
import { makeWriting } from "./internal/writing.js"
import type { SqlTableConfigError, SqlTableOptions, SqlTableOptionsInput } from "./SqlTableConfig.js"
import { decodeSqlTableOptions, SqlTableConfig } from "./SqlTableConfig.js"
import type { SqlTableOpenError, SqlTableSchemaError } from "./SqlTableDatabase.js"
import { openSqlTable } from "./SqlTableDatabase.js"

/** SQLite has one writer, and a create without a key column holds the write lock across `reserve`: one at a time. */
export const capabilities: Capabilities = {
  serializeCreates: true,
  concurrency: 1,
  canDelete: true,
  idempotentActions: true
}

export type SqlTableStartError = SqlTableConfigError | SqlTableOpenError | SqlTableSchemaError

/**
 * Opens and checks the table and builds the adapter. `input` is decoded with `SqlTableOptions` (defaults filled, every
 * wrong key named): options given in code, or read from a configuration file as they are.
 */
export const make = (input: SqlTableOptionsInput): Effect.Effect<SyncAdapter, SqlTableStartError, Scope.Scope> =>
  Effect.gen(function* () {
    const options = yield* decodeSqlTableOptions(input)
    const { sqlite, shape } = yield* openSqlTable(options)
    const table = makeTable(sqlite, options, shape)
    const listing = prepareListing(table)
    const writing = makeWriting(table)
    const creates = makeCreates(table, writing)
    const writes = makeWrites(table, writing)
    // Statements on the one connection never interleave (a reserved create's transaction spans `reserve`).
    const lock = yield* Effect.makeSemaphore(1)
    const serially = lock.withPermits(1)
    return {
      name: options.name,
      capabilities,
      list: (request) => list(table, listing, request, serially),
      read: (id) =>
        Option.match(table.idOf(id), {
          onNone: () => Effect.succeed(Option.none()),
          onSome: (rowId) =>
            serially(
              table.attempt(`read of ${options.table} ${id}`, () =>
                Option.map(Option.fromNullable(table.one.get(rowId)), table.toRecord)
              )
            )
        }),
      create: (request) => serially(creates.create(request)),
      findCreated: (request) => serially(creates.findCreated(request)),
      update: (request) => serially(writes.update(request)),
      compensateCreate: (request) => serially(writes.compensateCreate(request)),
      perform: (request) =>
        Effect.fail(
          new RejectedError({
            adapter: options.name,
            message: `${options.table} has no action ${JSON.stringify(request.kind)} (record ${request.id})`
          })
        ),
      events: () => Stream.empty,
      acknowledge: () => Effect.succeed([])
    } satisfies SyncAdapter
  })

/** The table as the core's right side. */
export const layer = (input: SqlTableOptionsInput): Layer.Layer<RightAdapter, SqlTableStartError> =>
  Layer.scoped(RightAdapter, make(input))

/** The table as the core's left side. */
export const layerLeft = (input: SqlTableOptionsInput): Layer.Layer<LeftAdapter, SqlTableStartError> =>
  Layer.scoped(LeftAdapter, make(input))

/** The table as the core's right side, set up from the environment (`TONGBU_SQL_TABLE_*`, see `SqlTableConfig`). */
export const layerConfig = (
  config: Config.Config<SqlTableOptions> = SqlTableConfig
): Layer.Layer<RightAdapter, SqlTableStartError | ConfigError> =>
  Layer.scoped(RightAdapter, Effect.flatMap(config, make))
