import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { generateHubFile } from "@tongbu/adapter-wechat-hub"
import { serve } from "@tongbu/mock-erp"
import { ConfigProvider, Console, Data, Effect, Option } from "effect"
import { tmpdir } from "node:os"
import * as Config from "../Config.js"
import * as Environment from "../Environment.js"
import { guard, logging, output } from "../Handler.js"
import * as Progress from "../Progress.js"
import { runJson, summary } from "../Report.js"
import { runOnce } from "./Sync.js"

class DemoError extends Data.TaggedError("DemoError")<{ readonly message: string }> {}

const options = {
  json: Options.boolean("json").pipe(Options.withDescription("print one JSON object (both runs' reports) instead of text")),
  dir: Options.directory("dir").pipe(
    Options.withDescription("where to leave the demo's files (default: a new directory under the system's temp directory)"),
    Options.optional
  ),
  customers: Options.integer("customers").pipe(Options.withDescription("hub customers to generate"), Options.withDefault(200)),
  erpCustomers: Options.integer("erp-customers").pipe(
    Options.withDescription("customers the mock ERP starts with (entered by hand, as far as the sync knows)"),
    Options.withDefault(40)
  ),
  seed: Options.integer("seed").pipe(Options.withDescription("seed of the generated data"), Options.withDefault(7))
}

/** The demo's configuration: the mock's account, salespeople to assign to, no rate limit worth the name. */
const demoConfig = (url: string) => `# Written by \`tongbu demo\`: the same runner, pointed at the demo's mock ERP and hub file.
erp:
  url: ${url}
  user: admin
  passwordFile: erp-password
  concurrency: 5
  requestsPerSecond: 500
hub:
  database: hub.db
state:
  database: state.db
mapping:
  assignment:
    top: { minScore: 80, salespeople: ["61", "62"] }
    general: { minScore: 60, salespeople: ["63", "64"] }
`

const realErpHint = (dir: string) =>
  [
    `The demo's files are in ${dir}:`,
    "  hub.db        the generated hub (the hub's own SQLite schema; open it with any SQLite browser)",
    "  erp.db        the mock ERP's data (it stopped with the demo)",
    "  state.db      the sync's own store: links, baselines, outbox, run history",
    "  tongbu.yaml   the configuration the demo used",
    "",
    "To point the same runner at your real ERP and hub:",
    "  pnpm tongbu init                              # writes a commented tongbu.yaml",
    "  export TONGBU_ERP_URL=http://your-erp:46088 TONGBU_ERP_USER=api-sync TONGBU_ERP_PASSWORD=…",
    "  export TONGBU_HUB_DB=/path/to/hub/data/data.db",
    "  pnpm tongbu sync --dry-run                    # shows what a real run would do, writes nothing"
  ].join("\n")

/**
 * `tongbu demo`: with no configuration at all, a generated hub file and a mock ERP with seeded customers; a full
 * bidirectional sync, its report, then a second run that finds nothing to do.
 */
export const demo = Command.make("demo", options, (o) =>
  guard(
    o,
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const dir = yield* Option.match(o.dir, {
        onNone: () => fs.makeTempDirectory({ directory: tmpdir(), prefix: "tongbu-demo-" }),
        onSome: (d) => Effect.as(fs.makeDirectory(d, { recursive: true }), path.resolve(d))
      })
      const say = (text: string) => (o.json ? Effect.void : Console.log(text))
      yield* say(`Generating ${o.customers} hub customers and an ERP with ${o.erpCustomers} customers in ${dir} …`)
      yield* generateHubFile(path.join(dir, "hub.db"), { customers: o.customers, seed: o.seed, overwrite: true })
      for (const file of ["erp.db", "state.db", "state.db-wal", "state.db-shm"]) yield* fs.remove(path.join(dir, file), { force: true })
      const erp = yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: () => serve({ port: 0, seed: { customers: o.erpCustomers, seed: o.seed }, store: { sqlitePath: path.join(dir, "erp.db") } }),
          catch: (error) => new DemoError({ message: `cannot start the mock ERP: ${error instanceof Error ? error.message : String(error)}` })
        }),
        (served) => Effect.promise(served.close)
      )
      yield* fs.writeFileString(path.join(dir, "erp-password"), "admin123\n")
      yield* fs.writeFileString(path.join(dir, "tongbu.yaml"), demoConfig(erp.url))
      // The demo never reads the caller's TONGBU_* variables: it must not reach a real ERP by accident.
      const settings = yield* Config.load(Option.some(path.join(dir, "tongbu.yaml"))).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
      )
      yield* say(`Mock ERP listening on ${erp.url}\n`)
      const progress = o.json ? Progress.silent : yield* Progress.make({ isTTY: process.stderr.isTTY === true, write: (t) => process.stderr.write(t) })
      const run = (full: boolean) => runOnce(settings, { direction: "both", dryRun: false, full }, progress)
      const [first, second] = yield* Effect.all([run(true), run(false)]).pipe(
        Effect.provide(Environment.sync(settings)),
        Effect.provide(logging(settings))
      )
      const followUps = erp.mock.control.followUps()
      const assignments = erp.mock.control.assignments()
      yield* output(
        o,
        () => ({ dir, erpUrl: erp.url, first: runJson(first), second: runJson(second), erp: { followUps: followUps.length, assignments: assignments.length } }),
        () =>
          [
            "── First run: a full bidirectional sync ──",
            summary(first),
            "",
            `In the ERP now: ${erp.mock.control.customers().length} customers, ${assignments.length} assignments to salespeople or the pool, ${followUps.length} follow-up records (洽谈进展).`,
            ...(followUps[0] === undefined ? [] : [`  e.g. follow-up on customer ${followUps[0].ord}: ${followUps[0].text}`]),
            "",
            "── Second run: nothing changed on either side ──",
            summary(second),
            "",
            realErpHint(dir)
          ].join("\n")
      )
    }).pipe(Effect.scoped)
  )
).pipe(Command.withDescription("Try tongbu with no configuration: a generated hub, a mock ERP, a full sync, then a second run that changes nothing"))
