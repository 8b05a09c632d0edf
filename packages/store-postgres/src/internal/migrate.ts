import { fileURLToPath } from "node:url"
import { drizzle } from "drizzle-orm/node-postgres"
import { migrate } from "drizzle-orm/node-postgres/migrator"
import type { Pool } from "pg"

export const migrationsFolder = fileURLToPath(new URL("../../drizzle", import.meta.url))

/** Any constant: the session lock every tongbu runner takes to migrate, so that runners starting at once queue up. */
const migrationLock = 0x746f6e67

/**
 * Applies the migrations not applied yet. Several runners may start at once against one database: each waits for the
 * session lock, and the ones after the first find nothing left to apply.
 */
export const applyMigrations = async (pool: Pool): Promise<void> => {
  const client = await pool.connect()
  try {
    await client.query("select pg_advisory_lock($1)", [migrationLock])
    try {
      await migrate(drizzle({ client }), { migrationsFolder })
    } finally {
      await client.query("select pg_advisory_unlock($1)", [migrationLock])
    }
  } finally {
    client.release()
  }
}
