import { fork } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import { type Row, scenarioFlag } from "./plannerScenario.js"

/**
 * Planning time and peak memory for N linked pairs with 1% changed (half on each side; the hub-side half changes the
 * mobile, unique on the ERP side, so the uniqueness index is built), in an incremental run (only changed records read)
 * and a full one (every record read). The baseline is a plain pass building id → record and id → link Maps over the
 * same data. The scenarios run as one bundled JavaScript file, as the runner does: through tsx, its loader alone
 * would add ~110 MB to every RSS figure.
 */

/** The scenarios bundled with the planner (no loader), to run each from. */
const bundled = async (dir: string): Promise<string> => {
  const outfile = join(dir, "planner.mjs")
  await build({
    entryPoints: [fileURLToPath(new URL("./plannerScenario.ts", import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    logLevel: "warning"
  })
  return outfile
}

const inChild = (bundle: string, pairs: number, full: boolean): Promise<Row> =>
  new Promise((resolve, reject) => {
    const child = fork(bundle, [scenarioFlag, String(pairs), full ? "full" : "incremental"], {
      execArgv: ["--expose-gc"]
    })
    child.once("message", (row) => resolve(row as Row))
    child.once("error", reject)
    child.once("exit", (code) =>
      code === 0 ? undefined : reject(new Error(`planner scenario ${pairs} exited with ${code}`))
    )
  })

export async function benchPlanner(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "tongbu-bench-planner-"))
  const rows: Array<Row> = []
  try {
    const bundle = await bundled(dir)
    for (const full of [false, true])
      for (const pairs of [10_000, 100_000]) rows.push(await inChild(bundle, pairs, full))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(
    "Planner: N linked pairs, 1% changed; each scenario in its own process (target: 100k pairs < 300 ms, < 300 MB RSS)"
  )
  console.table(
    rows.map((row) => ({
      pairs: row.pairs,
      run: row.full ? "full (all read)" : "incremental (1% read)",
      "plan ms (median)": Number(row.planMs.toFixed(1)),
      "Map pass ms": Number(row.mapPassMs.toFixed(1)),
      "× Map pass": Number((row.planMs / row.mapPassMs).toFixed(1)),
      operations: row.operations,
      unchanged: row.unchanged,
      "input heap MB": row.inputMb,
      "plan heap MB": row.planMb,
      "RSS at start MB": row.startRssMb,
      "peak RSS MB": row.peakRssMb
    }))
  )
}
