/**
 * Updates of `customers_unified`, each one short `BEGIN IMMEDIATE` transaction: read the row, compare-and-set against
 * what the sync read, write only the columns that differ. Nothing here waits on the network inside a transaction.
 * (Inserts are in `creates.ts`.)
 */
import type { FieldValue, Updated, UpdateRequest } from "@tongbu/core"
import { CollisionError, RecordId as RecordIdSchema, RejectedError, StaleError } from "@tongbu/core"
import { eq, sql } from "drizzle-orm"
import { Effect, Option } from "effect"
import { CUSTOMER_NAME, customerNameColumn, displayNameOf, fieldKind, rowVersion, toSideRecord } from "../HubRecord.js"
import { customersUnified, provenanceColumns } from "../HubSchema.js"
import { normalizeValue } from "../Normalize.js"
import type { StoredValue } from "./coerce.js"
import { writableValues } from "./coerce.js"
import type { HubConnection } from "./connection.js"
import type { HubQueries } from "./queries.js"

/** Marks the rows the sync wrote, in the hub's own `created_by` / `updated_by` columns. */
export const SYNC_USER = "tongbu"

export type Insert = typeof customersUnified.$inferInsert

/** A hub id (or an ERP ord) from a record id: a positive integer, else none (no such customer). */
export const hubId = (id: string): Option.Option<number> =>
  /^[1-9]\d{0,15}$/.test(id) ? Option.some(Number(id)) : Option.none()

/** Marks the provenance columns of what the sync writes as the ERP's. */
export const withProvenance = <A extends Record<string, unknown>>(sets: A): A => {
  for (const column of provenanceColumns) if (column in sets) Object.assign(sets, { [`${column}_source`]: "erp" })
  return sets
}

export const update = (conn: HubConnection, queries: HubQueries, request: UpdateRequest) =>
  Effect.gen(function* () {
    const adapter = conn.options.name
    const what = `update of hub customer ${request.id}`
    const id = yield* Option.match(hubId(request.id), {
      onNone: () =>
        Effect.fail(new RejectedError({ adapter, message: `${what}: there is no hub customer ${request.id}` })),
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
    // A rollback's values go back exactly as the hub stored them: compared and written raw, never normalized.
    const given = (field: string, value: StoredValue): StoredValue =>
      request.asStored ? asBound(request.changes[field] ?? null) : value
    const stamp = yield* conn.stamp
    return yield* conn.attempt(what, () =>
      conn.db.transaction(
        (tx): Updated => {
          const row = queries.one.get(id)
          if (row === undefined) throw new RejectedError({ adapter, message: `${what}: the customer no longer exists` })
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
          const overwritten: Record<string, FieldValue> = {}
          for (const [field, , value] of changes) {
            const column = field === CUSTOMER_NAME ? customerNameColumn(typeAfter) : field
            const stored = asBound(row[column])
            let differs: boolean
            if (request.asStored) differs = stored !== given(field, value)
            else if (field === CUSTOMER_NAME) {
              const wanted = changed.get(field)
              differs =
                displayNameOf({ ...current, erp_customer_type: typeAfter }) !== wanted && current[column] !== wanted
            } else differs = current[field] !== changed.get(field)
            if (!differs) continue
            sets[column] = given(field, value)
            overwritten[field] = stored
          }
          if (Object.keys(sets).length === 0) return { overwritten }
          const taken = collision(conn, sets, id)
          if (taken !== undefined) throw taken
          // Raw values bypass the columns' own conversions (a flag's "0" text would become 1).
          const values: Record<string, unknown> = request.asStored
            ? Object.fromEntries(Object.entries(sets).map(([column, value]) => [column, sql`${value}`]))
            : { ...sets }
          withProvenance(values)
          Object.assign(values, { erp_last_pulled: stamp, updated_at: stamp, updated_by: SYNC_USER })
          tx.update(customersUnified)
            .set(values as Insert)
            .where(eq(customersUnified.id, id))
            .run()
          const after = queries.one.get(id)
          return { overwritten, ...(after === undefined ? {} : { version: rowVersion(after) }) }
        },
        { behavior: "immediate" }
      )
    )
  })

/** A column's value as SQLite gives it back and takes it: booleans as 0/1, big integers as numbers. */
const asBound = (value: unknown): StoredValue => {
  if (typeof value === "boolean") return value ? 1 : 0
  if (typeof value === "bigint") return Number(value)
  if (typeof value === "string" || typeof value === "number") return value
  return null
}

const UNIQUE_COLUMNS = ["erp_customer_id", "wechat_id"] as const

/** The first unique value in `row` another hub customer (not `self`) already holds, as a `CollisionError`. */
export const collision = (
  conn: HubConnection,
  row: Record<string, StoredValue>,
  self: number
): CollisionError | undefined => {
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
