import type { LinkShown, RecordId, Side } from "@tongbu/core"
import { StoreRows } from "@tongbu/core"
import type * as tables from "./schema.js"
import type { Tx } from "./tx.js"

// What each side was told (digests) and what it wrote into its records to show their links, kept for a rollback.

/** What was found, in the order the ids were asked for. */
const inOrder = <A>(ids: ReadonlyArray<RecordId>, found: ReadonlyMap<string, A>): Map<RecordId, A> => {
  const out = new Map<RecordId, A>()
  for (const id of ids) {
    const value = found.get(id)
    if (value !== undefined) out.set(id, value)
  }
  return out
}

export const acknowledged = async (
  tx: Tx,
  side: Side,
  ids: ReadonlyArray<RecordId>
): Promise<Map<RecordId, string>> => {
  const found = await tx.client.query<{ recordId: string; digest: string }>(
    `select record_id as "recordId", digest from acknowledgements
     where pair_id = $1 and side = $2 and record_id = any($3::text[])`,
    [tx.pair, side, ids]
  )
  const digests = new Map(found.rows.map((row) => [row.recordId, row.digest]))
  return inOrder(ids, digests)
}

export const saveAcknowledged = async (tx: Tx, side: Side, digests: ReadonlyMap<RecordId, string>): Promise<void> => {
  if (digests.size === 0) return
  await tx.client.query(
    `insert into acknowledgements (pair_id, side, record_id, digest)
     select $1, $2, * from unnest($3::text[], $4::text[])
     on conflict (pair_id, side, record_id) do update set digest = excluded.digest`,
    [tx.pair, side, [...digests.keys()], [...digests.values()]]
  )
}

type ShownRow = typeof tables.shownLinks.$inferSelect

export const shown = async (tx: Tx, side: Side, ids: ReadonlyArray<RecordId>): Promise<Map<RecordId, LinkShown>> => {
  const found = await tx.client.query<ShownRow>(
    `select pair_id as "pairId", side, record_id as "recordId", linked_id as "linkedId", before, written
     from shown_links where pair_id = $1 and side = $2 and record_id = any($3::text[])`,
    [tx.pair, side, ids]
  )
  return inOrder(ids, new Map(found.rows.map((row) => [row.recordId, StoreRows.shownFromRow(row)])))
}

export const saveShown = async (tx: Tx, side: Side, all: ReadonlyArray<LinkShown>): Promise<void> => {
  if (all.length === 0) return
  const stored = await shown(
    tx,
    side,
    all.map((next) => next.id)
  )
  // In order, as one save after another would: each merges with what the record showed until then.
  const saved = new Map<RecordId, LinkShown>()
  for (const next of all) {
    const previous = saved.get(next.id) ?? stored.get(next.id)
    // The same link shown again keeps the first before-image of each field: that is what the record held before it.
    saved.set(
      next.id,
      previous === undefined || previous.linkedId !== next.linkedId
        ? next
        : { ...next, before: { ...next.before, ...previous.before }, written: { ...previous.written, ...next.written } }
    )
  }
  const rows = [...saved.values()]
  await tx.client.query(
    `insert into shown_links (pair_id, side, record_id, linked_id, before, written)
     select $1, $2, * from unnest($3::text[], $4::text[], $5::text[], $6::text[])
     on conflict (pair_id, side, record_id) do update set
       linked_id = excluded.linked_id, before = excluded.before, written = excluded.written`,
    [
      tx.pair,
      side,
      rows.map((row) => row.id),
      rows.map((row) => row.linkedId),
      rows.map((row) => StoreRows.encodeJson(row.before)),
      rows.map((row) => StoreRows.encodeJson(row.written))
    ]
  )
}

export const forgetShown = async (tx: Tx, side: Side, ids: ReadonlyArray<RecordId>): Promise<void> => {
  if (ids.length === 0) return
  await tx.client.query("delete from shown_links where pair_id = $1 and side = $2 and record_id = any($3::text[])", [
    tx.pair,
    side,
    ids
  ])
}
