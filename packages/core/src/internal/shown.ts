import type { Fields, FieldValue, LinkState, RecordId, Side } from "../Domain.js"
import { LinkState as Link } from "../Domain.js"
import type { FieldMapping } from "../Mapping.js"
import { canonicalValue } from "../Mapping.js"

/**
 * Whether every mapped field a listing shows (`ListEntry.shown`) holds the link's baseline of `side`: a record the
 * sync wrote that shows just what it wrote need not be read again. Only fields a mapping names plainly can be judged;
 * a normalizer that throws judges the record changed, so it is read and the planner names the failure.
 */
export const showsBaseline = (
  mappings: ReadonlyArray<FieldMapping>,
  side: Side,
  shown: Fields,
  baseline: Fields
): boolean =>
  mappings.every((mapping) => {
    const field = side === "left" ? mapping.left : mapping.right
    if (typeof field !== "string" || !(field in shown)) return true
    if (!(mapping.name in baseline)) return false
    let value: FieldValue
    try {
      value = canonicalValue(mapping, shown[field])
    } catch {
      return false
    }
    return value === baseline[mapping.name]
  })

/** The links with the versions their listings showed for the written records not read again (see `showsBaseline`). */
export const withSeenVersions = (
  links: ReadonlyArray<LinkState>,
  seen: { readonly left: ReadonlyMap<RecordId, string>; readonly right: ReadonlyMap<RecordId, string> }
): ReadonlyArray<LinkState> => {
  if (seen.left.size === 0 && seen.right.size === 0) return links
  return links.map((link) => {
    const left = seen.left.get(link.leftId)
    const right = seen.right.get(link.rightId)
    if (left === undefined && right === undefined) return link
    return new Link(
      {
        ...link,
        ...(left === undefined ? {} : { leftVersion: left }),
        ...(right === undefined ? {} : { rightVersion: right })
      },
      true
    )
  })
}
