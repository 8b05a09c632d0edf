import type { Fields, FieldValue, Side, SideRecord } from "./Domain.js"

/**
 * How one side holds a canonical field: a native field name, or a derivation from the record (read-only, so the
 * field only flows from this side to the other) with the native field it is written back to, if any.
 */
export type SideField =
  | string
  | {
      readonly read: (record: SideRecord) => FieldValue
      readonly write?: string
    }

/** What to do when both sides changed a field since the baseline (or no baseline exists yet). */
export type ConflictResolution = "left" | "right" | "newest" | "manual"

export interface FieldMapping {
  /** The canonical name, used in baselines, plans and reports. */
  readonly name: string
  readonly left: SideField | null
  readonly right: SideField | null
  /** The comparable form of a value (trim, normalize a mobile); applied to both sides before any comparison. */
  readonly normalize?: (value: FieldValue) => FieldValue
  readonly conflict: ConflictResolution
  /** Copy a value only into an empty field; never overwrite a non-empty one (the WeChat-id fill-in rule). */
  readonly fillIn?: boolean
  /** Written when the record is created on the other side, never updated afterwards. */
  readonly createOnly?: boolean
}

const sideField = (mapping: FieldMapping, side: Side): SideField | null =>
  side === "left" ? mapping.left : mapping.right

/** Blank (empty or only what `trim` removes) as null; a string starting with a visible ASCII character is not blank. */
const blankToNull = (value: FieldValue | undefined): FieldValue => {
  if (value === undefined) return null
  if (typeof value !== "string") return value
  // Checked before `trim`, which scans the whole string: most values start with a visible character.
  const first = value.charCodeAt(0)
  if (first > 32 && first < 127) return value
  return value.trim() === "" ? null : value
}

/** A native value in the canonical field's comparable form: blank as null, then normalized. */
export const canonicalValue = (mapping: FieldMapping, raw: FieldValue | undefined): FieldValue => {
  const value = blankToNull(raw)
  return mapping.normalize && value !== null ? blankToNull(mapping.normalize(value)) : value
}

/** The canonical, normalized value of a mapped field as `side` holds it in `record`. */
export const readField = (mapping: FieldMapping, side: Side, record: SideRecord): FieldValue => {
  const field = sideField(mapping, side)
  if (field === null) return null
  return canonicalValue(mapping, typeof field === "string" ? record.fields[field] : field.read(record))
}

/** The native field a canonical field is written to on `side`, if it can be written there. */
export const writableField = (mapping: FieldMapping, side: Side): string | null => {
  const field = sideField(mapping, side)
  if (field === null) return null
  return typeof field === "string" ? field : (field.write ?? null)
}

/** All mapped fields of a record in canonical form. */
export const canonicalize = (mappings: ReadonlyArray<FieldMapping>, side: Side, record: SideRecord): Fields =>
  Object.fromEntries(mappings.map((mapping) => [mapping.name, readField(mapping, side, record)]))

/** Canonical values → the native fields `side` stores them in (unwritable fields are left out). */
export const toNative = (mappings: ReadonlyArray<FieldMapping>, side: Side, canonical: Fields): Fields => {
  const out: Record<string, FieldValue> = {}
  for (const mapping of mappings) {
    const field = writableField(mapping, side)
    if (field !== null && mapping.name in canonical) out[field] = canonical[mapping.name] ?? null
  }
  return out
}
