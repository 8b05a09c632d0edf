/**
 * The commands of a generated history that every pair has: a person's edit (the world's), sync runs (clean, under a
 * fault profile, or crashing at a call to side R and restarting) and rolling back the last run. Each checks the
 * world's invariants after it; a failed check throws with every violation and this history's steps, so the
 * counterexample fast-check prints (with its seed and path) reads as a story.
 */
import fc from "fast-check"
import type { Budget } from "./drive.js"
import { Meter } from "./drive.js"
import type { Edit, LastSync, PairSystem, Snapshot, SyncKind, SyncOutcome, Violations } from "./PairSystem.js"

export class InvariantViolation extends Error {
  override readonly name = "InvariantViolation"
}

/** What the suite keeps of a history: its last sync, and whether a person edited either side since. */
export class History<Snap> {
  lastSync: LastSync<Snap> | undefined
  editedSinceSync = false
}

/** The world of one history, with its steps (ids resolved) for the failure report and what they cost. */
export class Real<Sys extends PairSystem<Snapshot<Sys>>> {
  readonly steps: Array<string> = []
  /** What the history had cost at its last step (for `TONGBU_SYSTEM_TRACE`). */
  private spent = new Meter()
  private stepAt = Date.now()

  constructor(
    readonly system: Sys,
    readonly budget: Budget
  ) {}

  step(command: string, did: string): void {
    this.steps.push(`${this.steps.length + 1}. ${command} — ${did}`)
    if (process.env.TONGBU_SYSTEM_TRACE === "1") {
      const wall = Date.now() - this.stepAt
      process.stdout.write(
        `${this.steps[this.steps.length - 1]}\n    [${wall} ms wall; runs: ${this.budget.meter.since(this.spent)}]\n`
      )
      this.spent = this.budget.meter.copy()
      this.stepAt = Date.now()
    }
  }

  verify(violations: Violations): void {
    const found = violations.flatMap(([name, list]) => list.map((violation) => `  [${name}] ${violation}`))
    if (found.length === 0) return
    throw new InvariantViolation(
      [
        `after step ${this.steps.length}, ${found.length} invariant violation(s):`,
        ...found,
        "this history, with the ids each step resolved to:",
        ...this.steps.map((step) => `  ${step}`)
      ].join("\n")
    )
  }
}

type Command<Sys extends PairSystem<Snapshot<Sys>>> = fc.AsyncCommand<History<Snapshot<Sys>>, Real<Sys>>

export class PersonEdits<Sys extends PairSystem<Snapshot<Sys>>> implements Command<Sys> {
  constructor(readonly edit: Edit<Sys>) {}
  check = () => true
  run = async (model: History<Snapshot<Sys>>, real: Real<Sys>) => {
    const { system } = real
    await system.elapse(7)
    await this.edit.run(system, async (command, act) => {
      const did = await act()
      if (did.changed) model.editedSinceSync = true
      real.step(command, did.text)
      const after = await system.snapshot()
      did.noted?.(after)
      real.verify(system.afterEdit(after))
    })
  }
  toString = () => this.edit.toString()
}

const summarize = (counts: Record<string, number | undefined>) =>
  Object.entries(counts)
    .filter(([, n]) => n !== undefined && n > 0)
    .map(([name, n]) => `${n} ${name}`)
    .join(", ") || "nothing to do"

export class SyncRun<Sys extends PairSystem<Snapshot<Sys>>> implements Command<Sys> {
  constructor(
    readonly kind: SyncKind,
    readonly right: string
  ) {}
  check = () => true
  run = async (model: History<Snapshot<Sys>>, real: Real<Sys>) => {
    const { system } = real
    await system.elapse(11)
    const before = await system.snapshot()
    const kind = this.kind
    let text: string
    let last: SyncOutcome
    switch (kind._tag) {
      case "Clean":
        last = await system.sync({ full: kind.full })
        text = ""
        break
      case "Faults":
        last = await system.sync({ full: kind.full, faults: kind.profile })
        text = `under ${kind.profile}: `
        break
      case "Crash": {
        const first = await system.sync({ full: false, crash: { at: kind.at, landed: kind.landed } })
        text =
          first._tag === "Crashed"
            ? `crashed after ${first.calls} ${this.right} calls; restarted: `
            : "finished before the crash point; again: "
        await system.elapse(1)
        last = await system.sync({ full: false })
        break
      }
    }
    if (last._tag !== "Finished") throw new Error("a run without a crash plan crashed")
    const report = last.report
    text += `run ${report.runId.pipe((id) => (id._tag === "Some" ? id.value : "?"))} ${report.status}, ${summarize(report.counts)}${report.resumed > 0 ? `, ${report.resumed} resumed` : ""}`
    real.step(this.toString(), text)
    const after = await system.snapshot()
    // after a fault-free sync, one more for real: what it plans must be nothing, and it must write nothing
    const next = kind._tag !== "Faults" ? await system.sync({ full: false }) : undefined
    const again = next === undefined ? undefined : await system.snapshot()
    real.verify(
      system.afterSync({
        kind,
        before,
        after,
        report,
        runs: system.runIdsSince(before, after),
        clean:
          next === undefined || next._tag !== "Finished" || again === undefined
            ? undefined
            : { status: report.status, error: report.error, next: next.report.plan, again }
      })
    )
    model.editedSinceSync = false
    if (report.runId._tag === "Some") {
      model.lastSync = {
        runId: report.runId.value,
        before,
        clean: kind._tag === "Clean" && report.status === "completed" && report.resumed === 0,
        rolledBack: false
      }
    }
  }
  toString = () => {
    const kind = this.kind
    switch (kind._tag) {
      case "Clean":
        return `sync runs (${kind.full ? "full" : "incremental"})`
      case "Faults":
        return `sync runs (${kind.full ? "full" : "incremental"}) with faults: ${kind.profile}`
      case "Crash":
        return `the runner crashes at ${this.right} call ${kind.at} (${kind.landed ? `after the ${this.right} committed it` : `before it reached the ${this.right}`}) and restarts`
    }
  }
}

export class RollbackRun<Sys extends PairSystem<Snapshot<Sys>>> implements Command<Sys> {
  check = (model: Readonly<History<Snapshot<Sys>>>) => model.lastSync !== undefined
  run = async (model: History<Snapshot<Sys>>, real: Real<Sys>) => {
    const { system } = real
    const last = model.lastSync!
    await system.elapse(5)
    const before = await system.snapshot()
    const report = await system.rollback(last.runId)
    real.step(this.toString(), `rollback of run ${last.runId} ${report.status}: ${summarize(report.counts)}`)
    const after = await system.snapshot()
    real.verify(system.afterRollback({ last, editedSinceSync: model.editedSinceSync, before, after, report }))
    last.rolledBack = true
  }
  toString = () => "roll back the last run"
}

const syncKinds = (faults: ReadonlyArray<string>, maxCrashAt: number): fc.Arbitrary<SyncKind> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ _tag: fc.constant("Clean" as const), full: fc.boolean() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        _tag: fc.constant("Faults" as const),
        profile: fc.constantFrom(...faults),
        full: fc.boolean()
      })
    },
    {
      weight: 2,
      arbitrary: fc.record({
        _tag: fc.constant("Crash" as const),
        at: fc.integer({ min: 1, max: maxCrashAt }),
        landed: fc.boolean()
      })
    }
  )

/**
 * A history of at most `max` commands: the world's edits, and about a third of them runs. `replayPath` (the one a
 * counterexample prints) lets fast-check replay a shrunk history from its seed and path.
 */
export const histories = <Sys extends PairSystem<Snapshot<Sys>>>(
  suite: {
    readonly edits: ReadonlyArray<fc.Arbitrary<Edit<Sys>>>
    readonly faults: ReadonlyArray<string>
    readonly maxCrashAt: number
  },
  right: string,
  max: number,
  replayPath?: string
): fc.Arbitrary<Iterable<Command<Sys>>> => {
  const sync = syncKinds(suite.faults, suite.maxCrashAt).map((kind): Command<Sys> => new SyncRun<Sys>(kind, right))
  return fc.commands(
    [
      ...suite.edits.map((edit) => edit.map((one): Command<Sys> => new PersonEdits<Sys>(one))),
      sync,
      sync,
      sync,
      fc.constant(new RollbackRun<Sys>())
    ],
    { maxCommands: max, ...(replayPath === undefined ? {} : { replayPath }) }
  )
}
