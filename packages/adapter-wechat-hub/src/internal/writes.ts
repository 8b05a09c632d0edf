/**
 * Writes to `customers_unified`, each one short `BEGIN IMMEDIATE` transaction: read the row, compare-and-set against
 * what the sync read, write only the columns that differ. Nothing here waits on the network inside a transaction.
 */
import type { Compensation, CreateRequest, FieldValue, FindCreatedRequest, RecordId, UpdateRequest } from "@tongbu/core"
import { CollisionError, RecordId as RecordIdSchema, RejectedError, StaleError } from "@tongbu/core"
import { eq } from "drizzle-orm"
import { Effect, Either, Option } from "effect"
import { CUSTOMER_NAME, customerNameColumn, displayNameOf, fieldKind, toSideRecord } from "../HubRecord.js"
import { customersUnified, provenanceColumns } from "../HubSchema.js"
import { normalizeValue } from "../Normalize.js"
import type { StoredValue } from "./coerce.js"
import { storedValue, writableValues } from "./coerce.js"
import type { HubConnection } from "./connection.js"
import type { HubQueries } from "./queries.js"

/** Marks the rows the sync wrote, in the hub's own `created_by` / `updated_by` columns. */
export const SYNC_USER = "tongbu"

type Insert = typeof customersUnified.$inferInsert

/** A hub id from a record id: a positive integer, else none (no such customer). */
export const hubId = (id: string): Option.Option<number> =>
  /^[1-9]\d{0,15}$/.test(id) ? Option.some(Number(id)) : Option.none()

const withProvenance = (sets: Record<string, StoredValue>): Record<string, StoredValue> => {
  for (const column of provenanceColumns) if (column in sets) sets[`${column}_source`] = "erp"
  return sets
}

export const update = (conn: HubConnection, queries: HubQueries, request: UpdateRequest) =>
  Effect.gen(function* () {
    const adapter = conn.options.name
    const what = `update of hub customer ${request.id}`
    const id = yield* Option.match(hubId(request.id), {
      onNone: () =>
        Effect.fail(new StaleError({ adapter, message: `${what}: there is no hub customer ${request.id}` })),
      onSome: Effect.succeed
    })
    const changes = yield* writableValues(adapter, request.changes)
    const changed = new Map(changes.map(([field, kind, value]) => [field, normalizeValue(kind, value)]))
    if (changed.has(CUSTOMER_NAME)) {
      const type = changed.get("erp_customer_type")
      const target = customerNameColumn(type)
      if (changed.has(target) && changed.get(target) !== changed.get(CUSTOMER_NAME)) {
        return yield* new RejectedError({
          adapter,
          field: target,
          message: `${what}: customer_name and ${target} disagree`
        })
      }
    }
    for (const field of Object.keys(request.expected)) {
      if (fieldKind(field) === undefined) {
        return yield* new RejectedError({
          adapter,
          field,
          message: `${what}: ${field} is not a field of hub customers`
        })
      }
    }
    const stamp = yield* conn.stamp
    yield* conn.attempt(what, () =>
      conn.db.transaction(
        (tx) => {
          const row = queries.one.get(id)
          if (row === undefined) throw new StaleError({ adapter, message: `${what}: the customer no longer exists` })
          const current = toSideRecord(row, conn.time).fields
          for (const [field, expected] of Object.entries(request.expected)) {
            const now = current[field] ?? null
            const kind = fieldKind(field) ?? "text"
            if (now !== normalizeValue(kind, expected) && !(changed.has(field) && changed.get(field) === now)) {
              throw new StaleError({
                adapter,
                field,
                message: `${what}: ${field} was changed in the hub after the sync read it`
              })
            }
          }
          const typeAfter: FieldValue = changed.has("erp_customer_type")
            ? (changed.get("erp_customer_type") ?? null)
            : (current.erp_customer_type ?? null)
          const sets: Record<string, StoredValue> = {}
          for (const [field, , value] of changes) {
            if (field === CUSTOMER_NAME) {
              const column = customerNameColumn(typeAfter)
              const wanted = changed.get(field)
              const shown = displayNameOf({ ...current, erp_customer_type: typeAfter })
              if (shown !== wanted && current[column] !== wanted) sets[column] = value
            } else if (current[field] !== changed.get(field)) {
              sets[field] = value
            }
          }
          if (Object.keys(sets).length === 0) return
          const taken = collision(conn, sets, id)
          if (taken !== undefined) throw taken
          withProvenance(sets)
          Object.assign(sets, { erp_last_pulled: stamp, updated_at: stamp, updated_by: SYNC_USER })
          tx.update(customersUnified)
            .set(sets as Insert)
            .where(eq(customersUnified.id, id))
            .run()
        },
        { behavior: "immediate" }
      )
    )
  })

const UNIQUE_COLUMNS = ["erp_customer_id", "wechat_id"] as const

/** The first unique value in `row` another hub customer (not `self`) already holds, as a `CollisionError`. */
const collision = (conn: HubConnection, row: Record<string, StoredValue>, self: number): CollisionError | undefined => {
  for (const column of UNIQUE_COLUMNS) {
    const value = row[column]
    if (value === null || value === undefined) continue
    const holder = conn.sqlite
      .prepare<[StoredValue, number], number>(`SELECT id FROM customers_unified WHERE ${column} = ? AND id <> ?`)
      .pluck()
      .get(value, self)
    if (holder !== undefined) {
      return new CollisionError({
        adapter: conn.options.name,
        field: column,
        collidingId: RecordIdSchema.make(String(holder)),
        message: `hub customer ${holder} already has this ${column}`
      })
    }
  }
  return undefined
}

/** Inserts an ERP-born customer: business columns marked `*_source = 'erp'`, sync state `synced` / `create`. */
export const create = (conn: HubConnection, request: CreateRequest) =>
  Effect.gen(function* () {
    const values = yield* writableValues(conn.options.name, request.fields)
    const type = values.find(([field]) => field === "erp_customer_type")?.[2] ?? null
    const row: Record<string, StoredValue> = {}
    for (const [field, , value] of values) {
      if (value !== null) row[field === CUSTOMER_NAME ? customerNameColumn(type) : field] = value
    }
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
    const id = yield* conn.attempt("insert of an ERP customer into the hub", () =>
      conn.db.transaction(
        (tx) => {
          const taken = collision(conn, row, 0)
          if (taken !== undefined) throw taken
          return tx
            .insert(customersUnified)
            .values(row as Insert)
            .returning({ id: customersUnified.id })
            .get().id
        },
        { behavior: "immediate" }
      )
    )
    return RecordIdSchema.make(String(id))
  })

/** The row an earlier `create` of these fields inserted, found by its (unique) `erp_customer_id`. */
export const findCreated = (conn: HubConnection, request: FindCreatedRequest) => {
  const ord = request.fields.erp_customer_id
  const stored = ord === undefined ? Either.right(null) : storedValue("integer", ord)
  if (Either.isLeft(stored) || stored.right === null) return Effect.succeed(Option.none<RecordId>())
  const erpId = stored.right
  return conn
    .attempt("lookup of a created hub customer", () =>
      conn.sqlite
        .prepare<[StoredValue], number>("SELECT id FROM customers_unified WHERE erp_customer_id = ?")
        .pluck()
        .get(erpId)
    )
    .pipe(Effect.map((id) => Option.map(Option.fromNullable(id), (found) => RecordIdSchema.make(String(found)))))
}

/** Deletes a row the sync created; a row the sync did not create is never deleted. */
export const compensateCreate = (conn: HubConnection, id: RecordId) => {
  const adapter = conn.options.name
  const what = `deletion of created hub customer ${id}`
  return Option.match(hubId(id), {
    onNone: () => Effect.succeed<Compensation>({ _tag: "Deleted" }),
    onSome: (rowId) =>
      conn.attempt(
        what,
        (): Compensation =>
          conn.db.transaction(
            (tx) => {
              const found = tx
                .select({ created_by: customersUnified.created_by })
                .from(customersUnified)
                .where(eq(customersUnified.id, rowId))
                .get()
              if (found === undefined) return { _tag: "Deleted" }
              if (found.created_by !== SYNC_USER) {
                throw new RejectedError({
                  adapter,
                  message: `${what}: the sync did not create this customer; it is kept`
                })
              }
              tx.delete(customersUnified).where(eq(customersUnified.id, rowId)).run()
              return { _tag: "Deleted" }
            },
            { behavior: "immediate" }
          )
      )
  })
}
