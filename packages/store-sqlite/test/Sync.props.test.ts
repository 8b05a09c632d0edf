import { syncProperties } from "@tongbu/core/testing"
import { SqliteStore } from "../src/index.js"

// The core's sync properties over this store. A failing case prints its seed and path; TONGBU_PROP_SEED and
// TONGBU_PROP_PATH replay it, TONGBU_PROP_RUNS soaks.
syncProperties("SqliteStore", SqliteStore.make({ filename: ":memory:" }), {
  numRuns: Number(process.env.TONGBU_PROP_RUNS ?? 15),
  seed: Number(process.env.TONGBU_PROP_SEED ?? 101),
  ...(process.env.TONGBU_PROP_PATH === undefined ? {} : { path: process.env.TONGBU_PROP_PATH })
})
