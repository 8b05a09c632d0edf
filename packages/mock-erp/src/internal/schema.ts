import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core"
import type { Assignment, Contact, FollowUp, WriteLogEntry } from "../Model.js"
import type { CustomerRow } from "./store.js"

// Each record is one JSON document keyed by its id: the mock reads whole records and filters in memory,
// so columns per field would buy nothing.
const docTable = <T>(name: string) =>
  sqliteTable(name, {
    id: integer("id").primaryKey(),
    doc: text("doc", { mode: "json" }).$type<T>().notNull()
  })

export const customers = docTable<CustomerRow>("customers")
export const contacts = docTable<Contact>("contacts")
export const followUps = docTable<FollowUp>("follow_ups")
export const assignments = docTable<Assignment>("assignments")
export const writeLog = docTable<WriteLogEntry>("write_log")

export const counters = sqliteTable("counters", {
  name: text("name").primaryKey(),
  value: integer("value").notNull()
})
