import type { LinkState, RecordId, Side } from "@tongbu/core"
import { StoreRows as rows } from "@tongbu/core"
import { and, eq } from "drizzle-orm"
import { links } from "./schema.js"
import { prepared, type Tx } from "./tx.js"

// Links and their baselines. A record is linked to at most one record of the other side: saving a link drops any
// other link of either of its records, as one save after another would, however many links one call saves.

export const allLinks = async (tx: Tx): Promise<Array<LinkState>> =>
  (await tx.db.select().from(links).where(eq(links.pairId, tx.pair))).map(rows.linkFromRow)

export const linkOf = async (tx: Tx, side: Side, id: RecordId): Promise<LinkState | undefined> => {
  const [row] = await tx.db
    .select()
    .from(links)
    .where(and(eq(links.pairId, tx.pair), side === "left" ? eq(links.leftId, id) : eq(links.rightId, id)))
  return row === undefined ? undefined : rows.linkFromRow(row)
}

/** The links that stand after saving `states` one after another: a later link of a record replaces an earlier one. */
const standing = (states: ReadonlyArray<LinkState>): Array<LinkState> => {
  const byLeft = new Map<string, LinkState>()
  const byRight = new Map<string, LinkState>()
  for (const link of states) {
    for (const earlier of [byLeft.get(link.leftId), byRight.get(link.rightId)]) {
      if (earlier === undefined) continue
      byLeft.delete(earlier.leftId)
      byRight.delete(earlier.rightId)
    }
    byLeft.set(link.leftId, link)
    byRight.set(link.rightId, link)
  }
  return [...byLeft.values()]
}

export const saveLinks = async (tx: Tx, states: ReadonlyArray<LinkState>): Promise<void> => {
  if (states.length === 0) return
  const kept = standing(states)
  // Every stored link of a record named here goes, but for the pairs that stand, which are updated in place.
  await prepared(
    tx,
    "links_drop",
    `delete from links where pair_id = $1 and (left_id = any($2::text[]) or right_id = any($3::text[]))
       and (left_id, right_id) not in (select * from unnest($4::text[], $5::text[]))`,
    [
      tx.pair,
      states.map((l) => l.leftId),
      states.map((l) => l.rightId),
      kept.map((l) => l.leftId),
      kept.map((l) => l.rightId)
    ]
  )
  await prepared(
    tx,
    "links_save",
    `insert into links (pair_id, left_id, right_id, "left", "right", left_version, right_version)
     select $1, * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
     on conflict (pair_id, left_id) do update set
       right_id = excluded.right_id, "left" = excluded."left", "right" = excluded."right",
       left_version = excluded.left_version, right_version = excluded.right_version`,
    [
      tx.pair,
      kept.map((l) => l.leftId),
      kept.map((l) => l.rightId),
      kept.map((l) => rows.encodeJson(l.left)),
      kept.map((l) => rows.encodeJson(l.right)),
      kept.map((l) => l.leftVersion ?? null),
      kept.map((l) => l.rightVersion ?? null)
    ]
  )
}

export const removeLink = async (tx: Tx, leftId: RecordId, rightId: RecordId): Promise<void> => {
  await tx.db.delete(links).where(and(eq(links.pairId, tx.pair), eq(links.leftId, leftId), eq(links.rightId, rightId)))
}
