/** Compare-and-set updates and compensation, each one SQLite transaction. */
import type { CompensateRequest, Compensation, Updated, UpdateRequest } from "@tongbu/core"
import { RejectedError, StaleError } from "@tongbu/core"
import { Clock, Effect, Option } from "effect"
import type { Table } from "./table.js"
import { quote, sameValue, toCell } from "./table.js"
import type { Writing } from "./writing.js"

export const makeWrites = (table: Table, writing: Writing) => {
  const { sqlite, options, one } = table
  const { name } = options
  const { t, id, version, prepare, keyOf, columnsOf, nextVersion, checkUnique, missing } = writing

  const update = (request: UpdateRequest) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      table.attempt(
        `update ${request.key} of ${options.table} ${request.id}`,
        (): Updated =>
          sqlite
            .transaction((): Updated => {
              const rowId = Option.getOrUndefined(table.idOf(request.id))
              const row = rowId === undefined ? undefined : one.get(rowId)
              if (rowId === undefined || row === undefined) throw missing(request.id, "update")
              const current = table.toRecord(row).fields
              const columns = columnsOf(request.changes, `update ${request.key}`)
              const pending = columns.filter(([field]) => !sameValue(current[field], request.changes[field]))
              if (pending.length === 0) return { overwritten: {} }
              const moved = pending.find(([field]) => !sameValue(current[field], request.expected[field]))
              if (moved !== undefined) {
                const message = `${moved[0]} of record ${request.id} in ${options.table} changed since it was read`
                throw new StaleError({ adapter: name, field: moved[0], message })
              }
              checkUnique(Object.fromEntries(pending.map(([field]) => [field, request.changes[field] ?? null])), rowId)
              const sets = [...pending.map(([, column]) => `${quote(column)} = ?`), `${version} = ?`]
              const next = nextVersion(now)
              prepare(`UPDATE ${t} SET ${sets.join(", ")} WHERE ${id} = ?`).run(
                ...pending.map(([field]) => toCell(request.changes[field])),
                next,
                rowId
              )
              return {
                overwritten: Object.fromEntries(pending.map(([field]) => [field, current[field] ?? null])),
                version: String(next)
              }
            })
            .immediate()
      )
    )

  /**
   * Deletes the row while it still holds everything the sync last wrote to it; a row someone changed is kept. Not by
   * `version`: a person's edit before the sync's last write is in the version that write gave, and a rollback's
   * restore of a later run changes the version without a person.
   */
  const compensateCreate = (request: CompensateRequest) =>
    table.attempt(
      `deletion of created record ${request.id} of ${options.table}`,
      (): Compensation =>
        sqlite
          .transaction((): Compensation => {
            const rowId = Option.getOrUndefined(table.idOf(request.id))
            const row = rowId === undefined ? undefined : one.get(rowId)
            if (rowId === undefined || row === undefined) return { _tag: "Deleted" }
            if (keyOf !== undefined) {
              if (keyOf.get(rowId) !== request.key) {
                throw new RejectedError({
                  adapter: name,
                  message: `record ${request.id} of ${options.table} was not made by create ${request.key}; it is kept`
                })
              }
            }
            const current = table.toRecord(row).fields
            const changed = Object.keys(request.written).filter(
              (field) => field in options.columns && !sameValue(current[field], request.written[field])
            )
            if (changed.length > 0) {
              return {
                _tag: "Kept",
                note: `record ${request.id} of ${options.table} was changed since the sync wrote it (${changed.join(", ")}); kept`
              }
            }
            prepare(`DELETE FROM ${t} WHERE ${id} = ?`).run(rowId)
            return { _tag: "Deleted" }
          })
          .immediate()
    )

  return { update, compensateCreate }
}
