import type { AdapterError, RecordId } from "@tongbu/core"
import { CollisionError, FatalError, RejectedError, TransientError } from "@tongbu/core"
import type { ZhibangError } from "../../ZhibangError.js"

/** The client's errors as the core acts on them; a duplicate refusal is the core's unique-key collision. */
export const toAdapterError = (adapter: string, error: ZhibangError, collidingId?: RecordId): AdapterError => {
  const message = `${error.operation}: ${error.message}`
  switch (error._tag) {
    case "ZhibangTransientError":
      return new TransientError({
        adapter,
        message: error.uncertain ? `${message} (the write may have landed)` : message
      })
    case "ZhibangFatalError":
      return new FatalError({ adapter, message })
    case "ZhibangRejectedError":
      return error.reason === "duplicate"
        ? new CollisionError({
            adapter,
            message,
            field: error.field ?? "unknown",
            ...(collidingId === undefined ? {} : { collidingId })
          })
        : new RejectedError({ adapter, message, ...(error.field === undefined ? {} : { field: error.field }) })
  }
}
