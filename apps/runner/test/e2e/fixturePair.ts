// The fixture pair of test/fixtures/memory-pair as a team ships a pair module: one ESM file for Node 20 that the
// bundled or packed runner imports at run time. The pair never opens a SQLite file (the runner's store does, with the
// runner's own better-sqlite3), so the native module it would drag in through @tongbu/core is stubbed.
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { build } from "esbuild"

const fixtures = resolve(import.meta.dirname, "../fixtures")

export const buildFixturePair = async (outFile: string, entry = "memory-pair/pair.ts") => {
  mkdirSync(dirname(outFile), { recursive: true })
  const stub = join(dirname(outFile), "no-sqlite.cjs")
  writeFileSync(stub, 'module.exports = function Database() { throw new Error("this module opens no SQLite file") }\n')
  await build({
    entryPoints: [join(fixtures, entry)],
    outfile: outFile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    alias: { "better-sqlite3": stub },
    banner: {
      js: 'import { createRequire as __pairRequire } from "node:module";const require = __pairRequire(import.meta.url);'
    },
    logLevel: "warning"
  })
  return outFile
}
