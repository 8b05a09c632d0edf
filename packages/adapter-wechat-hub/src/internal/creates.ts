/**
 * Rows the sync inserts for ERP-born customers: the insert, "did my earlier insert land?", and the rollback's
 * compensation, each one short transaction.
 */
import type {
  CompensateRequest,
  Compensation,
  Created,
  CreateRequest,
  Fields,
  FindCreatedRequest,
  RecordId
} from "@tongbu/core"
import { RecordId as RecordIdSchema, RejectedError } from "@tongbu/core"
import { eq } from "drizzle-orm"
import { Effect, Option } from "effect"
import { CUSTOMER_NAME, customerNameColumn, fieldKind, rowVersion, toSideRecord } from "../HubRecord.js"
import { customersUnified } from "../HubSchema.js"
import { normalizeValue } from "../Normalize.js"
import type { StoredValue } from "./coerce.js"
import { writableValues } from "./coerce.js"
import type { HubConnection } from "./connection.js"
import type { HubQueries } from "./queries.js"
import type { Insert } from "./writes.js"
import { collision, hubId, SYNC_USER, withProvenance } from "./writes.js"

/**
 * Inserts an ERP-born customer: business columns marked `*_source = 'erp'`, sync state `synced` / `create`, and the
 * ERP customer it copies (`sourceId`, an ERP ord) in `erp_customer_id`: the link is made at insertion (sync-rules §1),
 * and `findCreated` finds the row by it after a crash. Its version is the inserted row's, read back in the transaction.
 */
export const create = (conn: HubConnection, queries: HubQueries, request: CreateRequest) =>
  Effect.gen(function* () {
    const adapter = conn.options.name
    const what = `insert of ERP customer ${request.sourceId} into the hub`
    const ord = yield* Option.match(hubId(request.sourceId), {
      onNone: () =>
        Effect.fail(
          new RejectedError({ adapter, message: `${what}: ${request.sourceId} is not an ERP customer number (ord)` })
        ),
      onSome: Effect.succeed
    })
    const values = yield* writableValues(adapter, request.fields)
    const type = values.find(([field]) => field === "erp_customer_type")?.[2] ?? null
    const row: Record<string, StoredValue> = {}
    for (const [field, , value] of values) {
      if (value !== null) row[field === CUSTOMER_NAME ? customerNameColumn(type) : field] = value
    }
    if (row.erp_customer_id !== undefined && row.erp_customer_id !== ord) {
      return yield* new RejectedError({
        adapter,
        field: "erp_customer_id",
        message: `${what}: the fields give it ERP id ${row.erp_customer_id}`
      })
    }
    row.erp_customer_id = ord
    const stamp = yield* conn.stamp
    Object.assign(withProvenance(row), {
      erp_sync_status: "synced",
      erp_sync_action: "create",
      erp_last_pulled: stamp,
      created_at: stamp,
      updated_at: stamp,
      created_by: SYNC_USER,
      updated_by: SYNC_USER
    })
    return yield* conn.attempt(what, () =>
      conn.db.transaction(
        (tx): Created => {
          const taken = collision(conn, row, 0)
          if (taken !== undefined) throw taken
          const id = tx
            .insert(customersUnified)
            .values(row as Insert)
            .returning({ id: customersUnified.id })
            .get().id
          const inserted = queries.one.get(id)
          return {
            id: RecordIdSchema.make(String(id)),
            ...(inserted === undefined ? {} : { version: rowVersion(inserted) })
          }
        },
        { behavior: "immediate" }
      )
    )
  })

/** The row an earlier `create` from this ERP customer inserted, found by the `erp_customer_id` it was given. */
export const findCreated = (conn: HubConnection, request: FindCreatedRequest) =>
  Option.match(hubId(request.sourceId), {
    onNone: () => Effect.succeed(Option.none<RecordId>()),
    onSome: (ord) =>
      conn
        .attempt("lookup of a created hub customer", () =>
          conn.sqlite
            .prepare<[number, string], number>(
              "SELECT id FROM customers_unified WHERE erp_customer_id = ? AND created_by = ?"
            )
            .pluck()
            .get(ord, SYNC_USER)
        )
        .pipe(Effect.map((id) => Option.map(Option.fromNullable(id), (found) => RecordIdSchema.make(String(found)))))
  })

/** The fields the sync last wrote that the row no longer holds, compared as the hub reads them. */
const changedSince = (current: Fields, written: Fields): ReadonlyArray<string> =>
  Object.entries(written).flatMap(([field, value]) => {
    const kind = field === CUSTOMER_NAME ? "text" : fieldKind(field)
    return kind !== undefined && (current[field] ?? null) !== normalizeValue(kind, value) ? [field] : []
  })

/**
 * Deletes a row the sync created (an ERP customer it pulled, a WeChat contact its intake took in) while nobody else
 * changed it since: `updated_by` is still the sync's and every field the sync last wrote (`written`) still holds that
 * value, so a person's edit the sync later wrote over in another field is noticed too. A row someone changed is kept,
 * and a row the sync did not create is never deleted. `version` cannot decide it: a person's edit before the sync's
 * last write is in the version that write gave, and the sync's acknowledgements change the version without a person.
 */
export const compensateCreate = (conn: HubConnection, queries: HubQueries, request: CompensateRequest) => {
  const adapter = conn.options.name
  const { id } = request
  const what = `deletion of created hub customer ${id}`
  return Option.match(hubId(id), {
    onNone: () => Effect.succeed<Compensation>({ _tag: "Deleted" }),
    onSome: (rowId) =>
      conn.attempt(
        what,
        (): Compensation =>
          conn.db.transaction(
            (tx) => {
              const row = queries.one.get(rowId)
              if (row === undefined) return { _tag: "Deleted" }
              if (row.created_by !== SYNC_USER) {
                throw new RejectedError({
                  adapter,
                  message: `${what}: the sync did not create this customer; it is kept`
                })
              }
              if (row.updated_by !== SYNC_USER) {
                const who = row.updated_by === null ? "" : ` (last by ${row.updated_by})`
                return { _tag: "Kept", note: `hub customer ${id} was changed since the sync created it${who}; kept` }
              }
              const changed = changedSince(toSideRecord(row, conn.time).fields, request.written)
              if (changed.length > 0) {
                return {
                  _tag: "Kept",
                  note: `hub customer ${id} no longer holds what the sync wrote to it (${changed.join(", ")}); kept`
                }
              }
              tx.delete(customersUnified).where(eq(customersUnified.id, rowId)).run()
              return { _tag: "Deleted" }
            },
            { behavior: "immediate" }
          )
      )
  })
}
