/**
 * What both systems and the store hold at one instant: the hub file's raw rows (every table, every column), the
 * ERP's customers and logs as the mock keeps them, each side's records in canonical form (through the runner's
 * policy), and the store's links and outcomes.
 */
import { HubAdapter } from "@tongbu/adapter-wechat-hub"
import type { FieldMapping, Fields, LinkState, Outcome, Run, StoredOperation } from "@tongbu/core"
import { canonicalize, RecordId, SideRecord } from "@tongbu/core"
import type { Assignment, Contact, Customer, FollowUp, WriteLogEntry } from "@tongbu/mock-erp"
import { Effect, Option, Stream } from "effect"
import type { HubDb, World } from "./world.js"

export type Row = Readonly<Record<string, unknown>>

/** The hub's tables that the hub's own app owns besides customers: the sync reads them and must never write them. */
export const hubTables = { customers_unified: "id", contacts: "id", threads: "id", signals: "id" } as const
export type HubTable = keyof typeof hubTables

export interface ErpState {
  readonly customers: ReadonlyMap<number, Customer>
  readonly contacts: ReadonlyArray<Contact>
  readonly followUps: ReadonlyArray<FollowUp>
  readonly assignments: ReadonlyArray<Assignment>
  readonly writeLog: ReadonlyArray<WriteLogEntry>
}

export interface StoreState {
  readonly links: ReadonlyArray<LinkState>
  /** Oldest first. */
  readonly runs: ReadonlyArray<Run>
  readonly outcomes: ReadonlyArray<Outcome>
  readonly operations: ReadonlyArray<StoredOperation>
}

export interface Snapshot {
  readonly hub: Readonly<Record<HubTable, ReadonlyMap<string, Row>>>
  readonly erp: ErpState
  /** Each side's records in canonical form, by record id. */
  readonly canonical: { readonly hub: ReadonlyMap<string, Fields>; readonly erp: ReadonlyMap<string, Fields> }
  readonly store: StoreState
}

export const readHubTables = (db: HubDb): Snapshot["hub"] => {
  const read = (table: HubTable) =>
    new Map(
      (db.prepare(`SELECT * FROM ${table} ORDER BY ${hubTables[table]}`).all() as Array<Row>).map((row) => [
        String(row[hubTables[table]]),
        row
      ])
    )
  return {
    customers_unified: read("customers_unified"),
    contacts: read("contacts"),
    threads: read("threads"),
    signals: read("signals")
  }
}

export const readErp = (world: World): ErpState => {
  const control = world.mock.control
  return {
    customers: new Map(control.customers().map((customer) => [customer.ord, customer])),
    contacts: control.contacts(),
    followUps: control.followUps(),
    assignments: control.assignments(),
    writeLog: control.writeLog()
  }
}

/** An ERP customer as the adapter reads it: the customer page's fields (with its main contact's) and its kind. */
export const erpRecord = (customer: Customer): SideRecord =>
  new SideRecord({
    id: RecordId.make(String(customer.ord)),
    fields: { ...customer.fields, intsort: customer.intsort }
  })

const readStore = (world: World): Promise<StoreState> =>
  world.store((store) =>
    Effect.gen(function* () {
      const runs = (yield* store.runs(100_000)).slice().reverse()
      const outcomes = (yield* Effect.forEach(runs, (run) => store.outcomes(run.id))).flat()
      const operations = (yield* Effect.forEach(runs, (run) => store.operations(run.id))).flat()
      return { links: yield* store.links, runs, outcomes, operations }
    })
  )

/** Every hub customer as the hub adapter reads it (in a separate, read-only connection: intake off). */
const hubRecords = (world: World): Promise<ReadonlyArray<SideRecord>> =>
  world.effect(
    Effect.scoped(
      Effect.flatMap(HubAdapter.make({ path: world.hubPath, intake: false }), (hub) =>
        Stream.runCollect(hub.list({ since: Option.none() }))
      )
    ).pipe(
      Effect.map((entries) => Array.from(entries, (entry) => entry.record).filter((record) => record !== undefined))
    )
  )

export const takeSnapshot = async (world: World, mappings: ReadonlyArray<FieldMapping>): Promise<Snapshot> => {
  const erp = readErp(world)
  const hub = readHubTables(world.hub)
  const records = await hubRecords(world)
  const canonical = {
    hub: new Map(records.map((record) => [record.id as string, canonicalize(mappings, "left", record)])),
    erp: new Map(
      Array.from(erp.customers.values(), (customer) => [
        String(customer.ord),
        canonicalize(mappings, "right", erpRecord(customer))
      ])
    )
  }
  return { hub, erp, canonical, store: await readStore(world) }
}
