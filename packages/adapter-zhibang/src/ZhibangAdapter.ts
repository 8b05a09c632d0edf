import type { RecordId, SyncAdapter } from "@tongbu/core"
import { RightAdapter, SideRecord } from "@tongbu/core"
import type { ParseResult } from "effect"
import { Effect, Layer, Option, Schema, Stream } from "effect"
import { performAction } from "./internal/adapter/actions.js"
import { contactMobiles } from "./internal/adapter/contacts.js"
import { makeCustomerWrites } from "./internal/adapter/customers.js"
import { toAdapterError } from "./internal/adapter/errors.js"
import type { Row } from "./internal/adapter/listing.js"
import { listAll, toEntry } from "./internal/adapter/listing.js"
import { ordOf, recordFields } from "./internal/adapter/records.js"
import type { CustomerDetail } from "./internal/customer.js"
import { defaultMapping, ZhibangMapping } from "./Mapping.js"
import type { ZhibangClientService } from "./ZhibangClient.js"
import { ZhibangClient } from "./ZhibangClient.js"
import type { ZhibangError } from "./ZhibangError.js"

const withDefault = <S extends Schema.Schema.Any>(schema: S, value: () => Schema.Schema.Type<S>) =>
  Schema.optionalWith(schema, { default: value })

export const WithdrawRules = Schema.Struct({
  /** Move a withdrawn customer to the public pool (`member1 = 1`). */
  toPublicPool: withDefault(Schema.Boolean, () => true),
  /** Put in front of the customer's notes (`intro`); empty: notes left alone. */
  note: withDefault(Schema.String, () => "【同步回滚：已撤回，请人工删除】")
})

/** How the adapter treats ERP customers; every key is optional. */
export const ZhibangAdapterConfig = Schema.Struct({
  name: withDefault(Schema.String, () => "zhibang"),
  /** Customers per list page. */
  pageSize: withDefault(Schema.Int.pipe(Schema.between(1, 1000)), () => 100),
  /** Operations the core runs against the ERP at once (the client bounds requests in flight anyway). */
  concurrency: withDefault(Schema.Int.pipe(Schema.positive()), () => 5),
  /** A created customer cannot be deleted: what its rollback does instead. */
  withdraw: withDefault(WithdrawRules, () => ({ toPublicPool: true, note: "【同步回滚：已撤回，请人工删除】" })),
  /** Fields cut to the ERP's limit instead of refused when too long (sync-rules §3); default none. */
  truncatable: withDefault(Schema.Array(Schema.String), () => []),
  /** Defaults of the follow-up action (`sort`, `plantype`). */
  mapping: withDefault(ZhibangMapping, () => defaultMapping)
})
export type ZhibangAdapterConfig = typeof ZhibangAdapterConfig.Type

export const make = (
  input: typeof ZhibangAdapterConfig.Encoded = {}
): Effect.Effect<SyncAdapter, ParseResult.ParseError, ZhibangClient> =>
  Effect.gen(function* () {
    const config = yield* Schema.decodeUnknown(ZhibangAdapterConfig)(input)
    const client = yield* ZhibangClient
    return yield* makeWith(config, client)
  })

const makeWith = (config: ZhibangAdapterConfig, client: ZhibangClientService) =>
  Effect.gen(function* () {
    const name = config.name
    /**
     * The current listing's rows: their views (salesperson, category names) complete a read without another call.
     * A customer the sync writes is forgotten, so that a later read fetches its row again.
     */
    const rows = new Map<string, Row>()
    const fail = (error: ZhibangError) => toAdapterError(name, error)
    const forget = (id: RecordId) => Effect.sync(() => void rows.delete(id))

    // `telord` filters by customer id; the row is still checked, in case an installation ignores the filter
    const rowOf = (ord: number): Effect.Effect<Row | undefined, ZhibangError> =>
      Effect.suspend(() =>
        rows.has(String(ord))
          ? Effect.succeed(rows.get(String(ord)))
          : client
              .listCustomers({ pageIndex: 1, pageSize: 5, filters: { telord: String(ord) } })
              .pipe(Effect.map((page) => page.rows.find((row) => row.ord?.trim() === String(ord))))
      )

    const detailOf = (id: RecordId): Effect.Effect<Option.Option<CustomerDetail>, ZhibangError> => {
      const ord = ordOf(id)
      return ord === undefined ? Effect.succeedNone : client.customerDetail(ord)
    }

    const read = (id: RecordId) =>
      detailOf(id).pipe(
        Effect.flatMap(
          Option.match({
            onNone: () => Effect.succeedNone,
            onSome: (detail) =>
              rowOf(detail.ord).pipe(
                Effect.map((row) =>
                  Option.some(
                    new SideRecord({
                      id,
                      fields: recordFields(detail, row),
                      ...(row ? { version: toEntry({ ...row, ord: id }).version } : {})
                    })
                  )
                )
              )
          })
        ),
        Effect.mapError(fail)
      )

    const writes = makeCustomerWrites({
      name,
      client,
      pageSize: config.pageSize,
      truncatable: new Set(config.truncatable),
      withdraw: config.withdraw,
      forget
    })

    return {
      name,
      capabilities: {
        serializeCreates: true,
        concurrency: config.concurrency,
        canDelete: false,
        idempotentActions: false
      },
      // the ERP has no modified-since filter: every run lists every page, and versions tell what changed
      list: () =>
        Stream.unwrap(
          Effect.sync(() => {
            rows.clear()
            return listAll(client, config.pageSize).pipe(
              Stream.tap((row) => Effect.sync(() => void rows.set(row.ord, row))),
              Stream.map(toEntry),
              Stream.mapError(fail)
            )
          })
        ),
      read,
      // a customer's mobile must not repeat a contact's, which the customer list does not show: read when needed only
      heldValues: ({ fields }) =>
        fields.includes("mobile")
          ? contactMobiles(name, client, config.pageSize).pipe(
              Stream.mapError((error) => (error._tag === "AuxiliaryUnavailable" ? error : fail(error)))
            )
          : Stream.empty,
      ...writes,
      perform: (request) => performAction(name, client, config.mapping, request),
      events: () => Stream.empty,
      // the ERP shows no sync state and no link of its own
      acknowledge: () => Effect.succeed([])
    } satisfies SyncAdapter
  })

/** The ERP as the core's right side. */
export const layerRight = (
  config: typeof ZhibangAdapterConfig.Encoded = {}
): Layer.Layer<RightAdapter, ParseResult.ParseError, ZhibangClient> => Layer.effect(RightAdapter, make(config))
