import { FileSystem, Path } from "@effect/platform"
import { StoreError } from "@tongbu/core"
import { PostgresStore } from "@tongbu/store-postgres"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect, Layer, Option } from "effect"
import type { RunnerSettings as Settings } from "./Config.js"
import * as State from "./State.js"
import { StateDatabases } from "./StateDatabases.js"

/**
 * The state store the settings name: a SQLite file, its directory created first (`.tongbu/` on a first run), or the
 * pair's store in a PostgreSQL database, whose pool the pairs of the process share through `StateDatabases` when it
 * is provided (a command about one pair opens its own otherwise).
 */
export const store = (settings: Settings) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const state = settings.state.store
      if (state._tag === "Postgres") {
        const config = State.databaseOf(state)
        const databases = yield* Effect.serviceOption(StateDatabases)
        return Option.match(databases, {
          onNone: () => PostgresStore.layer({ ...config, pair: settings.id }),
          onSome: (registry) =>
            Layer.unwrapEffect(Effect.map(registry.get(config), (db) => PostgresStore.layerOn(db, settings.id)))
        })
      }
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      yield* fs
        .makeDirectory(path.dirname(state.database), { recursive: true })
        .pipe(
          Effect.mapError(
            (error) => new StoreError({ message: `cannot create the directory of ${state.database}: ${error.message}` })
          )
        )
      return SqliteStore.layer({ filename: state.database })
    })
  )
