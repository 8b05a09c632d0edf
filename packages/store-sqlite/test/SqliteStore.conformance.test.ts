import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { storeConformance } from "@tongbu/core/testing"
import { Effect } from "effect"
import * as SqliteStore from "../src/SqliteStore.js"

// A file, not ":memory:": the lease and fencing checks open two instances over one database.
const database = Effect.map(
  Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), "tongbu-store-"))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  ),
  (dir) => ({ open: SqliteStore.make({ filename: join(dir, "state.db") }) })
)

storeConformance("SqliteStore", database, {
  runs: Number(process.env.TONGBU_PROP_RUNS ?? 30),
  ...(process.env.TONGBU_PROP_SEED === undefined ? {} : { seed: Number(process.env.TONGBU_PROP_SEED) })
})
