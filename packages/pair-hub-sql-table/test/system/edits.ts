/**
 * What people do in the hub↔sql-table world, each a sentence a counterexample reads as: the hub's staff edit a
 * customer (through the hub's SQLite file, as its app does), the team's users edit or enter a row of their table
 * (raising its version counter, as their app's trigger would), and both edit one linked pair before a run (the table
 * wins, the pair's default). Targets are picked by position, so a shrunk history stays meaningful.
 */
import { formatHubTimestamp, makeHubTimeZone } from "@tongbu/adapter-wechat-hub"
import { maskMobiles } from "@tongbu/core"
import type { Did, Edit, Person } from "@tongbu/runner/testing"
import { Option } from "effect"
import fc from "fast-check"
import type { Snapshot, System } from "./system.js"
import { tableMobiles, tableNames } from "./world.js"

const zone = Option.getOrThrow(makeHubTimeZone("Asia/Shanghai"))

const names = ["杭州恒达贸易有限公司", "宁波海天机械有限公司", "王晓明", "李静怡"]
const mobiles = ["13800138001", "13911139002", "15012150003", "18600186004"]
const emails = ["sales@hengda.cn", "info@boyuan.cn", null]

export type Field = "name" | "mobile" | "email"
const values: Record<Field, ReadonlyArray<string | null>> = { name: names, mobile: mobiles, email: emails }

const at = <A>(list: ReadonlyArray<A>, index: number): A | undefined =>
  list.length === 0 ? undefined : list[index % list.length]

const show = (field: Field, value: string | null) =>
  field === "mobile" && value !== null ? maskMobiles(value) : JSON.stringify(value)

const did = (changed: boolean, text: string): Did<Snapshot> => ({ changed, text })

const hubIds = (system: System): Array<number> =>
  system.world.hub.prepare("SELECT id FROM customers_unified ORDER BY id").pluck().all() as Array<number>

const tableIds = (system: System): Array<number> =>
  system.world.table.prepare("SELECT id FROM customers ORDER BY id").pluck().all() as Array<number>

/** What the hub's app does when a person saves the customer: the column, its provenance, the row's stamps. */
const editHub = async (system: System, id: number, field: Field, value: string | null): Promise<Did<Snapshot>> => {
  const { hub } = system.world
  const type = hub.prepare("SELECT erp_customer_type FROM customers_unified WHERE id = ?").pluck().get(id)
  const column = field === "name" ? (type === 2 ? "real_name" : "company_name") : field === "mobile" ? "phone" : field
  const stamp = formatHubTimestamp(await system.world.now(), zone)
  try {
    hub
      .prepare(
        `UPDATE customers_unified SET ${column} = ?, ${column}_source = 'manual', updated_at = ?, updated_by = 'staff' WHERE id = ?`
      )
      .run(value, stamp, id)
    system.model.edited("left", String(id))
    return did(true, `hub customer ${id}: ${column} = ${show(field, value)}`)
  } catch (error) {
    return did(false, `hub customer ${id}: the hub refused ${column} (${String(error)})`)
  }
}

const tableColumns: Record<Field, string> = { name: "full_name", mobile: "mobile", email: "email" }

/** What the team's app does on a save: the column, and the version above every row's. */
const editTable = (system: System, id: number, field: Field, value: string | null): Did<Snapshot> => {
  try {
    system.world.table
      .prepare(
        `UPDATE customers SET ${tableColumns[field]} = ?, row_version = (SELECT max(row_version) FROM customers) + 1 WHERE id = ?`
      )
      .run(value, id)
    system.model.edited("right", String(id))
    return did(true, `table row ${id}: ${tableColumns[field]} = ${show(field, value)}`)
  } catch (error) {
    return did(false, `table row ${id}: the table refused ${tableColumns[field]} (${String(error)})`)
  }
}

export class HubEdit implements Edit<System> {
  constructor(
    readonly target: number,
    readonly field: Field,
    readonly n: number
  ) {}
  run = async (system: System, person: Person<Snapshot>) => {
    const id = at(hubIds(system), this.target)
    const value = values[this.field][this.n % values[this.field].length]!
    await person(this.toString(), () =>
      id === undefined ? did(false, "no hub customer to edit") : editHub(system, id, this.field, value)
    )
  }
  toString = () => `hub edits customer #${this.target}: ${this.field} (value ${this.n})`
}

export class TableEdit implements Edit<System> {
  constructor(
    readonly target: number,
    readonly field: Field,
    readonly n: number
  ) {}
  run = async (system: System, person: Person<Snapshot>) => {
    const id = at(tableIds(system), this.target)
    const value = values[this.field][(this.n + 1) % values[this.field].length]!
    await person(this.toString(), () =>
      id === undefined ? did(false, "no table row to edit") : editTable(system, id, this.field, value)
    )
  }
  toString = () => `a table user edits row #${this.target}: ${this.field} (value ${this.n})`
}

export class TableCreate implements Edit<System> {
  constructor(readonly n: number) {}
  run = async (system: System, person: Person<Snapshot>) => {
    await person(this.toString(), () => {
      const { table } = system.world
      const name = `${tableNames[this.n % tableNames.length]}${this.n}`
      const mobile = tableMobiles[this.n % tableMobiles.length]!
      const row = table
        .prepare(
          "INSERT INTO customers (full_name, mobile, row_version) VALUES (?, ?, (SELECT coalesce(max(row_version), 0) + 1 FROM customers))"
        )
        .run(name, mobile)
      return did(true, `table row ${row.lastInsertRowid}: ${name}, ${maskMobiles(mobile)}`)
    })
  }
  toString = () => `a table user enters a customer (value ${this.n})`
}

/** A person on each side changes the same field of one linked pair to different values: the table's must win. */
export class BothEdit implements Edit<System> {
  constructor(
    readonly target: number,
    readonly field: "name" | "email",
    readonly n: number
  ) {}
  run = async (system: System, person: Person<Snapshot>) => {
    const links = await system.world.store((store) => store.links)
    const link = at(links, this.target)
    const [hubValue, tableValue] = this.field === "name" ? [names[0]!, names[1]!] : [emails[0]!, emails[1]!]
    const [left, right] = this.n % 2 === 0 ? [hubValue, tableValue] : [tableValue, hubValue]
    await person(`${this} (hub side)`, () =>
      link === undefined ? did(false, "no linked pair to edit") : editHub(system, Number(link.leftId), this.field, left)
    )
    if (link === undefined) return
    await person(`${this} (table side)`, () => {
      const done = editTable(system, Number(link.rightId), this.field, right)
      if (done.changed) system.model.expect(link, this.field, right)
      return done
    })
  }
  toString = () =>
    `a hub user and a table user both change the ${this.field} of linked pair #${this.target} (values ${this.n})`
}

const index = fc.nat({ max: 11 })
const field = fc.constantFrom<Field>("name", "mobile", "email")

export const edits: ReadonlyArray<fc.Arbitrary<Edit<System>>> = [
  fc.tuple(index, field, fc.nat({ max: 3 })).map(([target, f, n]) => new HubEdit(target, f, n)),
  fc.tuple(index, field, fc.nat({ max: 3 })).map(([target, f, n]) => new TableEdit(target, f, n)),
  fc
    .tuple(index, fc.constantFrom("name" as const, "email" as const), fc.nat({ max: 1 }))
    .map(([target, f, n]) => new BothEdit(target, f, n)),
  fc.nat({ max: 7 }).map((n) => new TableCreate(n))
]
