import type { LinkShown, Side } from "@tongbu/core"
import { Fields, RecordId } from "@tongbu/core"
import { and, eq, inArray } from "drizzle-orm"
import { Schema } from "effect"
import { shownLinks } from "./schema.js"
import type { Db } from "./sqlitePrepared.js"
import { prepared } from "./sqlitePrepared.js"
import { decoder, encodeFields } from "./storeRows.js"

// What each side wrote into its records to show their links (`LinkShown`), kept for a rollback to take back.

const decodeFields = decoder(Schema.parseJson(Fields))

/** SQLite allows a bounded number of parameters per statement. */
const CHUNK = 500

const fromRow = (row: typeof shownLinks.$inferSelect): LinkShown => {
  const name = `shown_links row ${row.side}/${row.recordId}`
  return {
    id: RecordId.make(row.recordId),
    linkedId: RecordId.make(row.linkedId),
    before: decodeFields(row.before, name),
    written: decodeFields(row.written, name)
  }
}

export const shown = (db: Db, side: Side, ids: ReadonlyArray<RecordId>): Map<RecordId, LinkShown> => {
  const out = new Map<RecordId, LinkShown>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const found = db
      .select()
      .from(shownLinks)
      .where(and(eq(shownLinks.side, side), inArray(shownLinks.recordId, ids.slice(i, i + CHUNK))))
      .all()
    for (const row of found) out.set(RecordId.make(row.recordId), fromRow(row))
  }
  return out
}

export const saveShown = (db: Db, side: Side, all: ReadonlyArray<LinkShown>): void => {
  const statements = prepared(db)
  for (const next of all) {
    const row = statements.shownOf(side, next.id)
    const previous = row === undefined ? undefined : fromRow({ side, ...row })
    // The same link shown again keeps the first before-image of each field: that is what the record held before it.
    const merged =
      previous === undefined || previous.linkedId !== next.linkedId
        ? next
        : {
            ...next,
            before: { ...next.before, ...previous.before },
            written: { ...previous.written, ...next.written }
          }
    statements.saveShown(side, {
      recordId: next.id,
      linkedId: merged.linkedId,
      before: encodeFields(merged.before),
      written: encodeFields(merged.written)
    })
  }
}

export const forgetShown = (db: Db, side: Side, ids: ReadonlyArray<RecordId>): void => {
  for (let i = 0; i < ids.length; i += CHUNK) {
    db.delete(shownLinks)
      .where(and(eq(shownLinks.side, side), inArray(shownLinks.recordId, ids.slice(i, i + CHUNK))))
      .run()
  }
}
