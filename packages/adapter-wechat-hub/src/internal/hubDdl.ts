/**
 * The hub's DDL as the Python hub creates it, written from the tables `HubSchema` declares (their columns, types,
 * defaults, keys and indexes are declared there only), plus the hub's `updated_at` trigger. Only the fixture generator
 * runs it, on files it creates; the adapter never runs DDL on a hub file.
 */
import { is, SQL } from "drizzle-orm"
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core"
import { getTableConfig, SQLiteBaseInteger } from "drizzle-orm/sqlite-core"
import { contacts, customersUnified, signals, threads } from "../HubSchema.js"

/** A default as SQLAlchemy writes it: text quoted, booleans 0/1, a FLOAT's whole number as `0.0`, SQL as given. */
const defaultOf = (column: SQLiteColumn): string => {
  const value: unknown = column.default
  if (is(value, SQL))
    return value.queryChunks.map((chunk) => (chunk as { value?: Array<string> }).value?.join("") ?? "").join("")
  const stored = column.mapToDriverValue(value)
  if (typeof stored === "string") return `'${stored.replace(/'/g, "''")}'`
  if (typeof stored === "number" && column.getSQLType() === "FLOAT" && Number.isInteger(stored)) return `${stored}.0`
  return String(stored)
}

const createTable = (table: SQLiteTable): string => {
  const config = getTableConfig(table)
  const references = new Map(
    config.foreignKeys.map((fk) => {
      const { columns, foreignColumns, foreignTable } = fk.reference()
      return [columns[0]?.name, `REFERENCES ${getTableConfig(foreignTable).name}(${foreignColumns[0]?.name})`]
    })
  )
  const columns = config.columns.map((column) => {
    const parts: Array<string> = [column.name, column.getSQLType()]
    // The hub declares its integer row id NOT NULL and its text keys bare, as SQLAlchemy and its own SQL wrote them.
    if (column.primary)
      parts.push(
        is(column, SQLiteBaseInteger) && column.autoIncrement ? "NOT NULL PRIMARY KEY AUTOINCREMENT" : "PRIMARY KEY"
      )
    else if (column.notNull) parts.push("NOT NULL")
    if (column.isUnique) parts.push("UNIQUE")
    if (column.default !== undefined) parts.push(`DEFAULT ${defaultOf(column)}`)
    const reference = references.get(column.name)
    if (reference !== undefined) parts.push(reference)
    return `  ${parts.join(" ")}`
  })
  const indexes = config.indexes.map(({ config: index }) => {
    const on = index.columns.map((column) => (column as SQLiteColumn).name).join(", ")
    return `CREATE INDEX ${index.name} ON ${config.name} (${on});`
  })
  return [`CREATE TABLE ${config.name} (\n${columns.join(",\n")}\n);`, ...indexes].join("\n")
}

export const hubDdl = `
${createTable(customersUnified)}
CREATE TRIGGER update_customers_unified_timestamp
  AFTER UPDATE ON customers_unified FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE customers_unified SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

${[contacts, threads, signals].map(createTable).join("\n")}
`
