import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { SyncStoreService } from "@tongbu/core"
import { LinkState, RecordId } from "@tongbu/core"
import { SqliteStore } from "@tongbu/store-sqlite"
import { Effect, Stream } from "effect"
import * as PostgresStore from "../src/PostgresStore.js"
import * as TestServer from "../src/testing.js"

// `tongbu state migrate` of a large store: a SQLite store of N links (100k by default) exported and imported into a
// pair in PostgreSQL, against the baseline of reading the same links at once (`store.links`), both in this run. The
// copy's memory is the heap it holds above where it started: it must stay flat in N, where
// reading everything at once grows with it (measured after a collection at each chunk: run with --expose-gc).

const linkCount = Number(process.env.TONGBU_BENCH_LINKS ?? 100_000)

const links = (count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      new LinkState({
        leftId: RecordId.make(`${i}`),
        rightId: RecordId.make(`${900_000 + i}`),
        left: {
          name: `客户 ${i}`,
          mobile: `138${String(i).padStart(8, "0")}`,
          address: "重庆市渝中区解放碑步行街 88 号"
        },
        right: {
          name: `客户 ${i}`,
          mobile: `138${String(i).padStart(8, "0")}`,
          address: "重庆市渝中区解放碑步行街 88 号"
        },
        leftVersion: `v${i}`
      })
  )

const gc = () => (globalThis as { gc?: () => void }).gc?.()

/** The heap in use once what is no longer reachable is collected: what a task holds, not what it threw away. */
const retained = () => {
  gc()
  return process.memoryUsage().heapUsed
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1)

const timed = async <A>(task: () => Promise<A>) => {
  const start = process.hrtime.bigint()
  const value = await task()
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 }
}

export const benchCopy = async (): Promise<void> => {
  if ((globalThis as { gc?: unknown }).gc === undefined)
    console.log("(memory figures need NODE_OPTIONS=--expose-gc: without it they count uncollected garbage)")
  const server = await TestServer.start()
  const dir = mkdtempSync(join(tmpdir(), "tongbu-bench-copy-"))
  try {
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const source: SyncStoreService = yield* SqliteStore.make({ filename: join(dir, "state.db") })
          const all = links(linkCount)
          for (let i = 0; i < all.length; i += 5_000) yield* source.saveLinks(all.slice(i, i + 5_000))
          all.length = 0
          const target = yield* PostgresStore.make({ url: server.database, password: server.password, pair: "bench" })
          // The baseline holds every link at once; the copy holds a chunk at a time: its heap is measured at each
          // chunk, what it holds then being all it holds.
          let base = retained()
          const baseline = yield* Effect.promise(() =>
            timed(() => Effect.runPromise(Effect.map(source.links, (found) => ({ found, held: retained() - base }))))
          )
          const baselineHeld = baseline.value.held
          base = retained()
          let copyHeld = 0
          const measuredExport = source.exportState.pipe(
            Stream.tap(() =>
              Effect.sync(() => {
                copyHeld = Math.max(copyHeld, retained() - base)
              })
            )
          )
          const copy = yield* Effect.promise(() => timed(() => Effect.runPromise(target.importState(measuredExport))))
          if (copy.value.links !== linkCount) throw new Error(`copied ${copy.value.links} links of ${linkCount}`)
          console.log(`\nstate migrate of ${linkCount} links, SQLite → PostgreSQL (${server.kind})\n`)
          console.table({
            "read all links at once (baseline)": {
              seconds: baseline.seconds.toFixed(2),
              "heap held MB": mb(baselineHeld)
            },
            "export → import, in chunks": {
              seconds: copy.seconds.toFixed(2),
              "heap held MB": mb(copyHeld),
              "links/s": Math.round(linkCount / copy.seconds)
            }
          })
          console.log(
            `heap the copy holds / heap all links at once hold: ${(copyHeld / baselineHeld).toFixed(3)} (chunks of 1000 rows)`
          )
        })
      )
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
    await server.stop()
  }
}
