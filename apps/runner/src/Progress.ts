import type { JournalEntry, SyncAdapter, SyncStoreService } from "@tongbu/core"
import { LeftAdapter, RightAdapter, SyncStore } from "@tongbu/core"
import { Clock, Context, Effect, Layer, Ref, Stream } from "effect"

/** Where a run is: which phase, and how far through it. */
export interface Step {
  readonly phase: string
  readonly done: number
  readonly total: number
}

export interface Progress {
  readonly report: (step: Step) => Effect.Effect<void>
  /** Ends the bar (the next output starts on a clean line). */
  readonly finish: Effect.Effect<void>
}

/** `[██████░░░░░░]  50%  500/1000 writing`, `width` cells wide; a step without a total is a count only. */
export const bar = (step: Step, width: number): string => {
  if (step.total <= 0) return `${step.phase}: ${step.done}`
  const ratio = Math.min(1, step.done / step.total)
  const filled = Math.round(ratio * width)
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4)
  return `[${"█".repeat(filled)}${"░".repeat(width - filled)}] ${percent}  ${step.done}/${step.total} ${step.phase}`
}

/** On a terminal: one bar redrawn in place at most every 100 ms. */
const terminal = (write: (text: string) => void) =>
  Effect.gen(function* () {
    const last = yield* Ref.make({ at: Number.NEGATIVE_INFINITY, drawn: false })
    return {
      report: (step: Step) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const previous = yield* Ref.get(last)
          if (now - previous.at < 100 && step.done < step.total) return
          yield* Ref.set(last, { at: now, drawn: true })
          write(`\r\x1b[2K${bar(step, 30)}`)
        }),
      finish: Effect.flatMap(Ref.get(last), ({ drawn }) => Effect.sync(() => drawn && write("\r\x1b[2K")))
    } satisfies Progress
  })

/** Elsewhere (a log file, a pipe): a plain line when a phase starts and at every tenth of it. */
const plain = (write: (text: string) => void) =>
  Effect.gen(function* () {
    const last = yield* Ref.make({ phase: "", tenth: -1 })
    return {
      report: (step: Step) =>
        Effect.gen(function* () {
          const tenth = step.total <= 0 ? 0 : Math.floor((step.done / step.total) * 10)
          const previous = yield* Ref.get(last)
          if (previous.phase === step.phase && previous.tenth === tenth) return
          yield* Ref.set(last, { phase: step.phase, tenth })
          write(step.total <= 0 ? `${step.phase}…\n` : `${step.phase}: ${step.done}/${step.total}\n`)
        }),
      finish: Effect.void
    } satisfies Progress
  })

export const make = (options: {
  readonly isTTY: boolean
  readonly write: (text: string) => void
}): Effect.Effect<Progress> => (options.isTTY ? terminal(options.write) : plain(options.write))

/** For `--json` and the daemon: nothing is drawn. */
export const silent: Progress = { report: () => Effect.void, finish: Effect.void }

/**
 * Feeds `progress` from what a run does, without the core knowing: entries listed per side (no total is known while
 * listing), then operations journaled as finished against the number the run recorded in the outbox.
 */
export const observe = (progress: Progress, labels: { readonly left: string; readonly right: string }) =>
  Layer.effectContext(
    Effect.gen(function* () {
      const store = yield* SyncStore
      const left = yield* LeftAdapter
      const right = yield* RightAdapter
      const counts = { listed: { left: 0, right: 0 }, total: 0, done: 0 }
      const listing = (adapter: SyncAdapter, side: "left" | "right", label: string): SyncAdapter => ({
        ...adapter,
        list: (request) =>
          adapter.list(request).pipe(
            Stream.tap(() => {
              counts.listed[side]++
              return progress.report({ phase: `listing ${label}`, done: counts.listed[side], total: 0 })
            })
          )
      })
      const finished = (entries: ReadonlyArray<JournalEntry>) =>
        entries.filter((e) => e._tag === "Completed" || (e._tag === "Failed" && e.state !== "pending")).length
      const observed: SyncStoreService = {
        ...store,
        startRun: (run, operations) =>
          store.startRun(run, operations).pipe(
            Effect.tap(() => {
              counts.total += operations.length
              return progress.report({ phase: "writing", done: counts.done, total: counts.total })
            })
          ),
        journal: (entries) =>
          store.journal(entries).pipe(
            Effect.tap(() => {
              counts.done += finished(entries)
              return progress.report({
                phase: "writing",
                done: Math.min(counts.done, counts.total),
                total: counts.total
              })
            })
          )
      }
      return Context.make(SyncStore, observed)
        .pipe(Context.add(LeftAdapter, listing(left, "left", labels.left)))
        .pipe(Context.add(RightAdapter, listing(right, "right", labels.right)))
    })
  )
