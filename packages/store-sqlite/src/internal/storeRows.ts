import {
  Counts,
  Direction,
  Fields,
  FieldValue,
  IdempotencyKey,
  LinkState,
  Operation,
  OperationState,
  Outcome,
  Reason,
  RecordId,
  Run,
  RunId,
  RunKind,
  RunStatus,
  RunWarning,
  Side,
  StoredConflict,
  StoredOperation
} from "@tongbu/core"
import { Schema } from "effect"
import type * as tables from "./schema.js"
import type { EnqueuedRow, LinkRow } from "./sqlitePrepared.js"

// Rows are decoded with Schema: a row that does not decode (written by another version, edited by hand) becomes an
// error naming the table and row instead of a wrong value travelling on.

const operationJson = Schema.parseJson(Operation)
const fieldsJson = Schema.parseJson(Fields)
const linkJson = Schema.parseJson(LinkState)
const countsJson = Schema.parseJson(Counts)
const warningsJson = Schema.parseJson(Schema.Array(RunWarning))
const reasonsJson = Schema.parseJson(Schema.Array(Reason))
const conflictValuesJson = Schema.parseJson(
  Schema.Struct({
    left: FieldValue,
    right: FieldValue,
    baseline: Schema.Struct({ left: FieldValue, right: FieldValue })
  })
)

export class RowError extends Error {}

export const decoder = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (value: unknown, row: string): A => {
    const result = decode(value)
    if (result._tag === "Left") throw new RowError(`${row} cannot be read: ${result.left.message}`)
    return result.right
  }
}

const decodeOperation = decoder(operationJson)
const decodeFields = decoder(fieldsJson)
const decodeLink = decoder(linkJson)
const decodeCounts = decoder(countsJson)
const decodeWarnings = decoder(warningsJson)
const decodeReasons = decoder(reasonsJson)
const decodeConflictValues = decoder(conflictValuesJson)
const decodeState = decoder(OperationState)
const decodeKind = decoder(RunKind)
const decodeStatus = decoder(RunStatus)
const decodeDirection = decoder(Schema.Literal(...Direction))
const decodeSide = decoder(Side)
const decodeOutcomeKind = decoder(Outcome.fields.outcome)
const decodeResolution = decoder(Schema.Literal("left", "right"))

export const encodeCounts = Schema.encodeSync(countsJson)
export const encodeWarnings = Schema.encodeSync(warningsJson)
export const encodeConflictValues = Schema.encodeSync(conflictValuesJson)

// Operations, field values, link states and reasons encode to exactly their JSON (no transformation in their schemas:
// a class's encoded form is its fields), and they are written on the outbox's hot path: JSON.stringify spares the
// re-validation of values the types guarantee. The round-trip tests of the store hold them to it.
export const encodeOperation = (operation: Operation): string => JSON.stringify(operation)
export const encodeFields = (fields: Fields): string => JSON.stringify(fields)
export const encodeLink = (link: LinkState): string => JSON.stringify(link)
export const encodeReasons = (reasons: ReadonlyArray<Reason>): string => JSON.stringify(reasons)

const orUndefined = <A>(value: A | null): A | undefined => (value === null ? undefined : value)

export const toRunId = (id: number): RunId => RunId.make(String(id))

/** The integer row id of a run id, or null when it cannot be one (then no such run exists). */
export const runRowId = (id: RunId): number | null => (/^[1-9][0-9]*$/.test(id) ? Number(id) : null)

const recordId = (value: string): RecordId => RecordId.make(value)
const optionalId = (value: string | null): RecordId | undefined => (value === null ? undefined : RecordId.make(value))

export const linkFromRow = (row: typeof tables.links.$inferSelect): LinkState => {
  const name = `link ${row.leftId}↔${row.rightId}`
  return new LinkState(
    {
      leftId: recordId(row.leftId),
      rightId: recordId(row.rightId),
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
  left: encodeFields(link.left),
  right: encodeFields(link.right),
  leftVersion: link.leftVersion ?? null,
  rightVersion: link.rightVersion ?? null
})

export const operationFromRow = (row: typeof tables.operations.$inferSelect): StoredOperation => {
  const name = `operation ${row.key} (run ${row.runId})`
  return new StoredOperation(
    {
      runId: toRunId(row.runId),
      seq: row.seq,
      key: IdempotencyKey.make(row.key),
      operation: decodeOperation(row.operation, name),
      state: decodeState(row.state, name),
      attempts: row.attempts,
      provisionalId: orUndefined(row.provisionalId),
      resultId: optionalId(row.resultId),
      written: row.written === null ? undefined : decodeFields(row.written, name),
      linkBefore: row.linkBefore === null ? undefined : decodeLink(row.linkBefore, name),
      overwritten: row.overwritten === null ? undefined : decodeFields(row.overwritten, name),
      lastError: orUndefined(row.lastError),
      updatedAt: row.updatedAt
    },
    true
  )
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
  return new StoredOperation(
    {
      runId,
      seq,
      key: operation.key,
      operation,
      // A new row, by far the most common, is pending with nothing else to read.
      state: row.state === "pending" ? "pending" : decodeState(row.state, name),
      attempts: row.attempts,
      provisionalId: orUndefined(row.provisionalId),
      resultId: optionalId(row.resultId),
      written: row.written === null ? undefined : decodeFields(row.written, name),
      linkBefore: row.linkBefore === null ? undefined : decodeLink(row.linkBefore, name),
      lastError: orUndefined(row.lastError),
      updatedAt
    },
    true
  )
}

export const runFromRow = (row: typeof tables.runs.$inferSelect): Run => {
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

export const outcomeFromRow = (row: typeof tables.outcomes.$inferSelect): Outcome => {
  const name = `outcome ${row.id} (run ${row.runId})`
  return new Outcome(
    {
      runId: toRunId(row.runId),
      side: decodeSide(row.side, name),
      id: recordId(row.recordId),
      otherId: optionalId(row.otherId),
      operation: row.operation,
      outcome: decodeOutcomeKind(row.outcome, name),
      reasons: decodeReasons(row.reasons, name)
    },
    true
  )
}

export const conflictFromRow = (row: typeof tables.conflicts.$inferSelect): StoredConflict => {
  const name = `conflict ${row.id}`
  return new StoredConflict(
    {
      id: row.id,
      runId: toRunId(row.runId),
      leftId: recordId(row.leftId),
      rightId: recordId(row.rightId),
      field: row.field,
      ...decodeConflictValues(row.values, name),
      resolution: row.resolution === null ? undefined : decodeResolution(row.resolution, name),
      createdAt: row.createdAt
    },
    true
  )
}
