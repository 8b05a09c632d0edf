import { Chunk, Effect, Option, Schema, Stream } from "effect"
import type { SideEvent, SyncAdapter } from "../Adapter.js"
import type { AdapterError } from "../AdapterError.js"
import type { LinkState, RecordId, Side } from "../Domain.js"
import { SideRecord, writtenVersion } from "../Domain.js"
import type { FieldMapping } from "../Mapping.js"
import type { SideSnapshot } from "../Plan.js"
import { goneFrom } from "../Plan.js"
import type { StoreError, SyncStoreService } from "../SyncStore.js"
import { retryTransient } from "./retry.js"
import { showsBaseline } from "./shown.js"

/** A side could not be listed or read: the run stops before planning, nothing was written. */
export class SideUnavailable extends Schema.TaggedError<SideUnavailable>()("SideUnavailable", {
  side: Schema.Literal("left", "right"),
  adapter: Schema.String,
  message: Schema.String
}) {}

export interface Listed extends SideSnapshot {
  /** Ids of the records read this run, to tell the side again what it may have reset. */
  readonly read: ReadonlySet<RecordId>
  /** The checkpoints to save once the run completes. */
  readonly checkpoints: { readonly list: Option.Option<string>; readonly events: Option.Option<string> }
  /** Every id a listing of every id of the side showed (none after an incremental listing): what exists there. */
  readonly listedAll: ReadonlySet<RecordId> | undefined
  /** Records the side created for the sync on its own while listing (`ListEntry.intake`): the run journals them. */
  readonly intake: ReadonlyArray<RecordId>
  /** The listing's versions of records the sync wrote that showed what it wrote, so were not read: their links take them. */
  readonly seen: ReadonlyMap<RecordId, string>
}

export const checkpointName = (side: Side, what: "list" | "events") => `${side}:${what}`

/** Reads of a side: transient failures retried with backoff, then the side is unavailable for this run. */
export const readRetried = <A, R>(effect: Effect.Effect<A, AdapterError, R>, side: Side, adapter: string) =>
  retryTransient(effect).pipe(
    Effect.mapError(
      (error) => new SideUnavailable({ side, adapter, message: `cannot read ${side} (${adapter}): ${error.message}` })
    )
  )

/**
 * What one side contributes to a run. Entries carrying their record are taken as they are; others are read when the
 * record is unlinked, its version differs from the link's or the link has none (the sync wrote to it, or a change
 * was not carried across), or on a full run; a record the sync wrote is not read when its listing shows what was
 * written (`ListEntry.shown`). Linked records whose version the link lost are read even when an incremental listing
 * leaves them out, so a change that failed to cross is seen again. The version kept is always the listing's: a detail
 * read may carry another.
 */
export const listSide = (
  side: Side,
  adapter: SyncAdapter,
  store: SyncStoreService,
  links: ReadonlyArray<LinkState>,
  mappings: ReadonlyArray<FieldMapping>,
  full: boolean
): Effect.Effect<Listed, SideUnavailable | StoreError> =>
  Effect.gen(function* () {
    const since = full ? Option.none<string>() : yield* store.checkpoint(checkpointName(side, "list"))
    const eventsSince = yield* store.checkpoint(checkpointName(side, "events"))
    const entries = Chunk.toReadonlyArray(
      yield* readRetried(Stream.runCollect(adapter.list({ since })), side, adapter.name)
    )
    const events = Chunk.toReadonlyArray(
      yield* readRetried(Stream.runCollect(adapter.events({ since: eventsSince })), side, adapter.name)
    )
    const linkOf = new Map<RecordId, LinkState>(
      links.map((link) => [side === "left" ? link.leftId : link.rightId, link])
    )
    const versionOf = (link: LinkState) => (side === "left" ? link.leftVersion : link.rightVersion)
    const seen = new Map<RecordId, string>()
    const records: Array<SideRecord> = []
    const toRead: Array<{ readonly id: RecordId; readonly version: string | undefined }> = []
    const listed = new Set<RecordId>()
    const unchanged = new Set<RecordId>()
    for (const entry of entries) {
      listed.add(entry.id)
      const link = linkOf.get(entry.id)
      const known = link === undefined ? undefined : versionOf(link)
      if (entry.record !== undefined) {
        // most listings give the record with the entry's version already: it is taken as it is, not copied
        records.push(
          entry.version === undefined || entry.version === entry.record.version
            ? entry.record
            : new SideRecord({ ...entry.record, version: entry.version }, true)
        )
        if (!full && known !== undefined && known !== writtenVersion && entry.version === known) unchanged.add(entry.id)
        continue
      }
      if (full || known === undefined || entry.version === undefined || entry.version !== known) {
        if (
          !full &&
          known === writtenVersion &&
          entry.version !== undefined &&
          entry.shown !== undefined &&
          showsBaseline(mappings, side, entry.shown, side === "left" ? link!.left : link!.right)
        ) {
          seen.set(entry.id, entry.version)
          continue
        }
        toRead.push({ id: entry.id, version: entry.version })
      }
    }
    for (const [id, link] of linkOf) {
      const version = versionOf(link)
      if ((version === undefined || version === writtenVersion) && !listed.has(id))
        toRead.push({ id, version: undefined })
    }
    const read = yield* Effect.forEach(
      toRead,
      ({ id, version }) =>
        Effect.map(
          readRetried(adapter.read(id), side, adapter.name),
          Option.map((record) => (version === undefined ? record : new SideRecord({ ...record, version }, true)))
        ),
      { concurrency: adapter.capabilities.concurrency }
    )
    for (const record of read) if (Option.isSome(record)) records.push(record.value)
    const last = <A>(items: ReadonlyArray<A>, get: (item: A) => string | undefined) =>
      Option.fromNullable(
        items
          .map(get)
          .filter((value) => value !== undefined)
          .at(-1)
      )
    return {
      records,
      gone: Option.isNone(since) ? goneFrom(side, listed, links) : new Set<RecordId>(),
      listedAll: Option.isNone(since) ? listed : undefined,
      events: events as ReadonlyArray<SideEvent>,
      read: new Set(records.map((record) => record.id)),
      checkpoints: {
        list: last(entries, (entry) => entry.checkpoint),
        events: last(events, (event) => event.checkpoint)
      },
      intake: entries.filter((entry) => entry.intake === true).map((entry) => entry.id),
      seen,
      unchanged
    }
  })
