#!/usr/bin/env -S node --import tsx
import { readFileSync } from "node:fs"
import { resolve } from "node:path"
import { parseArgs } from "node:util"
import { faultProfiles, isFaultProfileName } from "./FaultProfile.js"
import { defaultAccount } from "./MockErp.js"
import { parseProfile, profileOptions } from "./Profile.js"
import { serveMockErp } from "./Serve.js"

const usage = `Usage: mock-erp [options]
  --port <n>        port to listen on (default 46088; 0 = any free port)
  --host <addr>     address to bind (default 127.0.0.1)
  --seed <n>        start with n generated customers (default 0)
  --rng-seed <n>    seed of the data generator and of the fault draws (default 1)
  --faults <name>   fault profile: ${Object.keys(faultProfiles).join(", ")} (default none)
  --db <file>       keep the data in this SQLite file (default: in memory)
  --user <name>     the ERP account (default admin)
  --password <pw>   its password (default admin123)
  --control         serve the test-only control API under /__mock
  --no-contact-list answer the contact list (person/list.asp) with 未知页面, as an installation without it
  --contact-columns <a,b,...>  the contact list's columns, in order (default the live ones)
  --profile <file>  serve the shapes of a profile recorded by \`tongbu check --record\` (the options above win)
  --help`

// typed so that a call narrows like a throw
const fail: (message: string) => never = (message) => {
  console.error(`${message}\n\n${usage}`)
  process.exit(2)
}

const integer = (name: string, text: string | undefined, fallback: number): number => {
  if (text === undefined) return fallback
  const value = Number(text)
  return Number.isInteger(value) && value >= 0 ? value : fail(`--${name} must be a non-negative integer`)
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        "rng-seed": { type: "string" },
        faults: { type: "string" },
        db: { type: "string" },
        user: { type: "string" },
        password: { type: "string" },
        control: { type: "boolean" },
        "no-contact-list": { type: "boolean" },
        "contact-columns": { type: "string" },
        profile: { type: "string" },
        help: { type: "boolean" }
      }
    })
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error))
  }
})()

if (values.help) {
  console.log(usage)
  process.exit(0)
}
const faults = values.faults ?? "none"
if (!isFaultProfileName(faults)) fail(`unknown fault profile: ${faults}`)
const rngSeed = integer("rng-seed", values["rng-seed"], 1)
const user = values.user ?? defaultAccount.user
const password = values.password ?? defaultAccount.password

// `pnpm mock-erp` runs in the package's folder: a relative --db path means the folder it was typed in
const dbPath = values.db && resolve(process.env.INIT_CWD ?? process.cwd(), values.db)

const profilePath = values.profile && resolve(process.env.INIT_CWD ?? process.cwd(), values.profile)
const profile = (() => {
  if (!profilePath) return {}
  let text: string
  try {
    text = readFileSync(profilePath, "utf8")
  } catch (error) {
    return fail(`cannot read the profile ${profilePath}: ${error instanceof Error ? error.message : String(error)}`)
  }
  const parsed = parseProfile(profilePath, text)
  return parsed._tag === "Right" ? profileOptions(parsed.right) : fail(parsed.left.message)
})()

const served = await serveMockErp({
  ...profile,
  port: integer("port", values.port, 46088),
  host: values.host ?? "127.0.0.1",
  seed: { customers: integer("seed", values.seed, 0), seed: rngSeed },
  faults,
  faultSeed: rngSeed,
  users: [{ user, password }],
  controlApi: values.control ?? false,
  ...(values["no-contact-list"] ? { contactList: false } : {}),
  ...(values["contact-columns"] ? { contactListColumns: values["contact-columns"].split(",") } : {}),
  ...(dbPath ? { store: { sqlitePath: dbPath } } : {})
}).catch((error: unknown) => fail(`cannot start: ${error instanceof Error ? error.message : String(error)}`))

const stop = () => {
  served.close().then(
    () => process.exit(0),
    () => process.exit(1)
  )
}
process.once("SIGINT", stop)
process.once("SIGTERM", stop)

// handlers first: whoever reads the start line may signal at once
console.log(`Mock Zhibang ERP listening on ${served.url}`)
console.log(`account: ${user} / ${password}`)
console.log(
  `faults: ${faults}${dbPath ? `, data in ${dbPath}` : ""}${values.control ? `, control API at ${served.url}/__mock` : ""}`
)
