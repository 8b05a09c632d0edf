import { ListEntry, RecordId } from "@tongbu/core"
import { Chunk, Effect, Option, Stream } from "effect"
import type { ListQuery, ZhibangClientService } from "../../ZhibangClient.js"
import type { ZhibangError } from "../../ZhibangError.js"
import { ZhibangFatalError, ZhibangTransientError } from "../../ZhibangError.js"
import type { ListPage } from "../customer.js"
import { versionOf } from "./records.js"

export type Row = Readonly<Record<string, string | null>>
export type OrdRow = Row & { readonly ord: string }

/** One of the ERP's lists (customers, contacts: the same `source/table` answer), as a listing pages through it. */
export interface Listable {
  /** What a row is, in messages. */
  readonly noun: "customer" | "contact"
  readonly page: (query: ListQuery) => Effect.Effect<ListPage, ZhibangError>
}

export const customers = (client: ZhibangClientService): Listable => ({ noun: "customer", page: client.listCustomers })
export const contacts = (client: ZhibangClientService): Listable => ({ noun: "contact", page: client.listContacts })

/** Every customer exactly once, by ascending `ord` (see `listRows`). */
export const listAll = (
  client: ZhibangClientService,
  pageSize: number,
  filters: Readonly<Record<string, string>> = {}
): Stream.Stream<OrdRow, ZhibangError> => listRows(customers(client), pageSize, filters)

/**
 * Every row of a list exactly once, by ascending `ord`: new rows land on the last page while the list is read, and a
 * row that shifts onto a later page (an installation that ignores the sort) is seen again and skipped. Fewer rows
 * than the ERP counted at the start means rows shifted the other way (a deletion meanwhile): the listing fails rather
 * than look complete.
 */
export const listRows = (
  list: Listable,
  pageSize: number,
  filters: Readonly<Record<string, string>> = {}
): Stream.Stream<OrdRow, ZhibangError> =>
  Stream.suspend(() => {
    const seen = new Set<string>()
    // the count when the listing began: rows added meanwhile may be missed (the next run lists them), fewer seen
    // than were there at the start means rows shifted under the pages
    let counted: number | null = null
    return Stream.paginateChunkEffect(1, (pageIndex: number) =>
      list.page({ pageIndex, pageSize, sort: "ord", filters }).pipe(
        Effect.flatMap((page): Effect.Effect<readonly [Chunk.Chunk<OrdRow>, Option.Option<number>], ZhibangError> => {
          if (pageIndex === 1) counted = page.recordCount
          const rows: Array<OrdRow> = []
          for (const [index, row] of page.rows.entries()) {
            const ord = row.ord?.trim()
            if (!ord || !/^\d+$/.test(ord)) return Effect.fail(missingOrd(list.noun, page, pageIndex, index))
            if (seen.has(ord)) continue
            seen.add(ord)
            rows.push({ ...row, ord })
          }
          if (hasMore(page, pageSize, seen.size))
            return Effect.succeed([Chunk.fromIterable(rows), Option.some(pageIndex + 1)] as const)
          if (counted !== null && seen.size < counted) {
            return Effect.fail(
              new ZhibangTransientError({
                operation: `list ${list.noun}s`,
                message: `the ${list.noun} list changed while it was read (${seen.size} of ${counted} ${list.noun}s seen); the next run reads it again`,
                uncertain: false
              })
            )
          }
          return Effect.succeed([Chunk.fromIterable(rows), Option.none<number>()] as const)
        })
      )
    )
  })

const hasMore = (page: ListPage, pageSize: number, seen: number): boolean => {
  if (page.rows.length === 0) return false
  if (page.pageCount !== null) return page.pageIndex < page.pageCount
  if (page.recordCount !== null) return seen < page.recordCount
  return page.rows.length >= pageSize
}

const missingOrd = (noun: Listable["noun"], page: ListPage, pageIndex: number, index: number) =>
  new ZhibangFatalError({
    operation: `list ${noun}s`,
    message: page.columns.includes("ord")
      ? `row ${index + 1} of page ${pageIndex} of the ${noun} list has no ${noun} id (ord)`
      : `the ERP's ${noun} list has no 'ord' column (columns: ${page.columns.join(", ")}); the list must show the ${noun} id for the sync to work`
  })

/** List columns that show a detail field as it is, by the field's id (`telintro` is the notes, `intro`). */
const shownAs: ReadonlyArray<readonly [column: string, field: string]> = [
  ["name", "name"],
  ["mobile", "mobile"],
  ["phone", "phone"],
  ["telintro", "intro"],
  ["personname", "person_name"],
  ["personjob", "job"]
]

export const toEntry = (row: OrdRow): ListEntry => {
  const shown: Record<string, string | null> = {}
  for (const [column, field] of shownAs) if (column in row) shown[field] = row[column] ?? null
  // `ord` is checked to be digits while paging (`listRows`): the brand's own check is skipped, as the entry's
  return new ListEntry({ id: RecordId.make(row.ord, true), version: versionOf(row), shown }, true)
}

/**
 * The first customer a list filter (fuzzy: `khid=WX12` also matches `WX123`) finds that passes `exact`, which may read
 * what the row does not show; `limit` bounds the rows looked at.
 */
export const findExact = <E>(
  client: ZhibangClientService,
  pageSize: number,
  filter: Readonly<Record<string, string>>,
  exact: (row: OrdRow) => Effect.Effect<boolean, E>,
  limit?: number
): Effect.Effect<Option.Option<string>, ZhibangError | E> => {
  const candidates = listAll(client, pageSize, filter)
  return (limit === undefined ? candidates : Stream.take(candidates, limit)).pipe(
    Stream.filterEffect(exact),
    Stream.runHead,
    Effect.map(Option.map((row) => row.ord))
  )
}
