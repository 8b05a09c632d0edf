/**
 * What a SQL store's rows hold, whatever its dialect, and how they become the port's values: the stores declare their
 * tables in their own dialect and read them through these. JSON columns are text; run ids are integers.
 */
import { Schema } from "effect"
import type { LinkShown } from "./Adapter.js"
import { Fields, FieldValue, IdempotencyKey, LinkState, RecordId, RunId, Side } from "./Domain.js"
import { Operation, Reason } from "./Plan.js"
import { Direction } from "./Policy.js"
import {
  Counts,
  OperationState,
  Outcome,
  Run,
  RunKind,
  RunStatus,
  RunWarning,
  StoredConflict,
  StoredOperation
} from "./SyncStore.js"

/**
 * A row that does not decode (written by another version, edited by hand): thrown inside the store's transaction, it
 * becomes the store's error naming the table and row instead of a wrong value travelling on.
 */
export class RowError extends Error {}

export const decoder = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (value: unknown, row: string): A => {
    const result = decode(value)
    if (result._tag === "Left") throw new RowError(`${row} cannot be read: ${result.left.message}`)
    return result.right
  }
}

const countsJson = Schema.parseJson(Counts)
const warningsJson = Schema.parseJson(Schema.Array(RunWarning))
const conflictValuesJson = Schema.parseJson(
  Schema.Struct({
    left: FieldValue,
    right: FieldValue,
    baseline: Schema.Struct({ left: FieldValue, right: FieldValue })
  })
)

const decodeOperation = decoder(Schema.parseJson(Operation))
const decodeFieldsJson = decoder(Schema.parseJson(Fields))
const decodeLink = decoder(Schema.parseJson(LinkState))
const decodeCounts = decoder(countsJson)
const decodeWarnings = decoder(warningsJson)
const decodeReasons = decoder(Schema.parseJson(Schema.Array(Reason)))
const decodeConflictValues = decoder(conflictValuesJson)
const decodeState = decoder(OperationState)
const decodeKind = decoder(RunKind)
const decodeStatus = decoder(RunStatus)
const decodeDirection = decoder(Schema.Literal(...Direction))
export const decodeSide = decoder(Side)
const decodeOutcomeKind = decoder(Outcome.fields.outcome)
const decodeResolution = decoder(Schema.Literal("left", "right"))

/** Whether a parsed JSON value is what `Fields` decodes it to: an object of strings, finite numbers, booleans, nulls. */
const isFields = (value: unknown): value is Fields => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false
  for (const key in value) {
    // a parsed "__proto__" is an own property that a copy would turn into a prototype: left to the schema
    if (key === "__proto__") return false
    const field = (value as Record<string, unknown>)[key]
    switch (typeof field) {
      case "string":
      case "boolean":
        continue
      case "number":
        if (!Number.isFinite(field) || Object.is(field, -0)) return false
        continue
      case "object":
        if (field === null) continue
        return false
      default:
        return false
    }
  }
  return true
}

/**
 * A JSON column of field values (a link's baselines, an operation's written values). Thousands are read per run, and
 * the schema's decoder costs tens of µs each: a value the one-pass check accepts is what the schema gives (the
 * property test holds them together); anything else goes through the schema, which names what is wrong.
 */
export const decodeFields = (json: string, row: string): Fields => {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return decodeFieldsJson(json, row)
  }
  return isFields(parsed) ? parsed : decodeFieldsJson(json, row)
}

export const encodeCounts = Schema.encodeSync(countsJson)
export const encodeWarnings = Schema.encodeSync(warningsJson)
export const encodeConflictValues = Schema.encodeSync(conflictValuesJson)

// Operations, field values, link states and reasons have no transformation in their schemas (a class's encoded form is
// its fields), so JSON.stringify is their encoding; it spares re-validating, on the outbox's hot path, values the types
// guarantee. The stores' round-trip tests hold them to it.
export const encodeJson = (value: unknown): string => JSON.stringify(value)

const orUndefined = <A>(value: A | null): A | undefined => (value === null ? undefined : value)
const optionalId = (value: string | null): RecordId | undefined => (value === null ? undefined : RecordId.make(value))

export const toRunId = (id: number): RunId => RunId.make(String(id))

/** The row id of a run id, or null when it cannot be one (then no such run exists). */
export const runRowId = (id: RunId): number | null =>
  /^[1-9][0-9]{0,15}$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : null

export interface LinkRow {
  readonly leftId: string
  readonly rightId: string
  readonly left: string
  readonly right: string
  readonly leftVersion: string | null
  readonly rightVersion: string | null
}

export const linkFromRow = (row: LinkRow): LinkState => {
  const name = `link ${row.leftId}↔${row.rightId}`
  return new LinkState(
    {
      leftId: RecordId.make(row.leftId),
      rightId: RecordId.make(row.rightId),
      left: decodeFields(row.left, name),
      right: decodeFields(row.right, name),
      leftVersion: orUndefined(row.leftVersion),
      rightVersion: orUndefined(row.rightVersion)
    },
    true
  )
}

export const linkToRow = (link: LinkState): LinkRow => ({
  leftId: link.leftId,
  rightId: link.rightId,
  left: encodeJson(link.left),
  right: encodeJson(link.right),
  leftVersion: link.leftVersion ?? null,
  rightVersion: link.rightVersion ?? null
})

/** What an enqueued operation's row holds besides what the run gave it. */
export interface EnqueuedRow {
  readonly state: string
  readonly attempts: number
  readonly provisionalId: string | null
  readonly resultId: string | null
  readonly written: string | null
  readonly linkBefore: string | null
  /** Absent where the store's enqueue does not return it (only a completed update has one, never re-enqueued). */
  readonly overwritten?: string | null
  readonly lastError: string | null
}

export interface OperationRow extends EnqueuedRow {
  readonly key: string
  readonly runId: number
  readonly seq: number
  readonly operation: string
  readonly updatedAt: number
}

const storedOperation = (
  head: { runId: RunId; seq: number; key: IdempotencyKey; operation: Operation; state: OperationState },
  row: EnqueuedRow,
  updatedAt: number,
  name: string
): StoredOperation =>
  new StoredOperation(
    {
      ...head,
      attempts: row.attempts,
      provisionalId: orUndefined(row.provisionalId),
      resultId: optionalId(row.resultId),
      written: row.written === null ? undefined : decodeFields(row.written, name),
      linkBefore: row.linkBefore === null ? undefined : decodeLink(row.linkBefore, name),
      overwritten: row.overwritten == null ? undefined : decodeFields(row.overwritten, name),
      lastError: orUndefined(row.lastError),
      updatedAt
    },
    true
  )

export const operationFromRow = (row: OperationRow): StoredOperation => {
  const name = `operation ${row.key} (run ${row.runId})`
  const head = {
    runId: toRunId(row.runId),
    seq: row.seq,
    key: IdempotencyKey.make(row.key),
    operation: decodeOperation(row.operation, name),
    state: decodeState(row.state, name)
  }
  return storedOperation(head, row, row.updatedAt, name)
}

/** An operation just enqueued from `operation`, which need not be decoded again: only what the row kept is. */
export const enqueuedOperation = (
  runId: RunId,
  seq: number,
  operation: Operation,
  row: EnqueuedRow,
  updatedAt: number
): StoredOperation => {
  const name = `operation ${operation.key} (run ${runId})`
  // A new row, by far the most common, is pending with nothing else to read.
  const state = row.state === "pending" ? "pending" : decodeState(row.state, name)
  return storedOperation({ runId, seq, key: operation.key, operation, state }, row, updatedAt, name)
}

export interface RunRow {
  readonly id: number
  readonly kind: string
  readonly status: string
  readonly direction: string
  readonly dryRun: boolean
  readonly full: boolean
  readonly target: string | null
  readonly startedAt: number
  readonly finishedAt: number | null
  readonly counts: string
  readonly error: string | null
  readonly warnings: string | null
}

export const runFromRow = (row: RunRow): Run => {
  const name = `run ${row.id}`
  return new Run(
    {
      id: toRunId(row.id),
      kind: decodeKind(row.kind, name),
      status: decodeStatus(row.status, name),
      direction: decodeDirection(row.direction, name),
      dryRun: row.dryRun,
      full: row.full,
      target: row.target === null ? undefined : RunId.make(row.target),
      startedAt: row.startedAt,
      finishedAt: orUndefined(row.finishedAt),
      counts: decodeCounts(row.counts, name),
      error: orUndefined(row.error),
      warnings: row.warnings === null ? [] : decodeWarnings(row.warnings, name)
    },
    true
  )
}

export interface OutcomeRow {
  readonly id: number
  readonly runId: number
  readonly side: string
  readonly recordId: string
  readonly otherId: string | null
  readonly operation: string
  readonly outcome: string
  readonly reasons: string
}

export const outcomeFromRow = (row: OutcomeRow): Outcome => {
  const name = `outcome ${row.id} (run ${row.runId})`
  return new Outcome(
    {
      runId: toRunId(row.runId),
      side: decodeSide(row.side, name),
      id: RecordId.make(row.recordId),
      otherId: optionalId(row.otherId),
      operation: row.operation,
      outcome: decodeOutcomeKind(row.outcome, name),
      reasons: decodeReasons(row.reasons, name)
    },
    true
  )
}

export interface ConflictRow {
  readonly id: string
  readonly runId: number
  readonly leftId: string
  readonly rightId: string
  readonly field: string
  readonly values: string
  readonly resolution: string | null
  readonly createdAt: number
}

export const conflictFromRow = (row: ConflictRow): StoredConflict => {
  const name = `conflict ${row.id}`
  return new StoredConflict(
    {
      id: row.id,
      runId: toRunId(row.runId),
      leftId: RecordId.make(row.leftId),
      rightId: RecordId.make(row.rightId),
      field: row.field,
      ...decodeConflictValues(row.values, name),
      resolution: row.resolution === null ? undefined : decodeResolution(row.resolution, name),
      createdAt: row.createdAt
    },
    true
  )
}

export interface ShownRow {
  readonly side: string
  readonly recordId: string
  readonly linkedId: string
  readonly before: string
  readonly written: string
}

export const shownFromRow = (row: ShownRow): LinkShown => {
  const name = `shown_links row ${row.side}/${row.recordId}`
  return {
    id: RecordId.make(row.recordId),
    linkedId: RecordId.make(row.linkedId),
    before: decodeFields(row.before, name),
    written: decodeFields(row.written, name)
  }
}
