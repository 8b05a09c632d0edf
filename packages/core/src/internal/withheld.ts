import type { Plan } from "../Plan.js"
import type { RunWarning } from "../SyncStore.js"

/**
 * One warning per side the plan withheld adopted records' history from (`Plan.withheld`): a count, not a line per
 * record, since every record of a first run over already reconciled systems would have one.
 */
export const withheldWarnings = (plan: Plan): ReadonlyArray<RunWarning> =>
  plan.withheld.map(({ side, events, records }) => ({
    code: "adopted-history-withheld",
    side,
    message: `${events} event(s) (e.g. follow-ups) of ${records} record(s) whose existing link was adopted this run were not carried to ${side}: whoever made those links may have carried them already, and each is sent at most once, ever; what comes after this run goes as usual (to send this history as well, turn on the policy's backfillAdopted, e.g. policy.backfillAdopted in tongbu.yaml, before the run that adopts the links)`
  }))
