import { FileSystem, Path } from "@effect/platform"
import { StoreError } from "@tongbu/core"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect, Layer } from "effect"
import type { RunnerSettings as Settings } from "./Config.js"

/** The state store the settings name, its directory created first (`.tongbu/` on a first run). */
export const store = (settings: Settings) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      yield* fs
        .makeDirectory(path.dirname(settings.state.database), { recursive: true })
        .pipe(
          Effect.mapError(
            (error) =>
              new StoreError({ message: `cannot create the directory of ${settings.state.database}: ${error.message}` })
          )
        )
      return SqliteStore.layer({ filename: settings.state.database })
    })
  )
