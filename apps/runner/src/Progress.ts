import { Clock, Effect, Ref } from "effect"

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

/** `[██████░░░░░░]  50%  500/1000 applying`, `width` cells wide. */
export const bar = (step: Step, width: number): string => {
  const ratio = step.total <= 0 ? 1 : Math.min(1, step.done / step.total)
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
          const tenth = step.total <= 0 ? 10 : Math.floor((step.done / step.total) * 10)
          const previous = yield* Ref.get(last)
          if (previous.phase === step.phase && previous.tenth === tenth) return
          yield* Ref.set(last, { phase: step.phase, tenth })
          write(`${step.phase}: ${step.done}/${step.total}\n`)
        }),
      finish: Effect.void
    } satisfies Progress
  })

export const make = (options: { readonly isTTY: boolean; readonly write: (text: string) => void }): Effect.Effect<Progress> =>
  options.isTTY ? terminal(options.write) : plain(options.write)

/** For `--json` and the daemon: nothing is drawn. */
export const silent: Progress = { report: () => Effect.void, finish: Effect.void }
