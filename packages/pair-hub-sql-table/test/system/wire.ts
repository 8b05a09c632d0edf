/**
 * The runner's way to the table, as the system suite sees it: the table adapter's calls counted, refused or their
 * answers lost under a fault profile (drawn from the world's seed), and the runner killed at its Nth call — before
 * the call reaches the table, or after the table committed it but before the answer comes back.
 */
import type { SyncAdapter } from "@tongbu/core"
import { makeRng, TransientError } from "@tongbu/core"
import type { CrashPlan, Wire } from "@tongbu/runner/testing"
import { Effect, Stream } from "effect"

/** A fault profile: calls refused before they reach the table, and writes whose answer is lost after they landed. */
export interface Faults {
  readonly refuseRate: number
  readonly loseWriteRate: number
}

export const faultProfiles = {
  locked: { refuseRate: 0.2, loseWriteRate: 0 },
  "ack-lost": { refuseRate: 0, loseWriteRate: 0.3 },
  chaos: { refuseRate: 0.15, loseWriteRate: 0.2 }
} satisfies Record<string, Faults>
export type ProfileName = keyof typeof faultProfiles

const writes = new Set(["create", "update", "compensateCreate"])

const gone = (adapter: string) => new TransientError({ adapter, message: "the runner process is gone" })

export class TableWire implements Wire {
  private readonly rng
  private plan: CrashPlan | undefined
  private onCrash: () => void = () => undefined
  private calls = 0
  crashed = false
  faults: Faults | undefined
  // a call to the table runs to its end within the fiber: none is ever on its way while the clock moves
  readonly busy = false
  readonly parked: ReadonlyArray<string> = []

  constructor(seed: number) {
    this.rng = makeRng(seed)
  }

  get callCount(): number {
    return this.calls
  }

  start(plan?: CrashPlan, onCrash: () => void = () => undefined): void {
    this.plan = plan
    this.onCrash = onCrash
    this.calls = 0
    this.crashed = false
  }

  /** One call of `member` through the wire. */
  private call<A, E>(
    adapter: string,
    member: string,
    effect: Effect.Effect<A, E>
  ): Effect.Effect<A, E | TransientError> {
    return Effect.suspend(() => {
      if (this.crashed) return Effect.fail(gone(adapter))
      const n = ++this.calls
      const die = Effect.suspend(() => {
        this.crashed = true
        this.onCrash()
        return Effect.fail(gone(adapter))
      })
      if (this.plan?.at === n) return this.plan.landed ? Effect.zipRight(Effect.either(effect), die) : die
      const faults = this.faults
      if (faults !== undefined && this.rng.chance(faults.refuseRate)) {
        return Effect.fail(new TransientError({ adapter, message: `the table is locked (${member} refused)` }))
      }
      if (faults !== undefined && writes.has(member) && this.rng.chance(faults.loseWriteRate)) {
        return Effect.zipRight(
          effect,
          Effect.fail(new TransientError({ adapter, message: `the answer to ${member} was lost` }))
        )
      }
      return effect
    })
  }

  /** The table adapter with every call going through the wire. */
  readonly wrap = (adapter: SyncAdapter): SyncAdapter => {
    const through = <A, E>(member: string, effect: Effect.Effect<A, E>) => this.call(adapter.name, member, effect)
    return {
      ...adapter,
      list: (request) => Stream.unwrap(through("list", Effect.succeed(adapter.list(request)))),
      read: (id) => through("read", adapter.read(id)),
      create: (request) => through("create", adapter.create(request)),
      findCreated: (request) => through("findCreated", adapter.findCreated(request)),
      update: (request) => through("update", adapter.update(request)),
      compensateCreate: (request) => through("compensateCreate", adapter.compensateCreate(request)),
      perform: (request) => through("perform", adapter.perform(request)),
      acknowledge: (outcomes) => through("acknowledge", adapter.acknowledge(outcomes))
    }
  }
}
