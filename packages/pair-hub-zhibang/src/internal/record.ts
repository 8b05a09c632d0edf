import { FileSystem } from "@effect/platform"
import type { ZhibangClient } from "@tongbu/adapter-zhibang"
import { encodeProfile, type Profile } from "@tongbu/mock-erp"
import { Data, Effect } from "effect"

/** The enumerations the configuration resolves: 13 customer source (`mapping.ly`), 14 value (`jzScale`), 98 follow-up method (`followUp.sort`). */
export const recordedEnumerations = [13, 14, 98] as const

/** What the check saw of the ERP's shapes, for `--record`: nothing of a list it could not read. */
export interface Seen {
  customerColumns: ReadonlyArray<string>
  /** Null: the installation has no contact list (`未知页面`). */
  contactColumns: ReadonlyArray<string> | null
  enumerations: Partial<Record<(typeof recordedEnumerations)[number], ReadonlyArray<ZhibangClient.EnumValue>>>
  shapes: ZhibangClient.ObservedShapes | undefined
}

export const nothingSeen = (): Seen => ({
  customerColumns: [],
  contactColumns: [],
  enumerations: {},
  shapes: undefined
})

export class NothingToRecord extends Data.TaggedError("NothingToRecord")<{ readonly message: string }> {}

const enumerations = (seen: Seen): Profile["enumerations"] => {
  const values = (id: (typeof recordedEnumerations)[number]) => {
    const [first, ...rest] = (seen.enumerations[id] ?? []).map((v) => ({ id: v.id, name: v.name }))
    return first === undefined ? {} : { [String(id)]: [first, ...rest] as const }
  }
  const all = { ...values(13), ...values(14), ...values(98) }
  return Object.keys(all).length === 0 ? undefined : all
}

/**
 * Writes the profile of what the check saw: column ids, enumeration values and the envelope variants of the lists,
 * no row, account, user or session. An empty list shows no columns, so there is nothing to record then.
 */
export const record = (file: string, seen: Seen) =>
  Effect.gen(function* () {
    const [customerColumn, ...customerColumns] = seen.customerColumns
    const contacts = seen.contactColumns
    const [contactColumn, ...contactColumns] = contacts ?? []
    if (customerColumn === undefined || (contacts !== null && contactColumn === undefined))
      return yield* new NothingToRecord({
        message: `nothing recorded to ${file}: the check read no columns of the ERP's ${customerColumn === undefined ? "customer" : "contact"} list (not read, or empty)`
      })
    const shapes = seen.shapes
    const enums = enumerations(seen)
    const [rowShape] = shapes?.rowShapes ?? []
    const [emptyList] = shapes?.emptyForms ?? []
    const fs = yield* FileSystem.FileSystem
    yield* fs.writeFileString(
      file,
      encodeProfile({
        version: 1,
        customerListColumns: [customerColumn, ...customerColumns],
        contactListColumns: contactColumn === undefined ? null : [contactColumn, ...contactColumns],
        ...(enums === undefined ? {} : { enumerations: enums }),
        ...(rowShape === undefined ? {} : { rowShape }),
        ...(emptyList === undefined ? {} : { emptyList }),
        ...(shapes === undefined || shapes.coerced.length === 0 ? {} : { coerced: shapes.coerced })
      })
    )
  })
