import { Effect, Stream } from "effect"
import type { HeldValue, SyncAdapter } from "../Adapter.js"
import type { AuxiliaryUnavailable } from "../AdapterError.js"
import type { Side } from "../Domain.js"
import { isEmptyValue } from "../Domain.js"
import { writableField } from "../Mapping.js"
import type { Plan, PlanInput } from "../Plan.js"
import { plan as makePlan } from "../Planner.js"
import type { SyncPolicy } from "../Policy.js"
import type { RunWarning } from "../SyncStore.js"
import type { SideUnavailable } from "./snapshot.js"
import { readRetried } from "./snapshot.js"

export type { RunWarning } from "../SyncStore.js"

const auxiliaryWarning = (side: Side, error: AuxiliaryUnavailable): RunWarning => ({
  code: `${error.listing}-unavailable`,
  side,
  message: `the ${error.listing} listing of ${side} (${error.adapter}) is unavailable: unique values held there were not checked before writing; the side's own duplicate check still guards its saves (${error.message})`
})

/** The native unique fields of `side` that the plan's creates and updates there give a value. */
export const uniqueWrites = (plan: Plan, policy: SyncPolicy, side: Side): ReadonlyArray<string> => {
  const unique = new Set<string>()
  for (const mapping of policy.mappings) {
    const native = writableField(mapping, side)
    if (native !== null && policy.uniqueKeys[side].includes(mapping.name)) unique.add(native)
  }
  const written = new Set<string>()
  for (const op of plan.operations) {
    if ((op._tag !== "Create" && op._tag !== "Update") || op.side !== side) continue
    const fields = op._tag === "Create" ? op.fields : op.changes
    for (const [field, value] of Object.entries(fields))
      if (unique.has(field) && !isEmptyValue(value)) written.add(field)
  }
  return [...written].sort()
}

/**
 * Plans the run, then, when it would give a unique value to a side that also holds such values outside its records
 * (`SyncAdapter.heldValues`), asks that side for them and plans again with them: a run writing no unique value (the
 * steady state) asks nothing. A write the new plan drops may free a value another record then takes: should that
 * write a field not asked about yet, the side is asked again for it (at most once per field). A side that does not
 * offer the listing (`AuxiliaryUnavailable`) is planned without it, relying on its own unique checks, and is not
 * asked again this run: the run gets one warning for it.
 */
export const planWithHeld = (
  input: PlanInput,
  sides: Record<Side, SyncAdapter>
): Effect.Effect<{ readonly plan: Plan; readonly warnings: ReadonlyArray<RunWarning> }, SideUnavailable> =>
  Effect.gen(function* () {
    const warnings: Array<RunWarning> = []
    const unavailable = { left: false, right: false }
    const asked = { left: new Set<string>(), right: new Set<string>() }
    const held: Record<Side, Array<HeldValue>> = { left: [], right: [] }
    let plan = makePlan(input)
    for (;;) {
      let more = false
      for (const side of ["left", "right"] as const) {
        const adapter = sides[side]
        const fields = uniqueWrites(plan, input.policy, side).filter((field) => !asked[side].has(field))
        if (adapter.heldValues === undefined || unavailable[side] || fields.length === 0) continue
        for (const field of fields) asked[side].add(field)
        const listing = Stream.runCollect(adapter.heldValues({ fields })).pipe(
          Effect.map((answer) => [...answer]),
          Effect.catchTag("AuxiliaryUnavailable", (error) =>
            Effect.sync(() => {
              unavailable[side] = true
              warnings.push(auxiliaryWarning(side, error))
              return []
            })
          )
        )
        held[side].push(...(yield* readRetried(listing, side, adapter.name)))
        more = true
      }
      if (!more) return { plan, warnings }
      plan = makePlan({
        ...input,
        left: { ...input.left, held: held.left },
        right: { ...input.right, held: held.right }
      })
    }
  })
