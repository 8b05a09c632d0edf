import { Effect, Option } from "effect"
import type { SyncAdapter } from "../Adapter.js"
import type { LinkState, RecordId, Side } from "../Domain.js"
import { otherSide } from "../Domain.js"
import type { SyncPolicy } from "../Policy.js"
import type { Listed, SideUnavailable } from "./snapshot.js"
import { readRetried } from "./snapshot.js"

/**
 * Reads the records unlinked records claim as their counterpart (`SyncPolicy.claimedLink`) that the other side's
 * listing did not bring (an incremental listing leaves unchanged records out): the planner then knows whether each
 * claimed record exists. A record a listing of every id left out does not exist: it is not read (the planner finds
 * it missing). A claim function that throws is left for the planner to report.
 */
export const readClaimed = (
  policy: SyncPolicy,
  listed: Record<Side, Listed>,
  links: ReadonlyArray<LinkState>,
  sides: Record<Side, SyncAdapter>
): Effect.Effect<Record<Side, Listed>, SideUnavailable> =>
  Effect.gen(function* () {
    const linked = { left: new Set(links.map((l) => l.leftId)), right: new Set(links.map((l) => l.rightId)) }
    const wanted = { left: new Set<RecordId>(), right: new Set<RecordId>() }
    for (const side of ["left", "right"] as const) {
      const claim = policy.claimedLink?.[side]
      if (claim === undefined) continue
      const other = otherSide(side)
      for (const record of listed[side].records) {
        if (linked[side].has(record.id)) continue
        let id: RecordId | null
        try {
          id = claim(record)
        } catch {
          continue
        }
        if (id === null || linked[other].has(id) || listed[other].read.has(id)) continue
        if (listed[other].listedAll?.has(id) !== false) wanted[other].add(id)
      }
    }
    const result = { ...listed }
    for (const side of ["left", "right"] as const) {
      if (wanted[side].size === 0) continue
      const adapter = sides[side]
      const read = yield* Effect.forEach([...wanted[side]], (id) => readRetried(adapter.read(id), side, adapter.name), {
        concurrency: adapter.capabilities.concurrency
      })
      const found = read.flatMap((record) => (Option.isSome(record) ? [record.value] : []))
      result[side] = {
        ...listed[side],
        records: [...listed[side].records, ...found],
        read: new Set([...listed[side].read, ...found.map((record) => record.id)])
      }
    }
    return result
  })
