import { join } from "node:path"
import { SqliteStore } from "@tongbu/store-sqlite"
import { killTest } from "./killSuite.js"

killTest("SQLite store", async (dir) => ({
  state: "  database: state.db",
  layer: SqliteStore.layer({ filename: join(dir, "state.db") })
}))
