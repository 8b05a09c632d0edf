import { ValidationError } from "@effect/cli"
import { Cause, Data, Exit, Option } from "effect"

/** The process exit codes of `tongbu`, as the README documents them. */
export const ExitCode = {
  ok: 0,
  /** The run failed (or could not start: the ERP refused the account, the store is unusable, …). */
  failed: 1,
  /** The configuration or the command line is wrong. */
  usage: 2,
  /** The run completed but more records failed than `sync.maxFailures`. */
  tooManyFailures: 3,
  /** Another tongbu process kept the store's lease, or took it over from this one (`StoreFenced`). */
  busy: 4
} as const

/** A command ended unsuccessfully; its message has already been shown to the user. */
export class CommandFailed extends Data.TaggedError("CommandFailed")<{ readonly exitCode: number }> {}

const codeOf = (cause: Cause.Cause<unknown>): number =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => ExitCode.failed,
    onSome: (error) =>
      error instanceof CommandFailed
        ? error.exitCode
        : ValidationError.isValidationError(error)
          ? ExitCode.usage
          : ExitCode.failed
  })

/** `NodeRuntime.runMain`'s teardown: the exit code a failed command chose; interruption (SIGINT/SIGTERM) exits 130. */
export const teardown = (exit: Exit.Exit<unknown, unknown>, onExit: (code: number) => void): void =>
  onExit(Exit.isSuccess(exit) ? ExitCode.ok : Cause.isInterruptedOnly(exit.cause) ? 130 : codeOf(exit.cause))
