import type { Run } from "@tongbu/core"
import type { CallLogEntry } from "@tongbu/mock-erp"

/**
 * What shows that a pair ran twice at once, from its store's runs (sorted by start) and its ERP's call log; `kills`:
 * when a killed runner was gone. Each problem is a sentence.
 *
 * The store: every run ended (one a kill stopped is closed as `interrupted` by the run that finished its outbox)
 * before the next began. The ERP: while a run is recorded (from the end of its listing to its end) its runner writes
 * with one session; a login kicks the older session, so another runner working on the pair meanwhile shows as a second
 * session calling in that stretch (its own, or the run's after it was kicked). A kill splits the stretch: the dead
 * runner's calls come before it, the new owner's after.
 */
export const overlaps = (
  runs: ReadonlyArray<Run>,
  calls: ReadonlyArray<CallLogEntry>,
  kills: ReadonlyArray<number>
): ReadonlyArray<string> => {
  const problems: Array<string> = []
  // a logout reads and writes nothing: every daemon stopped logs its session out, whoever runs the pair then
  const sessions = calls.filter((c) => c.session !== null && c.endpoint !== "logout")
  runs.forEach((run, k) => {
    const next = runs[k + 1]
    if (next !== undefined && (run.finishedAt === undefined || run.finishedAt > next.startedAt))
      problems.push(`run ${next.id} started during run ${run.id}`)
    const from = run.startedAt
    const to = run.finishedAt ?? Number.POSITIVE_INFINITY
    const cuts = [from, ...kills.filter((t) => t > from && t < to), to]
    cuts.slice(1).forEach((end, j) => {
      const during = sessions.filter((c) => c.at >= cuts[j]! && c.at <= end)
      const clients = new Set(during.map((c) => c.session))
      if (clients.size > 1) {
        const spans = [...clients].map((session) => {
          const own = during.filter((c) => c.session === session)
          return `${own.length} calls ${own[0]!.seq}–${own.at(-1)!.seq} (${own[0]!.endpoint} … ${own.at(-1)!.endpoint} ${own.at(-1)!.answer})`
        })
        problems.push(`during run ${run.id}, ${clients.size} clients called the ERP: ${spans.join("; ")}`)
      }
    })
  })
  return problems
}
