import { existsSync } from "node:fs"
import { join } from "node:path"
import { SqliteStore } from "@tongbu/store-sqlite"
import { chaosTest } from "./chaosSuite.js"

chaosTest("SQLite stores (a file per pair)", async () => ({
  state: () => "",
  env: {},
  layer: (dir, id) => {
    const file = join(dir, ".tongbu", `${id}.sqlite`)
    // the daemons create the stores; the test only reads them
    return existsSync(file) ? SqliteStore.layer({ filename: file }) : undefined
  }
}))
