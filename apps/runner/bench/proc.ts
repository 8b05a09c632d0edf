import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"

const clockTicks = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim() || 100)

/** What Linux reports of a live process: CPU (user + system), peak and current resident memory; zeros once it is gone. */
export const procOf = (pid: number | undefined): { cpuMs: number; peakRss: number; rss: number } => {
  if (pid === undefined) return { cpuMs: 0, peakRss: 0, rss: 0 }
  try {
    // the fields after the command name, which is in parentheses and may hold spaces
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
    const cpuMs = ((Number(stat[11]) + Number(stat[12])) * 1000) / clockTicks
    const status = readFileSync(`/proc/${pid}/status`, "utf8")
    const kB = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0) * 1024
    return { cpuMs, peakRss: kB("VmHWM"), rss: kB("VmRSS") }
  } catch {
    return { cpuMs: 0, peakRss: 0, rss: 0 }
  }
}
