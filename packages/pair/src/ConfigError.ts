import { Data } from "effect"

/** The configuration is unusable: the message names the file, the key and what was expected. */
export class ConfigError extends Data.TaggedError("ConfigError")<{ readonly message: string }> {}
