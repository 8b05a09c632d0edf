import type { Completion, IdempotencyKey, JournalEntry, LinkState, Outcome } from "@tongbu/core"
import { StoreRows } from "@tongbu/core"
import { saveLinks } from "./links.js"
import { recordOutcomes } from "./runs.js"
import { prepared, RowError, type Tx } from "./tx.js"

// A journal batch in a handful of statements, whatever its size: one round trip per entry would cost a millisecond
// each. Entries of one key are folded in order: each sets some of its row's columns (the last one wins) or adds an
// attempt (they add up), which is what applying them one after another does. Link saves and outcomes keep their
// order among themselves; they touch nothing the operation rows hold.

/** What a batch does to one operation's row: a column is left as it is unless an entry set it. */
interface Patch {
  state?: string
  attempts: number
  provisionalId?: string
  result?: Completion
  lastError?: string | null
}

const fold = (entries: ReadonlyArray<JournalEntry>) => {
  const patches = new Map<IdempotencyKey, Patch>()
  const links: Array<LinkState> = []
  const outcomes: Array<Outcome> = []
  const patch = (key: IdempotencyKey): Patch => {
    let found = patches.get(key)
    if (found === undefined) {
      found = { attempts: 0 }
      patches.set(key, found)
    }
    return found
  }
  for (const entry of entries) {
    switch (entry._tag) {
      case "Attempted": {
        const row = patch(entry.key)
        row.state = "attempted"
        row.attempts++
        break
      }
      case "Provisional":
        patch(entry.key).provisionalId = entry.provisionalId
        break
      case "Completed": {
        const row = patch(entry.key)
        row.state = "done"
        row.result = entry.result
        row.lastError = null
        links.push(...entry.result.links)
        break
      }
      case "Failed": {
        const row = patch(entry.key)
        row.state = entry.state
        row.lastError = entry.error
        break
      }
      case "Outcome":
        outcomes.push(entry.outcome)
        break
      case "Links":
        links.push(...entry.links)
        break
    }
  }
  return { patches, links, outcomes }
}

const updateStatement = `update operations as o set
    state = coalesce(t.state, o.state),
    attempts = o.attempts + t.attempts,
    provisional_id = case when t.set_provisional then t.provisional_id else o.provisional_id end,
    result_id = case when t.set_result then t.result_id else o.result_id end,
    written = case when t.set_result then t.written else o.written end,
    link_before = case when t.set_result then t.link_before else o.link_before end,
    overwritten = case when t.set_result then t.overwritten else o.overwritten end,
    last_error = case when t.set_error then t.last_error else o.last_error end,
    updated_at = $2
  from unnest($3::text[], $4::text[], $5::int[], $6::bool[], $7::text[], $8::bool[], $9::text[], $10::text[],
    $11::text[], $12::text[], $13::bool[], $14::text[])
    as t(key, state, attempts, set_provisional, provisional_id, set_result, result_id, written, link_before,
      overwritten, set_error, last_error)
  where o.pair_id = $1 and o.key = t.key
  returning o.key`

const json = (value: unknown): string | null => (value === undefined ? null : StoreRows.encodeJson(value))

const updateOperations = async (tx: Tx, patches: ReadonlyMap<IdempotencyKey, Patch>): Promise<void> => {
  if (patches.size === 0) return
  const keys = [...patches.keys()]
  const all = [...patches.values()]
  const result = await prepared<{ key: string }>(tx, "journal", updateStatement, [
    tx.pair,
    tx.now,
    keys,
    all.map((p) => p.state ?? null),
    all.map((p) => p.attempts),
    all.map((p) => p.provisionalId !== undefined),
    all.map((p) => p.provisionalId ?? null),
    all.map((p) => p.result !== undefined),
    all.map((p) => p.result?.resultId ?? null),
    all.map((p) => json(p.result?.written)),
    all.map((p) => json(p.result?.linkBefore)),
    all.map((p) => json(p.result?.overwritten)),
    all.map((p) => p.lastError !== undefined),
    all.map((p) => p.lastError ?? null)
  ])
  if (result.rows.length === keys.length) return
  const found = new Set(result.rows.map((row) => row.key))
  const missing = keys.find((key) => !found.has(key))
  throw new RowError(`there is no operation ${missing} in the outbox`)
}

/** Applies the entries as one after another would, in the caller's transaction (which fails whole if one does). */
export const apply = async (tx: Tx, entries: ReadonlyArray<JournalEntry>): Promise<void> => {
  const { patches, links, outcomes } = fold(entries)
  await updateOperations(tx, patches)
  await saveLinks(tx, links)
  await recordOutcomes(tx, outcomes)
}
