import type { Outcome } from "@tongbu/core"

/**
 * The newest word the store has on each record (`left:<id>` / `right:<id>`), from its outcomes in the order they were
 * written: an outcome of a pair speaks for both of its records.
 */
export const latestOutcomes = (outcomes: ReadonlyArray<Outcome>): ReadonlyMap<string, string> => {
  const latest = new Map<string, string>()
  for (const outcome of outcomes) {
    latest.set(`${outcome.side}:${outcome.id}`, outcome.outcome)
    if (outcome.otherId !== undefined)
      latest.set(`${outcome.side === "left" ? "right" : "left"}:${outcome.otherId}`, outcome.outcome)
  }
  return latest
}

/** A record the sync left alone on purpose, and said so: it need not converge. */
export const leftAlone = (outcome: string | undefined): boolean =>
  outcome === "skipped" || outcome === "failed" || outcome === "conflict"
