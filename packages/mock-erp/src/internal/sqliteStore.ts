import { fileURLToPath } from "node:url"
import Database from "better-sqlite3"
import { asc, eq, sql } from "drizzle-orm"
import { drizzle } from "drizzle-orm/better-sqlite3"
import { migrate } from "drizzle-orm/better-sqlite3/migrator"
import * as schema from "./schema.js"
import type { Counter, DocTable, Store } from "./store.js"

const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url))

type Db = ReturnType<typeof drizzle>
/** The document tables all have the same two columns; only their document type differs. */
type Docs = typeof schema.customers

/** A store in a SQLite file, so that a long-running mock keeps its data across restarts. */
export const sqliteStore = (path: string): Store => {
  const client = new Database(path)
  client.pragma("journal_mode = WAL")
  const db = drizzle(client)
  migrate(db, { migrationsFolder })

  const all = [schema.customers, schema.contacts, schema.followUps, schema.assignments, schema.writeLog] as const
  const table = <T>(docs: (typeof all)[number]): DocTable<T> => docTable<T>(db, docs as Docs)
  return {
    customers: table(schema.customers),
    contacts: table(schema.contacts),
    followUps: table(schema.followUps),
    assignments: table(schema.assignments),
    writeLog: table(schema.writeLog),
    nextId: (counter: Counter) =>
      db
        .insert(schema.counters)
        .values({ name: counter, value: 1 })
        .onConflictDoUpdate({ target: schema.counters.name, set: { value: sql`${schema.counters.value} + 1` } })
        .returning({ value: schema.counters.value })
        .get().value,
    transaction: (f) => client.transaction(f)(),
    clear: () =>
      client.transaction(() => {
        for (const docs of all) db.delete(docs).run()
        db.delete(schema.counters).run()
      })(),
    close: () => client.close()
  }
}

const docTable = <T>(db: Db, docs: Docs): DocTable<T> => ({
  get: (id) => db.select().from(docs).where(eq(docs.id, id)).get()?.doc as T | undefined,
  all: () =>
    db
      .select()
      .from(docs)
      .orderBy(asc(docs.id))
      .all()
      .map((row) => row.doc as T),
  put: (id, doc) => {
    const value = doc as unknown as (typeof docs)["$inferInsert"]["doc"]
    db.insert(docs)
      .values({ id, doc: value })
      .onConflictDoUpdate({ target: docs.id, set: { doc: value } })
      .run()
  },
  remove: (id) => void db.delete(docs).where(eq(docs.id, id)).run()
})
