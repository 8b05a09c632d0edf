import type { Fields, FieldValue, IdempotencyKey, RecordId, Side } from "../../Domain.js"
import { isEmptyValue, otherSide, SideRecord } from "../../Domain.js"
import { Update } from "../../Plan.js"
import type { PlanContext } from "./context.js"
import { keys } from "./context.js"
import { readGuarded } from "./guard.js"

const probe = (key: IdempotencyKey, fields: Fields) => new SideRecord({ id: `${key}:probe` as RecordId, fields })

/**
 * After a create on the other side, the source record gets the values the created record holds that the source
 * lacks: a value the target sets itself or that the create gave it from elsewhere (an ERP value the hub mirrors,
 * sync-rules §4), which no later run would carry, as the create's baseline records it on both sides. One update of
 * the source, planned with the create (its counterpart the create's key until the dispatcher knows the id); unique
 * fields of the source are left out, as nothing has checked them, and so are values the target derives from the
 * created record's id. Returns the canonical values the update writes.
 */
export const planFillBack = (
  ctx: PlanContext,
  side: Side,
  record: SideRecord,
  canonical: Fields,
  targetCanonical: Fields,
  createKey: IdempotencyKey,
  created: Fields
): Fields => {
  if (!ctx.writes(side)) return {}
  const changes: Record<string, FieldValue> = {}
  const before: Record<string, FieldValue> = {}
  const canonicalBefore: Record<string, FieldValue> = {}
  const filled: Record<string, FieldValue> = {}
  for (const info of ctx.mappings) {
    const native = info.writable[side]
    const value = targetCanonical[info.name]
    if (!info.shared || native === null || info.mapping.createOnly || value === undefined || isEmptyValue(value))
      continue
    if (!isEmptyValue(canonical[info.name]) || ctx.input.policy.uniqueKeys[side].includes(info.name)) continue
    // A value the target computes from its record's id (a code made of it) is not known until the create lands.
    if (readGuarded(info, otherSide(side), probe(createKey, created)) !== value) continue
    changes[native] = value
    before[native] = record.fields[native] ?? null
    canonicalBefore[info.name] = canonical[info.name] ?? null
    filled[info.name] = value
  }
  const fields = Object.keys(filled)
  if (fields.length === 0) return filled
  const content = { changes, before, version: record.version ?? null }
  const update = new Update(
    {
      key: keys.update(side, record.id, content),
      side,
      id: record.id,
      otherId: createKey as string as RecordId,
      changes,
      before,
      canonicalFields: fields,
      canonicalBefore
    },
    true
  )
  ctx.emit(side, record.id, update)
  return filled
}
