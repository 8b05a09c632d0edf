import type { ActionRequest, AdapterError, FieldValue } from "@tongbu/core"
import { RejectedError } from "@tongbu/core"
import { Effect } from "effect"
import type { ZhibangMapping } from "../../Mapping.js"
import type { ZhibangClientService } from "../../ZhibangClient.js"
import { toAdapterError } from "./errors.js"
import { comparable, ordOf, toWire } from "./records.js"

/** Contact fields a `contact` action may carry (person/add.asp, spec §4.7). */
const contactFields = [
  "person_name",
  "mobile",
  "mobile2",
  "phone",
  "email",
  "weixinAcc",
  "intro",
  "sex",
  "job",
  "part1",
  "qq"
]

const integer = (value: FieldValue | undefined, fallback: number): number | undefined => {
  const text = comparable(value)
  if (text === "") return fallback
  return /^\d+$/.test(text) ? Number(text) : undefined
}

/**
 * The adapter's actions: `followUp` (洽谈进展, reply.asp), `assign` (order.asp), `contact` (person/add.asp). None is
 * idempotent on the ERP's side, so the client never repeats one; the core parks an uncertain one.
 */
export const performAction = (
  adapter: string,
  client: ZhibangClientService,
  mapping: ZhibangMapping,
  request: ActionRequest
): Effect.Effect<void, AdapterError> => {
  const rejected = (message: string, field?: string) =>
    Effect.fail(
      new RejectedError({
        adapter,
        message: `${request.kind} on customer ${request.id}: ${message}`,
        ...(field ? { field } : {})
      })
    )
  const ord = ordOf(request.id)
  if (ord === undefined) return rejected("not an ERP customer id")
  const payload = request.payload
  const run = (effect: Effect.Effect<void, Parameters<typeof toAdapterError>[1]>) =>
    Effect.mapError(effect, (error) => toAdapterError(adapter, error))
  switch (request.kind) {
    case "followUp": {
      const intro = comparable(payload.intro)
      const sort = integer(payload.sort, mapping.followUp.sort)
      const plantype = integer(payload.plantype, mapping.followUp.plantype)
      if (intro === "") return rejected("a follow-up needs its text or template id (intro)", "intro")
      if (sort === undefined)
        return rejected(`sort must be a follow-up method id, not '${comparable(payload.sort)}'`, "sort")
      if (plantype === undefined || plantype > 2) return rejected("plantype must be 0, 1 or 2", "plantype")
      return run(client.followUp(ord, { intro, sort, plantype }))
    }
    case "assign": {
      const member1 = comparable(payload.member1)
      const member2 = comparable(payload.member2)
      if (member1 !== "0" && member1 !== "1")
        return rejected("member1 must be 1 (public pool) or 0 (assign to member2)", "member1")
      if (member1 === "0" && member2 === "")
        return rejected("assigning to salespeople needs their ids (member2)", "member2")
      return run(client.assign(ord, { member1: member1 === "1" ? 1 : 0, member2 }))
    }
    case "contact": {
      const unknown = Object.keys(payload).filter((field) => !contactFields.includes(field))
      if (unknown.length > 0) return rejected(`not contact fields: ${unknown.join(", ")}`, unknown[0])
      if (comparable(payload.person_name) === "") return rejected("a contact needs a name (person_name)", "person_name")
      return run(client.saveContact({ ...toWire(payload, { create: true, truncatable: new Set() }), company: ord }))
    }
    default:
      return rejected(`unknown action '${request.kind}' (the ERP adapter knows followUp, assign, contact)`)
  }
}
