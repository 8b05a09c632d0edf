// Packs the bundled runner into apps/runner/dist/tongbu-<version>.tgz, installable with
// `npm install ./tongbu-<version>.tgz` where there is no registry and no compiler: better-sqlite3 travels inside
// (npm's bundleDependencies) with the binary compiled here, so the tarball fits this platform and Node ABI only.
import { execFileSync } from "node:child_process"
import { copyFileSync, cpSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { bundle, distDir } from "./build.mjs"

const runnerDir = dirname(distDir)
const { version } = JSON.parse(readFileSync(join(runnerDir, "package.json"), "utf8"))
const major = Number(process.versions.node.split(".")[0])
// a bundle of its own, so that packing leaves dist/tongbu.mjs alone for whoever runs it meanwhile
const stage = await bundle(join(distDir, "package"))

const packageDir = (name, from) =>
  realpathSync(dirname(createRequire(join(from, "package.json")).resolve(`${name}/package.json`)))
const sqliteDir = packageDir("better-sqlite3", runnerDir)
const sqlite = JSON.parse(readFileSync(join(sqliteDir, "package.json"), "utf8"))
const bindingsDir = packageDir("bindings", sqliteDir)
const fileUriDir = packageDir("file-uri-to-path", bindingsDir)

// What runs: its JavaScript and the compiled binary. Its install script (download a prebuilt binary, else compile)
// and prebuild-install, which only that script uses, stay behind: the binary is already here.
const modules = join(stage, "node_modules")
const sqliteCopy = join(modules, "better-sqlite3")
cpSync(join(sqliteDir, "lib"), join(sqliteCopy, "lib"), { recursive: true })
mkdirSync(join(sqliteCopy, "build/Release"), { recursive: true })
copyFileSync(
  join(sqliteDir, "build/Release/better_sqlite3.node"),
  join(sqliteCopy, "build/Release/better_sqlite3.node")
)
copyFileSync(join(sqliteDir, "LICENSE"), join(sqliteCopy, "LICENSE"))
const { scripts: _scripts, devDependencies: _dev, files: _files, ...runtime } = sqlite
writeFileSync(
  join(sqliteCopy, "package.json"),
  `${JSON.stringify({ ...runtime, dependencies: { bindings: sqlite.dependencies.bindings } }, null, 2)}\n`
)
cpSync(bindingsDir, join(modules, "bindings"), { recursive: true })
cpSync(fileUriDir, join(modules, "file-uri-to-path"), { recursive: true })

const manifest = {
  name: "tongbu",
  version,
  description: "Two-way sync of the WeChat hub and the Zhibang ERP (bundled runner)",
  type: "module",
  bin: { tongbu: "tongbu.mjs" },
  files: ["tongbu.mjs", "mock-erp.mjs", "migrations"],
  // the binary loads only into Node releases of the ABI it was compiled for: the major version packed with
  engines: { node: `>=${major === 20 ? "20.19" : major} <${major + 1}` },
  os: [process.platform],
  cpu: [process.arch],
  dependencies: { "better-sqlite3": sqlite.version },
  bundleDependencies: ["better-sqlite3"]
}
writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)

const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", distDir], { cwd: stage })
  .toString()
  .trim()
rmSync(stage, { recursive: true, force: true })
console.log(join(distDir, tarball))
