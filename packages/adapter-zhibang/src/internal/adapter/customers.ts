import type { AdapterError, CompensateRequest, Compensation, Fields, SyncAdapter } from "@tongbu/core"
import { RecordId, RejectedError, StaleError } from "@tongbu/core"
import { Effect, Option } from "effect"
import type { Intsort, ZhibangClientService } from "../../ZhibangClient.js"
import type { ZhibangError } from "../../ZhibangError.js"
import type { CustomerDetail } from "../customer.js"
import { toAdapterError } from "./errors.js"
import type { OrdRow } from "./listing.js"
import { findExact } from "./listing.js"
import { comparable, ordOf, requiredOf, sameStored, sameValue, toWire } from "./records.js"

export interface WritesContext {
  readonly name: string
  readonly client: ZhibangClientService
  readonly pageSize: number
  /** Fields cut to the ERP's limit instead of refused. */
  readonly truncatable: ReadonlySet<string>
  readonly withdraw: { readonly toPublicPool: boolean; readonly note: string }
  /** Drops what the adapter remembers of a customer it is about to change. */
  readonly forget: (id: RecordId) => Effect.Effect<void>
}

/**
 * Creating, finding, updating and withdrawing ERP customers: allocate→reserve→save for creates, detail reads to decide
 * what landed and what a save must carry (the ERP refuses a partial record).
 */
export const makeCustomerWrites = ({ name, client, pageSize, truncatable, withdraw, forget }: WritesContext) => {
  const fail = (error: ZhibangError) => toAdapterError(name, error)
  const rejected = (message: string, field?: string) =>
    new RejectedError({ adapter: name, message, ...(field === undefined ? {} : { field }) })

  const detailOf = (id: RecordId): Effect.Effect<Option.Option<CustomerDetail>, ZhibangError> => {
    const ord = ordOf(id)
    return ord === undefined ? Effect.succeedNone : client.customerDetail(ord)
  }

  const intsortOf = (fields: Fields): Effect.Effect<Intsort, RejectedError> => {
    const value = comparable(fields.intsort)
    if (value === "" || value === "1") return Effect.succeed(1)
    if (value === "2") return Effect.succeed(2)
    return Effect.fail(rejected(`intsort must be 1 (company) or 2 (person), not '${value}'`, "intsort"))
  }

  /** The customer a duplicate refusal is about, when a list filter finds it cheaply (there is no mobile filter). */
  const colliding = (field: string | undefined, fields: Fields) => {
    const value = comparable(fields[field ?? ""])
    const filter: Readonly<Record<string, string>> | undefined =
      field === "name"
        ? { name: value }
        : field === "khid"
          ? { khid: value }
          : field === "mobile"
            ? { searchKey: value }
            : undefined
    if (value === "" || filter === undefined || field === undefined) return Effect.succeed(Option.none<string>())
    const exact = (row: OrdRow) =>
      field === "khid"
        ? client.customerDetail(Number(row.ord)).pipe(Effect.map(Option.exists((d) => d.fields.khid === value)))
        : Effect.succeed(row[field] === value)
    // best effort: one page of candidates, and a failed lookup leaves the collision without the other's id
    return findExact(client, pageSize, filter, exact, pageSize).pipe(Effect.orElseSucceed(() => Option.none<string>()))
  }

  /** The client's error as the core's; a duplicate refusal names the customer it collides with when it can. */
  const failWith = (fields: Fields) => (error: ZhibangError) =>
    error._tag === "ZhibangRejectedError" && error.reason === "duplicate"
      ? colliding(error.field, fields).pipe(
          Effect.flatMap((other) =>
            Effect.fail(toAdapterError(name, error, Option.getOrUndefined(Option.map(other, RecordId.make))))
          )
        )
      : Effect.fail(fail(error))

  const create: SyncAdapter["create"] = ({ fields, reserve }) =>
    Effect.gen(function* () {
      const intsort = yield* intsortOf(fields)
      const ord = yield* client
        .createCustomer({
          intsort,
          fields: toWire(fields, { create: true, truncatable }),
          beforeSave: (ord) => reserve(String(ord))
        })
        .pipe(Effect.catchAll(failWith(fields)))
      // no version: the save answers only the id, and a version is a list row's hash, which only a list call gives
      return { id: RecordId.make(String(ord)) }
    })

  const findCreated: SyncAdapter["findCreated"] = ({ fields, provisionalId }) =>
    Effect.gen(function* () {
      // an allocated id is this create's alone: a saved customer under it (a placeholder has no name) is the create
      if (Option.isSome(provisionalId)) {
        const detail = yield* detailOf(RecordId.make(provisionalId.value))
        if (Option.isSome(detail) && comparable(detail.value.fields.name) !== "")
          return Option.some(RecordId.make(provisionalId.value))
      }
      const khid = comparable(fields.khid)
      if (khid === "") return Option.none()
      const found = yield* findExact(client, pageSize, { khid }, (row) =>
        client.customerDetail(Number(row.ord)).pipe(Effect.map(Option.exists((d) => d.fields.khid === khid)))
      )
      return Option.map(found, RecordId.make)
    }).pipe(Effect.mapError(fail))

  const update: SyncAdapter["update"] = ({ id, changes, expected, asStored }) =>
    Effect.gen(function* () {
      const detail = yield* detailOf(id).pipe(Effect.mapError(fail))
      if (Option.isNone(detail)) return yield* rejected(`ERP customer ${id} no longer exists (deleted in the ERP)`)
      const current = detail.value.fields
      const toWrite: Record<string, Fields[string]> = {}
      const overwritten: Record<string, Fields[string]> = {}
      for (const [field, value] of Object.entries(changes)) {
        if (!(field in current)) return yield* rejected(`'${field}' is not a field of the ERP's customer page`, field)
        // A value put back as stored counts as held only when the ERP holds exactly it, not a trimmed likeness.
        if (asStored ? sameStored(current[field], value) : sameValue(current[field], value)) continue
        if (field in expected && !sameValue(current[field], expected[field])) {
          return yield* new StaleError({
            adapter: name,
            field,
            message: `ERP customer ${id}: '${field}' changed in the ERP since it was read`
          })
        }
        toWrite[field] = value
        overwritten[field] = current[field] ?? null
      }
      if (Object.keys(toWrite).length === 0) return { overwritten }
      yield* forget(id)
      yield* client
        .saveCustomer(
          { ...requiredOf(detail.value), ...toWire(toWrite, { create: false, truncatable }), ord: detail.value.ord },
          detail.value.intsort
        )
        .pipe(Effect.catchAll(failWith(changes)))
      return { overwritten }
    })

  /** Fields the sync last wrote that the ERP no longer holds; a field the ERP may have cut to its limit is not judged. */
  const changedSince = (current: Fields, written: Fields): ReadonlyArray<string> =>
    Object.entries(written)
      .filter(([field, value]) => field in current && !truncatable.has(field) && !sameValue(current[field], value))
      .map(([field]) => field)

  /**
   * The ERP's API cannot delete: a customer that still holds what the sync last wrote is withdrawn for a person to
   * delete; one someone changed since is theirs, and is kept as it is (not moved to the public pool).
   */
  const compensateCreate = ({ id, written }: CompensateRequest): Effect.Effect<Compensation, AdapterError> =>
    Effect.gen(function* () {
      const detail = yield* detailOf(id)
      if (Option.isNone(detail)) return { _tag: "Deleted" } as const
      const changed = changedSince(detail.value.fields, written)
      if (changed.length > 0) {
        return {
          _tag: "Kept",
          note: `ERP customer ${id} was changed in the ERP since the sync wrote it (${changed.join(", ")}); kept as it is`
        } as const
      }
      const { toPublicPool, note } = withdraw
      yield* forget(id)
      if (toPublicPool) yield* client.assign(detail.value.ord, { member1: 1, member2: "" })
      const intro = detail.value.fields.intro ?? ""
      if (note !== "" && !intro.startsWith(note)) {
        yield* client.saveCustomer(
          { ...requiredOf(detail.value), intro: intro === "" ? note : `${note}\n${intro}`, ord: detail.value.ord },
          detail.value.intsort
        )
      }
      const done = [
        toPublicPool ? "moved to the public pool" : "",
        note !== "" ? `marked "${note}" in its notes` : ""
      ].filter(Boolean)
      return {
        _tag: "Withdrawn",
        note: `ERP customer ${id} cannot be deleted through the ERP's API: ${done.join(" and ") || "left as it is"}; a person must delete it in the ERP.`
      } as const
    }).pipe(Effect.mapError(fail))

  return { create, findCreated, update, compensateCreate } satisfies Partial<SyncAdapter>
}
