import type { LinkShown, Side } from "@tongbu/core"
import { RecordId, StoreRows } from "@tongbu/core"
import { and, eq, inArray } from "drizzle-orm"
import { shownLinks } from "./schema.js"
import type { Db } from "./sqlitePrepared.js"
import { prepared } from "./sqlitePrepared.js"

// What each side wrote into its records to show their links (`LinkShown`), kept for a rollback to take back.

/** SQLite allows a bounded number of parameters per statement. */
const CHUNK = 500

export const shown = (db: Db, side: Side, ids: ReadonlyArray<RecordId>): Map<RecordId, LinkShown> => {
  const out = new Map<RecordId, LinkShown>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const found = db
      .select()
      .from(shownLinks)
      .where(and(eq(shownLinks.side, side), inArray(shownLinks.recordId, ids.slice(i, i + CHUNK))))
      .all()
    for (const row of found) out.set(RecordId.make(row.recordId), StoreRows.shownFromRow(row))
  }
  return out
}

export const saveShown = (db: Db, side: Side, all: ReadonlyArray<LinkShown>): void => {
  const statements = prepared(db)
  for (const next of all) {
    const row = statements.shownOf(side, next.id)
    const previous = row === undefined ? undefined : StoreRows.shownFromRow({ side, ...row })
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
      before: StoreRows.encodeJson(merged.before),
      written: StoreRows.encodeJson(merged.written)
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
