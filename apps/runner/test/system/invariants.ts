/**
 * The seven properties the issue names, each a function from snapshots (and the model) to the violations it finds, in
 * words: an empty list is a pass. They read both systems as their owners would (the hub file's rows, the ERP's
 * customers and write log) and the store's outbox, not the sync's own report.
 */
import type { FieldValue, LinkState, Operation, Plan, StoredOperation } from "@tongbu/core"
import { isWrite } from "@tongbu/core"
import { latestOutcomes, leftAlone } from "../../src/testing.js"
import type { Baseline, LastSync, Model } from "./model.js"
import type { FieldRule } from "./rules.js"
import type { Row, Snapshot } from "./snapshot.js"

const show = (value: FieldValue | undefined): string => (value === undefined ? "unknown" : JSON.stringify(value))
const pairName = (link: Pick<LinkState, "leftId" | "rightId">) =>
  `hub customer ${link.leftId} ↔ ERP customer ${link.rightId}`

const syncWrites = (snapshot: Snapshot) => snapshot.erp.writeLog.filter((entry) => entry.endpoint !== "ui")

/** ERP customers the sync created (its saves of an allocated id), by ord, with the khid each got. */
const syncCreated = (snapshot: Snapshot): ReadonlyMap<number, string> =>
  new Map(
    syncWrites(snapshot)
      .filter((entry) => entry.kind === "customer.create")
      .map((entry) => [entry.ord, (entry.fields.khid ?? "").trim()])
  )

// ── 1. No two ERP customers share a khid because of the sync, none is created twice for one hub customer ──────────

export const uniqueCodes = (after: Snapshot): Array<string> => {
  const violations: Array<string> = []
  const created = syncCreated(after)
  const byKhid = new Map<string, Array<number>>()
  for (const [ord, khid] of created) if (khid !== "") byKhid.set(khid, [...(byKhid.get(khid) ?? []), ord])
  for (const [khid, ords] of byKhid) {
    if (ords.length > 1)
      violations.push(`the sync created ERP customers ${ords.join(", ")} for one hub customer (khid ${khid})`)
  }
  // A person may enter a second customer with a code already in use; the sync must never be the one that does.
  const createdAt = new Map<number, number>()
  for (const entry of after.erp.writeLog) if (entry.kind === "customer.create") createdAt.set(entry.ord, entry.seq)
  const holders = new Map<string, Array<number>>()
  for (const customer of after.erp.customers.values()) {
    const khid = (customer.fields.khid ?? "").trim()
    if (khid !== "") holders.set(khid, [...(holders.get(khid) ?? []), customer.ord])
  }
  for (const [khid, ords] of holders) {
    for (const ord of ords.filter((o) => created.has(o))) {
      const earlier = ords.filter((o) => o !== ord && (createdAt.get(o) ?? -1) < (createdAt.get(ord) ?? -1))
      if (earlier.length > 0)
        violations.push(
          `the sync created ERP customer ${ord} with khid ${khid}, which ERP customer ${earlier.join(", ")} already had`
        )
    }
  }
  for (const side of ["leftId", "rightId"] as const) {
    const seen = new Map<string, LinkState>()
    for (const link of after.store.links) {
      const other = seen.get(link[side])
      if (other !== undefined)
        violations.push(
          `the store links ${side === "leftId" ? "hub" : "ERP"} customer ${link[side]} twice: ${pairName(other)} and ${pairName(link)}`
        )
      seen.set(link[side], link)
    }
  }
  return violations
}

/** Every hub row a sync inserted is a customer it pulled from the ERP (one per ERP customer) or a promoted contact. */
export const noDoubleHubCreates = (before: Snapshot, after: Snapshot): Array<string> => {
  const pulled = new Set(
    after.store.operations
      .filter((op) => op.operation._tag === "Create" && op.operation.side === "left" && op.resultId !== undefined)
      .map((op) => op.resultId as string)
  )
  const linked = new Set(after.store.links.map((link) => link.leftId as string))
  const violations: Array<string> = []
  for (const [id, row] of after.hub.customers_unified) {
    if (before.hub.customers_unified.has(id) || pulled.has(id) || linked.has(id)) continue
    if (row.company_name !== null || row.real_name !== null || row.phone !== null) {
      violations.push(
        `hub row ${id} (${show(row.company_name as FieldValue)}) was inserted by the sync, but no create in the outbox produced it: a customer pulled twice?`
      )
    }
  }
  return violations
}

// ── 2. No ERP mobile collides because of the sync: it skips instead, with reasons ─────────────────────────────────

const mobileHolders = (snapshot: Snapshot, normalize: (value: string) => string): Map<string, Set<string>> => {
  const holders = new Map<string, Set<string>>()
  const add = (mobile: string | undefined, who: string) => {
    const value = mobile === undefined || mobile.trim() === "" ? "" : normalize(mobile)
    if (value !== "") holders.set(value, new Set([...(holders.get(value) ?? []), who]))
  }
  for (const customer of snapshot.erp.customers.values()) add(customer.fields.mobile, `customer ${customer.ord}`)
  for (const contact of snapshot.erp.contacts) {
    if (!contact.main) {
      add(contact.fields.mobile, `contact ${contact.ord} of customer ${contact.company}`)
      add(contact.fields.mobile2, `contact ${contact.ord} of customer ${contact.company}`)
    }
  }
  return holders
}

/** The customer a holder belongs to: a customer's own further contacts may share its mobile (sync-rules §5). */
const customersOf = (holders: Iterable<string>): Set<string> =>
  new Set([...holders].map((who) => who.replace(/^contact \d+ of /, "")))

export const noNewMobileCollisions = (
  before: Snapshot,
  after: Snapshot,
  normalize: (value: string) => string
): Array<string> => {
  const was = mobileHolders(before, normalize)
  const violations: Array<string> = []
  for (const [mobile, holders] of mobileHolders(after, normalize)) {
    const earlier = was.get(mobile) ?? new Set()
    const added = [...holders].filter((who) => !earlier.has(who))
    if (customersOf(holders).size > 1 && added.length > 0) {
      violations.push(
        `the sync gave ERP ${added.join(", ")} the mobile ${mask(mobile)} that ${[...holders].filter((w) => !added.includes(w)).join(", ") || "another record"} holds`
      )
    }
  }
  return violations
}

export const mask = (mobile: string): string =>
  mobile.length >= 11 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : mobile.replace(/\d(?=\d{2})/g, "*")

/** Every record a run left alone has a reason a person can read, in the store and in the hub's status columns. */
export const skipsHaveReasons = (after: Snapshot, runs: ReadonlySet<string>): Array<string> => {
  const violations: Array<string> = []
  for (const outcome of after.store.outcomes) {
    if (!runs.has(outcome.runId)) continue
    if (outcome.outcome !== "skipped" && outcome.outcome !== "failed" && outcome.outcome !== "conflict") continue
    if (outcome.reasons.length === 0 || outcome.reasons.some((reason) => reason.message.trim() === "")) {
      violations.push(
        `run ${outcome.runId} ${outcome.outcome} ${outcome.side} record ${outcome.id} (${outcome.operation}) without a reason`
      )
    }
  }
  for (const [id, row] of after.hub.customers_unified) {
    const status = row.erp_sync_status
    if (
      (status === "skipped" || status === "failed") &&
      (typeof row.erp_sync_error !== "string" || row.erp_sync_error.trim() === "")
    ) {
      violations.push(`hub customer ${id} shows erp_sync_status '${status}' without a reason in erp_sync_error`)
    }
  }
  return violations
}

// ── 3. "ERP wins" and fill-in hold field by field against the model ─────────────────────────────────────────────

const changedSince = (base: Baseline | undefined, side: "hub" | "erp", field: string, now: FieldValue): boolean =>
  base === undefined || !base[side].has(field) || base[side].get(field) !== now

/**
 * Checked across every sync (with faults and crashes too): a change only one side made is never undone by the sync,
 * a change both sides made is decided for the winner of the field's rule (the loser may only take the winner's
 * value), a fill-in field's value is never overwritten, and an ERP value the hub mirrors never changes in the ERP.
 */
export const fieldRulesHold = (model: Model, before: Snapshot, after: Snapshot): Array<string> => {
  const violations: Array<string> = []
  const previous = new Set(before.store.links.map((link) => `${link.leftId}↔${link.rightId}`))
  for (const link of after.store.links) {
    if (!previous.has(`${link.leftId}↔${link.rightId}`)) continue
    const h0 = before.canonical.hub.get(link.leftId)
    const e0 = before.canonical.erp.get(link.rightId)
    const h1 = after.canonical.hub.get(link.leftId)
    const e1 = after.canonical.erp.get(link.rightId)
    if (h0 === undefined || e0 === undefined || h1 === undefined || e1 === undefined) continue
    const base = model.baseOf(link)
    for (const rule of model.rules) {
      const [hb, eb, ha, ea] = [
        h0[rule.name] ?? null,
        e0[rule.name] ?? null,
        h1[rule.name] ?? null,
        e1[rule.name] ?? null
      ]
      const where = `${pairName(link)}, ${rule.name}`
      const was = `(hub ${show(hb)}, ERP ${show(eb)}; last agreed hub ${show(base?.hub.get(rule.name))}, ERP ${show(base?.erp.get(rule.name))})`
      const keep = (side: "hub" | "erp", why: string) => {
        const [from, to] = side === "hub" ? [hb, ha] : [eb, ea]
        if (from !== to)
          violations.push(
            `${where}: ${why}, yet the sync changed the ${side === "hub" ? "hub" : "ERP"} value to ${show(to)} ${was}`
          )
      }
      const onlyFrom = (side: "hub" | "erp", source: FieldValue) => {
        const [from, to] = side === "hub" ? [hb, ha] : [eb, ea]
        if (to !== from && to !== source)
          violations.push(
            `${where}: the sync wrote ${show(to)} into the ${side === "hub" ? "hub" : "ERP"}, a value neither side held ${was}`
          )
      }
      if (hb === eb) {
        keep("hub", "both sides agreed")
        keep("erp", "both sides agreed")
        continue
      }
      switch (rule.kind) {
        case "fillIn":
          if (hb !== null) keep("hub", "a fill-in field is never overwritten")
          if (eb !== null) keep("erp", "a fill-in field is never overwritten")
          onlyFrom("hub", eb)
          onlyFrom("erp", hb)
          break
        case "mirror":
          keep("erp", "the hub only mirrors this ERP value")
          onlyFrom("hub", eb)
          break
        case "twoWay": {
          const hubChanged = changedSince(base, "hub", rule.name, hb)
          const erpChanged = changedSince(base, "erp", rule.name, eb)
          if (hubChanged && erpChanged) {
            const winner = rule.winner
            keep(winner, `both sides changed it and ${winner === "erp" ? "the ERP" : "the hub"} wins`)
            onlyFrom(winner === "erp" ? "hub" : "erp", winner === "erp" ? eb : hb)
          } else if (hubChanged || erpChanged) {
            keep(hubChanged ? "hub" : "erp", `only the ${hubChanged ? "hub" : "ERP"} changed it, so its value stands`)
            onlyFrom(hubChanged ? "erp" : "hub", hubChanged ? hb : eb)
          } else {
            keep("hub", "neither side changed it since a rollback left them apart")
            keep("erp", "neither side changed it since a rollback left them apart")
          }
        }
      }
    }
  }
  return violations
}

/** The ERP fields the sync changes on customers that existed are only the fields the policy writes there. */
export const erpFieldsOwned = (before: Snapshot, after: Snapshot, writable: ReadonlySet<string>): Array<string> => {
  const violations: Array<string> = []
  for (const [ord, was] of before.erp.customers) {
    const now = after.erp.customers.get(ord)
    if (now === undefined) {
      violations.push(`ERP customer ${ord} disappeared (the ERP has no delete the sync may use)`)
      continue
    }
    for (const field of new Set([...Object.keys(was.fields), ...Object.keys(now.fields)])) {
      if ((was.fields[field] ?? "") !== (now.fields[field] ?? "") && !writable.has(field)) {
        violations.push(
          `the sync changed ERP customer ${ord}'s ${field} (${show(was.fields[field])} → ${show(now.fields[field])}), a field it does not own`
        )
      }
    }
  }
  return violations
}

// ── 4. After a fault-free sync, both sides agree (but for recorded skips); one more sync plans and writes nothing ─

/** The newest outcome recorded about a record (as the record, or as the other side of an operation). */

export const converged = (
  model: Model,
  after: Snapshot,
  exempt: (field: string, link: LinkState, hub: FieldValue, erp: FieldValue, row: Row) => boolean
): Array<string> => {
  const violations: Array<string> = []
  const latest = latestOutcomes(after.store.outcomes)
  for (const link of after.store.links) {
    const hub = after.canonical.hub.get(link.leftId)
    const erp = after.canonical.erp.get(link.rightId)
    if (hub === undefined || erp === undefined) {
      violations.push(
        `${pairName(link)} is linked, but ${hub === undefined ? "the hub" : "the ERP"} has no such customer`
      )
      continue
    }
    if (leftAlone(latest.get(`left:${link.leftId}`)) || leftAlone(latest.get(`right:${link.rightId}`))) continue
    const base = model.baseOf(link)
    for (const rule of model.rules) {
      const [h, e] = [hub[rule.name] ?? null, erp[rule.name] ?? null]
      if (h === e) continue
      if (rule.kind === "fillIn" && h !== null && e !== null) continue
      if (keptApartByRollback(base, rule, h, e)) continue
      if (model.unseenErpEdit(link.rightId, rule.name)) continue
      if (exempt(rule.name, link, h, e, after.hub.customers_unified.get(link.leftId) ?? {})) continue
      violations.push(
        `${pairName(link)} disagree on ${rule.name} after a fault-free sync: hub ${show(h)}, ERP ${show(e)}, and no skip or conflict is recorded`
      )
    }
  }
  const linkedHub = new Set(after.store.links.map((link) => link.leftId as string))
  const linkedErp = new Set(after.store.links.map((link) => link.rightId as string))
  for (const [id, row] of after.hub.customers_unified) {
    if (linkedHub.has(id)) continue
    const shown = row.erp_sync_status === "skipped" || row.erp_sync_status === "failed"
    if (!shown || !leftAlone(latest.get(`left:${id}`))) {
      violations.push(
        `hub customer ${id} is in neither system's link nor shown as skipped or failed (erp_sync_status ${show(row.erp_sync_status as FieldValue)}): silently dropped`
      )
    }
  }
  for (const ord of after.erp.customers.keys()) {
    if (!linkedErp.has(String(ord)) && !leftAlone(latest.get(`right:${ord}`))) {
      violations.push(
        `ERP customer ${ord} is neither linked to a hub customer nor recorded as skipped: silently dropped`
      )
    }
  }
  return violations
}

const keptApartByRollback = (base: Baseline | undefined, rule: FieldRule, hub: FieldValue, erp: FieldValue): boolean =>
  base !== undefined &&
  base.hub.get(rule.name) !== base.erp.get(rule.name) &&
  base.hub.get(rule.name) === hub &&
  base.erp.get(rule.name) === erp

const describeOp = (op: Operation): string => {
  switch (op._tag) {
    case "Create":
      return `create on ${op.side} from ${op.sourceId}`
    case "Update":
      return `update of ${op.side} ${op.id}: ${Object.entries(op.changes)
        .map(([field, value]) => `${field} ${show(op.before[field])} → ${show(value)}`)
        .join(", ")}`
    case "Action":
      return `${op.kind} on ${op.side} ${op.target._tag === "Id" ? op.target.id : `(created from ${op.target.sourceId})`}`
    default:
      return op._tag
  }
}

export const nothingLeftToDo = (plan: Plan, exempt: (op: Operation) => boolean): Array<string> =>
  plan.operations
    .filter((op) => isWrite(op) && !exempt(op))
    .map((op) => `one more sync after a fault-free sync still plans: ${describeOp(op)}`)

/** What a sync wrote between two snapshots: ERP write calls (counted at the mock), hub rows whose content changed. */
export const wroteNothing = (before: Snapshot, after: Snapshot): Array<string> => [
  ...syncWrites(after)
    .slice(syncWrites(before).length)
    .map((entry) => `a second sync after a fault-free sync wrote to the ERP: ${entry.kind} of ${entry.ord}`),
  ...[...after.hub.customers_unified].flatMap(([id, row]) => {
    const was = before.hub.customers_unified.get(id) ?? {}
    const changed = Object.keys(row).filter((column) => JSON.stringify(was[column]) !== JSON.stringify(row[column]))
    return changed.length === 0
      ? []
      : [
          `a second sync after a fault-free sync wrote hub row ${id}: ${changed
            .map((column) => `${column} ${JSON.stringify(was[column])} → ${JSON.stringify(row[column])}`)
            .join(", ")}`
        ]
  })
]

// ── 5. No operation lost or applied twice across crashes (the ERP's write log against the outbox) ────────────────

const targetOf = (
  stored: StoredOperation,
  all: ReadonlyArray<StoredOperation>,
  links: ReadonlyArray<LinkState>
): string | undefined => {
  const op = stored.operation
  if (op._tag !== "Action") return undefined
  if (op.target._tag === "Id") return op.target.id
  const { sourceId } = op.target
  const create = all.find((other) => other.key === `create:${op.side}:${sourceId}`)
  if (create?.resultId !== undefined) return create.resultId
  const link = links.find((l) => (op.side === "right" ? l.leftId : l.rightId) === sourceId)
  return link === undefined ? undefined : op.side === "right" ? link.rightId : link.leftId
}

export const outboxMatchesErp = (after: Snapshot): Array<string> => {
  const violations: Array<string> = []
  const ops = after.store.operations
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
  const done = new Map<string, number>()
  const uncertain = new Map<string, number>()
  for (const stored of ops) {
    if (stored.operation._tag !== "Action" || stored.operation.side !== "right") continue
    const target = targetOf(stored, ops, after.store.links)
    const key = `${stored.operation.kind}:${target ?? "?"}`
    if (stored.state === "done") count(done, key)
    else if (stored.state === "parked" || stored.state === "attempted") count(uncertain, key)
  }
  const withdrawn = new Map<string, number>()
  for (const outcome of after.store.outcomes) {
    if (outcome.operation === "rollback:create" && outcome.side === "right" && outcome.outcome === "rolledBack") {
      count(withdrawn, `assign:${outcome.id}`)
    }
  }
  const written = new Map<string, number>()
  for (const entry of syncWrites(after)) {
    if (entry.kind === "followUp" || entry.kind === "assign") count(written, `${entry.kind}:${entry.ord}`)
  }
  for (const key of new Set([...done.keys(), ...written.keys(), ...uncertain.keys()])) {
    const [kind, ord] = key.split(":")
    const expected = (done.get(key) ?? 0) + (withdrawn.get(key) ?? 0)
    const got = written.get(key) ?? 0
    const maybe = uncertain.get(key) ?? 0
    if (got < expected)
      violations.push(
        `the outbox marks ${expected} ${kind} action(s) on ERP customer ${ord} done, but the ERP holds ${got}: lost`
      )
    if (got > expected + maybe)
      violations.push(
        `the ERP holds ${got} ${kind} record(s) on customer ${ord}, but the outbox sent ${expected} (and ${maybe} uncertain): applied twice`
      )
  }
  const created = syncCreated(after)
  const createdIds = new Set<string>()
  for (const stored of ops) {
    const op = stored.operation
    if (op._tag !== "Create" || op.side !== "right") continue
    if (stored.resultId !== undefined && (stored.state === "done" || stored.state === "rolledBack")) {
      createdIds.add(stored.resultId)
      if (!created.has(Number(stored.resultId)))
        violations.push(
          `the outbox says ${op.key} created ERP customer ${stored.resultId}, but the ERP never saved it: lost`
        )
    }
    if (stored.provisionalId !== undefined && stored.state !== "done" && stored.state !== "rolledBack")
      createdIds.add(stored.provisionalId)
  }
  const linked = new Set(after.store.links.map((link) => link.rightId as string))
  for (const ord of created.keys()) {
    if (!createdIds.has(String(ord)) && !linked.has(String(ord))) {
      violations.push(
        `the sync created ERP customer ${ord} (khid ${created.get(ord) || "none"}), but no create in the outbox has it and it is linked to nothing: applied twice or lost track`
      )
    }
  }
  return violations
}

// ── 6. A rollback with no edits in between restores both sides exactly ──────────────────────────────────────────

/** The hub columns a rollback restores: what a person sees of a customer (the policy's columns and the link's mirror). */
export const restoredHubColumns = (owned: ReadonlySet<string>, sync: ReadonlyArray<string>): ReadonlyArray<string> =>
  [...owned].filter((column) => !sync.includes(column) && !column.endsWith("_source")).concat("erp_customer_id")

export const rollbackRestored = (
  last: LastSync,
  after: Snapshot,
  hubColumns: ReadonlyArray<string>,
  withdrawNote: string,
  exempt: (column: string | undefined, was: Row | undefined, row: Row) => boolean = () => false
): Array<string> => {
  const violations: Array<string> = []
  const before = last.before
  for (const [id, row] of after.hub.customers_unified) {
    const was = before.hub.customers_unified.get(id)
    if (was === undefined) {
      if (exempt(undefined, was, row)) continue
      violations.push(`hub customer ${id}, created by run ${last.runId}, is still there after its rollback`)
      continue
    }
    for (const column of hubColumns) {
      if (!same(was[column], row[column]) && !exempt(column, was, row)) {
        violations.push(
          `hub customer ${id}: ${column} is ${show(row[column] as FieldValue)} after the rollback of run ${last.runId}, was ${show(was[column] as FieldValue)}`
        )
      }
    }
  }
  for (const id of before.hub.customers_unified.keys()) {
    if (!after.hub.customers_unified.has(id))
      violations.push(`hub customer ${id} is gone after the rollback of run ${last.runId}`)
  }
  for (const [ord, customer] of after.erp.customers) {
    const was = before.erp.customers.get(ord)
    if (was === undefined) {
      if (!customer.pool || !(customer.fields.intro ?? "").startsWith(withdrawNote)) {
        violations.push(
          `ERP customer ${ord}, created by run ${last.runId}, was not withdrawn by its rollback (public pool, note in intro)`
        )
      }
      continue
    }
    for (const field of new Set([...Object.keys(was.fields), ...Object.keys(customer.fields)])) {
      if ((was.fields[field] ?? "") !== (customer.fields[field] ?? "")) {
        violations.push(
          `ERP customer ${ord}: ${field} is ${show(customer.fields[field])} after the rollback of run ${last.runId}, was ${show(was.fields[field])}`
        )
      }
    }
  }
  const pairs = (snapshot: Snapshot) => new Set(snapshot.store.links.map((link) => `${link.leftId}↔${link.rightId}`))
  const linksBefore = pairs(before)
  for (const pair of pairs(after))
    if (!linksBefore.has(pair)) violations.push(`the link ${pair}, made by run ${last.runId}, survived its rollback`)
  for (const pair of linksBefore)
    if (!pairs(after).has(pair)) violations.push(`the link ${pair} was lost by the rollback of run ${last.runId}`)
  return violations
}

const same = (a: unknown, b: unknown): boolean => (a ?? null) === (b ?? null)

// ── 7. Nothing in the hub file is written outside the columns the sync owns ─────────────────────────────────────

export const hubColumnsOwned = (
  before: Snapshot,
  after: Snapshot,
  owned: ReadonlySet<string>,
  inserted: ReadonlyArray<string>,
  defaults: ReadonlyMap<string, unknown>,
  mayDelete: boolean
): Array<string> => {
  const violations: Array<string> = []
  for (const table of Object.keys(after.hub) as Array<keyof Snapshot["hub"]>) {
    const was = before.hub[table]
    const now = after.hub[table]
    const customers = table === "customers_unified"
    for (const [id, row] of now) {
      const old = was.get(id)
      if (old === undefined) {
        if (!customers) violations.push(`the sync inserted ${table} row ${id}`)
        else {
          for (const [column, value] of Object.entries(row)) {
            if (!owned.has(column) && !inserted.includes(column) && !same(value, defaults.get(column))) {
              violations.push(
                `the sync inserted hub customer ${id} with ${column} = ${show(value as FieldValue)}, a column it does not own`
              )
            }
          }
        }
        continue
      }
      for (const column of Object.keys(row)) {
        if (same(old[column], row[column])) continue
        if (!customers || !owned.has(column)) {
          violations.push(
            `the sync changed ${table} row ${id}: ${column} ${show(old[column] as FieldValue)} → ${show(row[column] as FieldValue)}, a column it does not own`
          )
        }
      }
    }
    for (const [id, row] of was) {
      if (now.has(id)) continue
      if (!customers || !mayDelete || (row as Row).created_by !== "tongbu")
        violations.push(`the sync deleted ${table} row ${id}`)
    }
  }
  return violations
}
