import { Effect, Either, Schema } from "effect"
import type { ErpUser, UserPage } from "../ZhibangClient.js"
import type { ZhibangError } from "../ZhibangError.js"
import { ZhibangTransientError } from "../ZhibangError.js"
import type { Caller } from "./call.js"
import { Row, zipRows } from "./wire/answer.js"
import { Pages } from "./wire/envelope.js"

const Count = Schema.Union(Schema.Number, Schema.NumberFromString)

/**
 * The account list's `Data` (账号列表, catalog `orgs/user/list`): `Page` with the counts, `Cols` and `Rows`. The
 * catalog names these members but shows no answer, so the columns are taken as ids or `{id}` objects and the rows as
 * the V1 lists' (positional, wrapped or keyed), zipped by column id.
 */
const UserData = Schema.Struct({
  Page: Schema.optional(Schema.NullOr(Schema.Struct({ RecordCount: Schema.optional(Count) }))),
  Cols: Schema.optional(Schema.NullOr(Schema.Array(Schema.Union(Schema.String, Schema.Struct({ id: Schema.String }))))),
  Rows: Schema.optional(Schema.NullOr(Schema.Array(Row)))
})

const decode = Schema.decodeUnknownEither(UserData)

const usersOf = (operation: string, data: unknown): Either.Either<UserPage, ZhibangTransientError> =>
  Either.mapBoth(decode(data ?? {}), {
    onLeft: (error) =>
      new ZhibangTransientError({
        operation,
        message: `the ERP's account list is not understood: ${error.message.split("\n")[0]}`,
        uncertain: false
      }),
    onRight: (page) => {
      const cols = (page.Cols ?? []).map((col) => (typeof col === "string" ? col : col.id))
      const rows = zipRows({ cols: cols.map((id) => ({ id })), rows: page.Rows ?? [] })
      const users = rows.flatMap((row): ReadonlyArray<ErpUser> => {
        const id = row.ord ?? null
        return id === null ? [] : [{ id, name: row.name ?? "", username: row.username ?? "" }]
      })
      return { recordCount: page.Page?.RecordCount ?? null, users }
    }
  })

/** One page of the ERP's accounts (V3, `ZBAPI-Token`): the users customers are assigned to (`member2`). */
export const listUsers =
  (caller: Caller) =>
  (query: { readonly pageIndex: number; readonly pageSize: number }): Effect.Effect<UserPage, ZhibangError> => {
    const operation = `list users (page ${query.pageIndex})`
    return Effect.flatMap(
      caller.v3Read({
        operation,
        page: Pages.v3UserList,
        body: { page_index: query.pageIndex, page_size: query.pageSize }
      }),
      (data) => usersOf(operation, data)
    )
  }
