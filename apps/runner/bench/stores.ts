import * as TestServer from "@tongbu/store-postgres/testing"
import { Redacted } from "effect"
import { variablePrefix } from "../src/Pairs.js"

/** A state store the benches run the daemon over: how a pair's entry names it. */
export interface BenchStore {
  readonly name: string
  readonly open: (ids: ReadonlyArray<string>) => Promise<OpenStore>
}

export interface OpenStore {
  /** Keys of an entry's `state:` mapping before `leaseSeconds`, each followed by ", " (empty for the default file). */
  readonly state: (id: string) => string
  readonly env: Record<string, string>
  readonly close: () => Promise<void>
}

const sqlite: BenchStore = {
  name: "SQLite",
  open: async () => ({
    state: () => "",
    env: {},
    close: async () => {}
  })
}

/** One database for every pair, on a server of its own with fsync on (as deployed), started for the scenario. */
const postgres: BenchStore = {
  name: "PostgreSQL",
  open: async (ids) => {
    const server = await TestServer.start({ durable: true })
    const password = Redacted.value(server.password)
    return {
      state: () => `url: "${server.database}", `,
      env: Object.fromEntries(ids.map((id) => [`${variablePrefix(id)}STATE_PASSWORD`, password])),
      close: server.stop
    }
  }
}

export const stores: ReadonlyArray<BenchStore> = [sqlite, postgres]
