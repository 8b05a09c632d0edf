import type { Pair } from "@tongbu/pair"
import { defaultPair } from "./DefaultPair.js"

/**
 * The commented configuration `tongbu init` writes: the pair's sections, then the runner's own. Every value shown is
 * the default (sync-rules.md), so the file is valid as written; a test keeps it in step with `ConfigFile`. `pair` is
 * what the file's `pair:` key says (none for the default pair).
 */
export const templateFor = (pair: Pair.Any, spec?: string) => `# tongbu (同步) configuration: ${pair.init.title}.
# Every key is optional; what is shown is the default. Environment variables override this file:
${[
  ...pair.init.environment,
  "TONGBU_STATE_DB or TONGBU_STATE_URL (with TONGBU_STATE_PASSWORD), TONGBU_DAEMON_TOKEN,",
  "TONGBU_CONFIG (this file's path)."
]
  .map((line) => `#   ${line}`)
  .join("\n")}
# Relative paths are relative to this file.
# This file configures one pair. To run several in one daemon (or in several daemons that share them), list them
# under \`pairs:\`, each with an \`id\` and its own keys below; see "Many pairs" in tongbu's README.
${spec === undefined ? "" : `\n# The pair this configuration runs: a package name, or a module's path relative to this file.\npair: ${JSON.stringify(spec)}\n`}
${pair.init.sections}

state:
  # The sync's own store: links, baselines, outbox, run history, conflicts. By default a SQLite file:
  # database: .tongbu/state.db
  # or a PostgreSQL database (one holds many pairs), the password in TONGBU_STATE_PASSWORD or in a file named here,
  # never in the URL:
  # url: postgres://tongbu@db.example:5432/tongbu
  # passwordFile: /run/secrets/tongbu-state-password
  # poolSize: 4         # connections to it at most, shared by every pair of this runner on that database
  # How long a run's lease on this pair lasts without renewal: a crashed runner's pairs are taken over after this.
  leaseSeconds: 60

sync:
  # Attempts of one operation before it is parked for a person.
  maxAttempts: 5
  # \`tongbu sync\` exits with code 3 when more records than this failed (the run itself completed).
  maxFailures: 10

schedules:
  # Cron expressions (minute hour day month weekday) of \`tongbu daemon\`.
  push: "0 * * * *"   # every hour: push the left side into the right (${pair.labels.left} → ${pair.labels.right})
  pull: "0 2 * * *"   # every day at 02:00: pull the right side into the left (${pair.labels.right} → ${pair.labels.left})
  full: "0 3 * * 0"   # every Sunday at 03:00: full reconciliation of every link
  # timezone: Asia/Shanghai   # default: this machine's

daemon:
  # The daemon's HTTP endpoints (/healthz, /metrics, /runs). Any host but 127.0.0.1/localhost needs a token
  # (TONGBU_DAEMON_TOKEN, or a file named here), sent as "Authorization: Bearer <token>".
  host: 127.0.0.1
  port: 9464
  # tokenFile: /run/secrets/tongbu-daemon-token

alerts:
  # sync-rules §9: critical below this success rate over the last hour,
  minSuccessRate: 0.8
  # warning above this many failures in the last hour,
  maxFailuresPerHour: 10
  # info when no run succeeded for this many hours.
  maxHoursWithoutSuccess: 2

log:
  level: info        # debug | info | warning | error
  format: auto       # auto (pretty on a terminal, JSON lines otherwise) | pretty | json
`

/** The default pair's template, as `tongbu init` writes it without --pair. */
export const template = templateFor(defaultPair)
