import { Effect, Option, Ref } from "effect"
import type { AdapterError } from "../../AdapterError.js"
import { TransientError } from "../../AdapterError.js"
import type { RecordId } from "../../Domain.js"

/** One call into the in-memory adapter, as a fault hook sees it. */
export interface AdapterCall {
  readonly op:
    | "list"
    | "read"
    | "create"
    | "findCreated"
    | "update"
    | "compensateCreate"
    | "perform"
    | "events"
    | "acknowledge"
  readonly key?: string
  readonly id?: RecordId
}

/**
 * A fault to inject into one call: an `AdapterError` fails the call before it has any effect; `AckLost` lets the write
 * happen and then fails with a `TransientError` (the answer was lost on the way back); `AfterReserve` (creates only)
 * reserves the provisional id and then fails without creating.
 */
export type InMemoryFault =
  | AdapterError
  | { readonly _tag: "AckLost" }
  | { readonly _tag: "AfterReserve"; readonly error: AdapterError }

export const InMemoryFault = {
  ackLost: { _tag: "AckLost" } as InMemoryFault,
  afterReserve: (error: AdapterError): InMemoryFault => ({ _tag: "AfterReserve", error })
}

interface Faults {
  readonly hook: Option.Option<(call: AdapterCall) => Option.Option<InMemoryFault>>
  readonly queue: ReadonlyArray<{
    readonly remaining: number
    readonly fault: InMemoryFault
    readonly op?: AdapterCall["op"]
  }>
}

const noFaults: Faults = { hook: Option.none(), queue: [] }

const isAdapterError = (fault: InMemoryFault): fault is AdapterError =>
  fault._tag !== "AckLost" && fault._tag !== "AfterReserve"

/** Where every call passes: the faults tests injected are taken here, in order. */
export class FaultGate {
  private constructor(
    private readonly adapter: string,
    private readonly faults: Ref.Ref<Faults>
  ) {}

  static make = (adapter: string): Effect.Effect<FaultGate> =>
    Effect.map(Ref.make(noFaults), (faults) => new FaultGate(adapter, faults))

  setHook(hook: (call: AdapterCall) => Option.Option<InMemoryFault>): Effect.Effect<void> {
    return Ref.update(this.faults, (f) => ({ ...f, hook: Option.some(hook) }))
  }

  failNext(times: number, fault: InMemoryFault, op?: AdapterCall["op"]): Effect.Effect<void> {
    return Ref.update(this.faults, (f) => ({
      ...f,
      queue: times > 0 ? [...f.queue, { remaining: times, fault, op }] : f.queue
    }))
  }

  get clear(): Effect.Effect<void> {
    return Ref.set(this.faults, noFaults)
  }

  /** Fails now for a plain error fault; otherwise hands the fault (if any) on for the write to honour. */
  enter(call: AdapterCall): Effect.Effect<Option.Option<InMemoryFault>, AdapterError> {
    const take = Ref.modify(this.faults, (current): readonly [Option.Option<InMemoryFault>, Faults] => {
      const index = current.queue.findIndex((entry) => entry.op === undefined || entry.op === call.op)
      const entry = current.queue[index]
      if (entry === undefined) return [Option.flatMap(current.hook, (hook) => hook(call)), current]
      const queue = current.queue
        .map((e, i) => (i === index ? { ...e, remaining: e.remaining - 1 } : e))
        .filter((e) => e.remaining > 0)
      return [Option.some(entry.fault), { ...current, queue }]
    })
    return Effect.flatMap(take, (fault) =>
      Option.isSome(fault) && isAdapterError(fault.value) ? Effect.fail(fault.value) : Effect.succeed(fault)
    )
  }

  /** After a write: fails as if the answer were lost, when that is the fault this call drew. */
  ackLost(fault: Option.Option<InMemoryFault>, what: string): Effect.Effect<void, TransientError> {
    return Option.isSome(fault) && fault.value._tag === "AckLost"
      ? Effect.fail(
          new TransientError({ adapter: this.adapter, message: `the answer to ${what} was lost (the write happened)` })
        )
      : Effect.void
  }
}
