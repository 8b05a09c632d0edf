// Bundles the `tongbu` command and the mock ERP's own CLI into apps/runner/dist, each one ESM file for Node 20 with
// better-sqlite3 left outside (a native module; pg's optional pg-native too), and copies the drizzle migrations both read at run time beside them.
// `node scripts/build.mjs --if-stale` builds only when a bundle is missing or older than a source it is made of.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"

const runnerDir = fileURLToPath(new URL("..", import.meta.url))
const repoDir = join(runnerDir, "../..")
const distDir = join(runnerDir, "dist")

const entries = {
  tongbu: join(runnerDir, "src/bin.ts"),
  "mock-erp": join(repoDir, "packages/mock-erp/src/bin.ts")
}

// From the sources each store finds its migrations relative to its own file; in the bundle that file is the bundle,
// so the two relative paths are pointed at the copies made below. A source that no longer has the path fails the build.
const migrations = [
  {
    file: "packages/store-sqlite/src/SqliteStore.ts",
    from: '"../drizzle"',
    dir: "packages/store-sqlite/drizzle",
    to: "store-sqlite"
  },
  {
    file: "packages/store-postgres/src/internal/migrate.ts",
    from: '"../../drizzle"',
    dir: "packages/store-postgres/drizzle",
    to: "store-postgres"
  },
  {
    file: "packages/mock-erp/src/internal/sqliteStore.ts",
    from: '"../../drizzle"',
    dir: "packages/mock-erp/drizzle",
    to: "mock-erp"
  }
]

const migrationsPlugin = {
  name: "migrations-beside-the-bundle",
  setup(b) {
    for (const m of migrations) {
      const path = join(repoDir, m.file)
      b.onLoad({ filter: new RegExp(`${m.file.replaceAll("/", "[\\\\/]").replaceAll(".", "\\.")}$`) }, () => {
        const source = readFileSync(path, "utf8")
        if (!source.includes(m.from)) throw new Error(`${m.file} no longer names its migrations as ${m.from}`)
        return { contents: source.replace(m.from, `"./migrations/${m.to}"`), loader: "ts" }
      })
    }
  }
}

const sourceDirs = ["apps/runner/src", "packages", "pnpm-lock.yaml"].map((p) => join(repoDir, p))

const newestSource = (path) => {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path)
    .filter((name) => name !== "node_modules" && name !== "test" && name !== "dist")
    .reduce((newest, name) => Math.max(newest, newestSource(join(path, name))), 0)
}

const isStale = () => {
  const bundles = Object.keys(entries).map((name) => join(distDir, `${name}.mjs`))
  if (!bundles.every(existsSync)) return true
  const built = Math.min(...bundles.map((b) => statSync(b).mtimeMs))
  return sourceDirs.some((dir) => newestSource(dir) > built)
}

/** Bundles into `outDir` (emptied first): the two bundles and the migrations beside them. */
export { distDir }

export const bundle = async (outDir = distDir) => {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  await build({
    entryPoints: entries,
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    // pg's optional native binding, which tongbu does not use (pg falls back to JavaScript without it)
    external: ["better-sqlite3", "pg-native"],
    // dependencies written as CommonJS call require() for Node's own modules, which ESM has not got
    banner: {
      js: 'import { createRequire as __tongbuRequire } from "node:module";const require = __tongbuRequire(import.meta.url);'
    },
    plugins: [migrationsPlugin],
    legalComments: "none",
    logLevel: "warning"
  })
  for (const m of migrations) cpSync(join(repoDir, m.dir), join(outDir, "migrations", m.to), { recursive: true })
  return outDir
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--if-stale") && !isStale()) process.exit(0)
  const started = performance.now()
  await bundle()
  const ms = Math.round(performance.now() - started)
  console.error(`Built ${relative(process.cwd(), distDir) || "."} (tongbu.mjs, mock-erp.mjs) in ${ms} ms`)
}
