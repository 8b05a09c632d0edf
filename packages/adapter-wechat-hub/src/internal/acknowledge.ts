/**
 * The run's outcome per hub customer, shown where the hub's people look: `erp_sync_status`, `erp_sync_action`,
 * `erp_sync_error` (in words), `erp_last_pushed`, and the link ids. A row is written only when something differs, so a
 * steady-state run writes nothing. What it writes into the link ids is returned (`LinkShown`), so that rolling the
 * link back restores what the row held before.
 */
import type { AdapterError, Fields, LinkShown, RecordOutcome } from "@tongbu/core"
import { RecordId } from "@tongbu/core"
import { eq } from "drizzle-orm"
import { Chunk, Effect, Option } from "effect"
import { pulledFromErp } from "../HubRecord.js"
import { customersUnified, provenanceColumns } from "../HubSchema.js"
import { normalizeValue } from "../Normalize.js"
import type { HubConnection } from "./connection.js"
import { hubId } from "./writes.js"

const BATCH = 200
/** `erp_sync_error` is read by people in the hub's screens: a few hundred characters at most. */
export const MAX_ERROR_LENGTH = 500

const STATUS = { synced: "synced", skipped: "skipped", failed: "failed", conflict: "pending" } as const
/** The columns that show a customer's link to the ERP, and how the record's fields read them. */
const LINK_COLUMNS = ["erp_customer_id", "erp_customer_code"] as const
const LINK_KINDS = { erp_customer_id: "integer", erp_customer_code: "text" } as const
const ACTION = { create: "create", update: "update", link: "update", none: undefined } as const

const clip = (text: string): string =>
  Array.from(text).length <= MAX_ERROR_LENGTH
    ? text
    : `${Array.from(text)
        .slice(0, MAX_ERROR_LENGTH - 1)
        .join("")}…`

const defaultReason = (outcome: RecordOutcome): string =>
  outcome.status === "conflict"
    ? "a conflict waits for a person to resolve it"
    : `${outcome.status} without a reason given`

interface Current {
  /** The provenance columns (`company_name_source`, …). */
  readonly [column: string]: string | number | null
  readonly erp_sync_status: string | null
  readonly erp_sync_action: string | null
  readonly erp_sync_error: string | null
  readonly erp_customer_id: number | null
  readonly erp_customer_code: string | null
}

/** The link columns `sets` writes into `row`, before and after, as the record's fields show them. */
const linkShown = (
  id: number,
  linkedId: string,
  row: Current,
  sets: Record<string, unknown>
): LinkShown | undefined => {
  const before: Record<string, Fields[string]> = {}
  const written: Record<string, Fields[string]> = {}
  for (const column of LINK_COLUMNS) {
    if (!(column in sets)) continue
    before[column] = normalizeValue(LINK_KINDS[column], row[column])
    written[column] = normalizeValue(LINK_KINDS[column], sets[column])
  }
  return Object.keys(written).length === 0
    ? undefined
    : { id: RecordId.make(String(id)), linkedId: RecordId.make(linkedId), before, written }
}

export const acknowledge = (
  conn: HubConnection,
  outcomes: ReadonlyArray<RecordOutcome>
): Effect.Effect<ReadonlyArray<LinkShown>, AdapterError> =>
  Effect.gen(function* () {
    const shown: Array<LinkShown> = []
    const stamp = yield* conn.stamp
    const read = conn.sqlite.prepare<[number], Current>(
      `SELECT erp_sync_status, erp_sync_action, erp_sync_error, erp_customer_id, erp_customer_code, ${provenanceColumns.map((column) => `${column}_source`).join(", ")} FROM customers_unified WHERE id = ?`
    )
    const linkedElsewhere = conn.sqlite
      .prepare<[number, number], number>("SELECT id FROM customers_unified WHERE erp_customer_id = ? AND id <> ?")
      .pluck()
    for (const batch of Chunk.chunksOf(Chunk.fromIterable(outcomes), BATCH)) {
      const { problems: notes, links } = yield* conn.attempt("recording the sync outcome in the hub", () =>
        conn.db.transaction(
          (tx) => {
            const problems: Array<string> = []
            const links: Array<LinkShown> = []
            for (const outcome of batch) {
              const id = Option.getOrUndefined(hubId(outcome.id))
              const row = id === undefined ? undefined : read.get(id)
              if (id === undefined || row === undefined) {
                problems.push(`hub customer ${outcome.id} is gone; its outcome (${outcome.status}) was not recorded`)
                continue
              }
              // The hub's push state (status, error) tells its people why a row of theirs was not pushed; a row it
              // took from the ERP is not theirs to push, so a skip of it is left to the run's report.
              if (outcome.status === "skipped" && row.erp_customer_id === null && pulledFromErp(row)) continue
              const sets: Record<string, string | number | null> = {}
              let status: string = STATUS[outcome.status]
              let error: string | null =
                outcome.status === "synced"
                  ? null
                  : clip(Option.getOrElse(outcome.reason, () => defaultReason(outcome)))
              const action = outcome.status === "skipped" ? "skip" : ACTION[outcome.action]
              const ord = Option.getOrUndefined(outcome.linkedId)
              if (ord !== undefined && outcome.status === "synced") {
                const erpId = Number(ord)
                const other = Number.isSafeInteger(erpId) ? linkedElsewhere.get(erpId, id) : undefined
                if (!Number.isSafeInteger(erpId)) {
                  problems.push(`hub customer ${id}: ERP id ${ord} is not a number; erp_customer_id left as it was`)
                } else if (other !== undefined) {
                  status = "failed"
                  error = `ERP customer ${ord} is already linked to hub customer ${other}`
                  problems.push(`hub customer ${id}: ${error}`)
                } else {
                  // A row the sync pulled from the ERP carries its ord (and its khid, if any) from the insert: the
                  // code is invented only for a link this row did not have, i.e. a customer pushed or matched by it.
                  const newLink = row.erp_customer_id !== erpId
                  if (newLink) sets.erp_customer_id = erpId
                  if (
                    newLink &&
                    (row.erp_customer_code ?? "").trim() === "" &&
                    (outcome.action === "create" || outcome.action === "link")
                  ) {
                    sets.erp_customer_code = `${conn.options.erpCodePrefix}${id}`
                  }
                  const shown = linkShown(id, ord, row, sets)
                  if (shown !== undefined) links.push(shown)
                }
              }
              if (row.erp_sync_status !== status) sets.erp_sync_status = status
              // Adopting a link the row already shows (its own erp_customer_id, synced) changes nothing it shows.
              const adopted =
                outcome.action === "link" &&
                status === "synced" &&
                row.erp_sync_status === "synced" &&
                row.erp_customer_id === Number(ord ?? Number.NaN)
              if (action !== undefined && row.erp_sync_action !== action && !adopted) sets.erp_sync_action = action
              if (row.erp_sync_error !== error) sets.erp_sync_error = error
              if (Object.keys(sets).length === 0) continue
              if (status === "synced" && outcome.action !== "none") sets.erp_last_pushed = stamp
              tx.update(customersUnified).set(sets).where(eq(customersUnified.id, id)).run()
            }
            return { problems, links }
          },
          { behavior: "immediate" }
        )
      )
      yield* Effect.forEach(notes, (note) => Effect.logWarning(note), { discard: true })
      shown.push(...links)
    }
    return shown
  })
