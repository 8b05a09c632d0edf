import { createHash } from "node:crypto"
import { tmpdir } from "node:os"
import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { generateHubFile, openHubDatabase } from "@tongbu/adapter-wechat-hub"
import { serveMockErp } from "@tongbu/mock-erp"
import type { RunnerKit } from "@tongbu/pair"
import { ConfigError } from "@tongbu/pair"
import { Console, Data, Effect, Option } from "effect"
import * as Yaml from "yaml"
import type { Settings } from "./Settings.js"

/** Each hub customer row's content, to show that a run wrote none. */
const hubDigests = (file: string) =>
  Effect.scoped(
    Effect.map(openHubDatabase({ path: file, busyTimeoutMs: 5000 }), (db) => {
      const rows = db.prepare("SELECT * FROM customers_unified").all() as Array<Record<string, unknown>>
      return new Map(rows.map((row) => [String(row.id), createHash("sha1").update(JSON.stringify(row)).digest("hex")]))
    })
  )

class DemoError extends Data.TaggedError("DemoError")<{ readonly message: string }> {}

const optionsOf = (common: RunnerKit<Settings>["common"]) => ({
  lang: common.lang,
  json: Options.boolean("json").pipe(
    Options.withDescription("print one JSON object (the three runs' reports) instead of text")
  ),
  config: Options.file("config").pipe(
    Options.withDescription(
      "try your own policies, mapping and limits: the demo uses this configuration with its erp, hub and state pointed at the demo's (default: the defaults)"
    ),
    Options.optional
  ),
  dir: Options.directory("dir").pipe(
    Options.withDescription(
      "where to leave the demo's files (default: a new directory under the system's temp directory)"
    ),
    Options.optional
  ),
  customers: Options.integer("customers").pipe(
    Options.withDescription("hub customers to generate"),
    Options.withDefault(200)
  ),
  erpCustomers: Options.integer("erp-customers").pipe(
    Options.withDescription("customers the mock ERP starts with (entered by hand, as far as the sync knows)"),
    Options.withDefault(40)
  ),
  seed: Options.integer("seed").pipe(Options.withDescription("seed of the generated data"), Options.withDefault(7))
})

/** The demo's configuration: the mock's account, salespeople to assign to, no rate limit worth the name. */
const demoConfig = `# Written by \`tongbu demo\`: the same runner, pointed at the demo's mock ERP and hub file.
erp:
  concurrency: 5
  requestsPerSecond: 500
mapping:
  assignment:
    top: { minScore: 80, salespeople: ["61", "62"] }
    general: { minScore: 60, salespeople: ["63", "64"] }
`

/** `base` (the demo's own, or the user's --config text) with its erp, hub and state keys pointed at the demo's. */
const pointedAtDemo = (base: string, url: string): string => {
  const document = Yaml.parseDocument(base)
  document.setIn(["erp", "url"], url)
  document.setIn(["erp", "user"], "admin")
  document.setIn(["erp", "passwordFile"], "erp-password")
  document.setIn(["hub", "database"], "hub.db")
  document.setIn(["state", "database"], "state.db")
  // the demo's store is its own file, never the PostgreSQL database a user's configuration names
  document.deleteIn(["state", "url"])
  document.deleteIn(["state", "passwordFile"])
  return String(document)
}

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
 * bidirectional sync with its follow-ups, its report, then two runs that find nothing to do.
 */
export const demo = <T extends Settings>(kit: RunnerKit<T>) =>
  Command.make("demo", optionsOf(kit.common), (o) =>
    kit.guard(
      o,
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        const path = yield* Path.Path
        const lang = yield* kit.lang(o.lang)
        // the user's configuration is checked first, so its mistakes are reported against their file
        const base = yield* Option.match(o.config, {
          onNone: () => Effect.succeed(demoConfig),
          onSome: (file) =>
            fs.readFileString(file).pipe(
              Effect.mapError(() => new ConfigError({ message: `cannot read the configuration file ${file}` })),
              Effect.tap((text) => kit.parse(text, file))
            )
        })
        const dir = yield* Option.match(o.dir, {
          onNone: () => fs.makeTempDirectory({ directory: tmpdir(), prefix: "tongbu-demo-" }),
          onSome: (d) => Effect.as(fs.makeDirectory(d, { recursive: true }), path.resolve(d))
        })
        const say = (text: string) => (o.json ? Effect.void : Console.log(text))
        yield* say(`Generating ${o.customers} hub customers and an ERP with ${o.erpCustomers} customers in ${dir} …`)
        for (const file of ["erp.db", "state.db", "state.db-wal", "state.db-shm"])
          yield* fs.remove(path.join(dir, file), { force: true })
        const erp = yield* Effect.acquireRelease(
          Effect.tryPromise({
            try: () =>
              serveMockErp({
                port: 0,
                seed: { customers: o.erpCustomers, seed: o.seed },
                store: { sqlitePath: path.join(dir, "erp.db") }
              }),
            catch: (error) =>
              new DemoError({
                message: `cannot start the mock ERP: ${error instanceof Error ? error.message : String(error)}`
              })
          }),
          (served) => Effect.promise(served.close)
        )
        // the hub's linked rows name ERP customers the mock was seeded with, as the hub's own sync would have left them
        const hub = yield* generateHubFile(path.join(dir, "hub.db"), {
          customers: o.customers,
          seed: o.seed,
          overwrite: true,
          erpCustomers: erp.mock.control.customers().map((c) => ({
            ord: c.ord,
            intsort: c.intsort,
            name: c.fields.name ?? "",
            khid: c.fields.khid || null,
            mobile: c.fields.mobile || null
          }))
        })
        const claimed = hub.customers.filter((c) => c.erpCustomerId !== undefined)
        yield* fs.writeFileString(path.join(dir, "erp-password"), "admin123\n")
        yield* fs.writeFileString(path.join(dir, "tongbu.yaml"), pointedAtDemo(base, erp.url))
        // The demo never reads the caller's TONGBU_* variables: it must not reach a real ERP by accident.
        const settings = yield* kit.load(path.join(dir, "tongbu.yaml"), { environment: false })
        yield* say(`Mock ERP listening on ${erp.url}\n`)
        const run = (full: boolean) =>
          kit.runOnce(settings, { direction: "both", dryRun: false, full }, { quiet: o.json })
        const control = erp.mock.control
        const erpWrites = (kind?: string) =>
          control.writeLog().filter((w) => w.endpoint !== "ui" && (kind === undefined || w.kind === kind)).length
        const hubRows = hubDigests(path.join(dir, "hub.db"))
        // What a run wrote: ERP write calls counted at the mock, hub rows whose content changed.
        const measured = <A, E, R>(once: Effect.Effect<A, E, R>) =>
          Effect.gen(function* () {
            const before = yield* hubRows
            const writesBefore = erpWrites()
            const report = yield* once
            const after = yield* hubRows
            const written = {
              erpWrites: erpWrites() - writesBefore,
              hubRowsWritten: [...after].filter(([id, digest]) => before.get(id) !== digest).length
            }
            return [report, written] as const
          })
        // The first run writes the follow-ups of the customers it creates; the two after it find nothing to do.
        const [first, [second, secondRun], [third, thirdRun]] = yield* Effect.all([
          run(true),
          measured(run(false)),
          measured(run(false))
        ]).pipe(kit.withSides(settings, lang))
        const erpState = {
          customers: control.customers().length,
          assignments: erpWrites("assign"),
          followUps: erpWrites("followUp")
        }
        const example = control.followUps().at(-1)
        const claimedIds = new Set(claimed.map((c) => String(c.id)))
        const hubLinks = {
          claimed: claimed.length,
          adopted: first.items.filter((i) => i.operation === "link" && i.outcome === "linked" && claimedIds.has(i.id))
            .length,
          missing: first.items.filter(
            (i) => claimedIds.has(i.id) && i.reasons.some((r) => r.rule === "claimedLinkMissing")
          ).length
        }
        yield* kit.output(
          o,
          () => ({
            dir,
            erpUrl: erp.url,
            first: kit.runJson(first),
            second: kit.runJson(second),
            third: kit.runJson(third),
            erp: erpState,
            hubLinks,
            secondRun,
            thirdRun
          }),
          () =>
            [
              "── The full bidirectional sync, with the follow-ups of the customers it creates ──",
              kit.summary(first, lang),
              "",
              `The sync wrote into the ERP: ${erpState.customers} customers in all now, ${erpState.assignments} assignments to salespeople or the pool, ${erpState.followUps} follow-up records (洽谈进展).`,
              ...(example === undefined ? [] : [`  e.g. follow-up on ERP customer ${example.ord}: ${example.text}`]),
              `The hub had linked ${hubLinks.claimed} of its rows to ERP customers itself (erp_customer_id): ${hubLinks.adopted} adopted as links, ${hubLinks.missing} naming an ERP customer that does not exist (reported, never replaced).`,
              "",
              "── Another run: nothing changed on either side ──",
              kit.summary(second, lang),
              `Written by this run: ${secondRun.erpWrites} ERP writes, ${secondRun.hubRowsWritten} hub rows.`,
              "",
              "── And one more ──",
              kit.summary(third, lang),
              `Written by this run: ${thirdRun.erpWrites} ERP writes, ${thirdRun.hubRowsWritten} hub rows.`,
              "",
              realErpHint(dir)
            ].join("\n")
        )
      }).pipe(Effect.scoped)
    )
  ).pipe(
    Command.withDescription(
      "Try tongbu with no configuration: a generated hub, a mock ERP, a full sync with its follow-ups, then two runs that change nothing"
    )
  )
