import { existsSync } from "node:fs"
import { join } from "node:path"
import type { SyncStore } from "@tongbu/core"
import { SqliteStore } from "@tongbu/store-sqlite"
import type { Layer } from "effect"

/** A state store the benches run the daemon over: how a pair's entry names it, and how the bench reads it. */
export interface BenchStore {
  readonly name: string
  readonly open: (ids: ReadonlyArray<string>) => Promise<OpenStore>
}

export interface OpenStore {
  /** Keys of an entry's `state:` mapping before `leaseSeconds`, each followed by ", " (empty for the default file). */
  readonly state: (id: string) => string
  readonly env: Record<string, string>
  /** Pair `id`'s store, once a daemon has created it. */
  readonly layer: (dir: string, id: string) => Layer.Layer<SyncStore, unknown> | undefined
  readonly close: () => Promise<void>
}

const sqlite: BenchStore = {
  name: "SQLite",
  open: async () => ({
    state: () => "",
    env: {},
    layer: (dir, id) => {
      const file = join(dir, ".tongbu", `${id}.sqlite`)
      return existsSync(file) ? SqliteStore.layer({ filename: file }) : undefined
    },
    close: async () => {}
  })
}

export const stores: ReadonlyArray<BenchStore> = [sqlite]
