import type { HttpClient } from "@effect/platform"
import type { Scope } from "effect"
import { Effect, Option, Ref } from "effect"
import type { Intsort, ListQuery, NewCustomer, ObservedShapes, ZhibangClientService } from "../ZhibangClient.js"
import type { ZhibangClientConfig } from "../ZhibangConfig.js"
import { ZhibangRejectedError, ZhibangTransientError } from "../ZhibangError.js"
import type { V1Call } from "./call.js"
import { makeCaller } from "./call.js"
import { resolve } from "./config.js"
import * as Customer from "./customer.js"
import type { LimitedPage } from "./fields.js"
import { captionKey, overLimit } from "./fields.js"
import { makeSession } from "./session.js"
import { makeTransport } from "./transport.js"
import { listUsers } from "./users.js"
import type { Bill } from "./wire/answer.js"
import { billFields } from "./wire/answer.js"
import { classifySave, Verdict } from "./wire/classify.js"
import type { WireFields } from "./wire/envelope.js"
import { Commands, Pages } from "./wire/envelope.js"

const checkLimits = (
  operation: string,
  page: LimitedPage,
  fields: WireFields
): Effect.Effect<void, ZhibangRejectedError> => {
  const over = overLimit(page, fields)
  return over === undefined
    ? Effect.void
    : new ZhibangRejectedError({
        operation,
        reason: "tooLong",
        field: over.field,
        message: `${over.field} is ${over.length} characters long; the ERP allows at most ${over.limit}`
      })
}

export const makeClient = (
  config: ZhibangClientConfig
): Effect.Effect<ZhibangClientService, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const resolved = resolve(config)
    // `fromEnv` validates these; a caller passing its own settings gets told plainly rather than a client that hangs
    for (const [name, value] of [
      ["maxInFlight", resolved.maxInFlight],
      ["requestsPerSecond", resolved.requestsPerSecond]
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        return yield* Effect.dieMessage(`ZhibangClient: ${name} must be a whole number of at least 1, not ${value}`)
      }
    }
    const transport = yield* makeTransport(resolved)
    const session = yield* makeSession(resolved, transport)
    const caller = makeCaller(resolved, transport, session)
    const createLock = yield* Effect.makeSemaphore(1)
    /** Captions read from the installation's own bills, to name the field of a refusal (`此手机【X】已存在！`). */
    const captions = yield* Ref.make<ReadonlyMap<string, string>>(new Map())
    const observed = yield* Ref.make<ObservedShapes>({ rowShapes: [], emptyForms: [], coerced: [] })
    yield* Effect.addFinalizer(() => session.logout)

    const observe = (shape: Customer.ListShape) =>
      Ref.update(
        observed,
        (seen): ObservedShapes => ({
          rowShapes: [...new Set([...seen.rowShapes, ...shape.rowShapes])],
          emptyForms:
            shape.emptyForm === undefined ? seen.emptyForms : [...new Set([...seen.emptyForms, shape.emptyForm])],
          coerced:
            shape.numericCells && !seen.coerced.includes("numeric cells")
              ? [...seen.coerced, "numeric cells"]
              : seen.coerced
        })
      )

    const learn = (bill: Bill) =>
      Ref.update(captions, (known) => {
        const next = new Map(known)
        for (const field of billFields(bill)) if (field.caption) next.set(captionKey(field.caption), field.id)
        return next
      })

    /** A page that answers a bill (allocation, detail): the bill, or the page's message classified. */
    const billOf = (operation: string, call: Omit<V1Call, "operation" | "write" | "interpret">) =>
      caller
        .v1({
          ...call,
          operation,
          write: false,
          interpret: (body) => (body.bill ? Verdict.Ok({ body }) : classifySave(body))
        })
        .pipe(
          Effect.flatMap((body) =>
            body.bill
              ? Effect.succeed(body.bill)
              : new ZhibangTransientError({
                  operation,
                  message: "the ERP answered without the record",
                  uncertain: false
                })
          ),
          Effect.tap(learn)
        )

    const save = (operation: string, page: string, fields: WireFields, query?: Readonly<Record<string, string>>) =>
      Effect.flatMap(Ref.get(captions), (learned) =>
        caller.v1({
          operation,
          page,
          ...(query ? { query } : {}),
          cmdkey: Commands.save,
          fields,
          write: true,
          interpret: (body) => classifySave(body, learned)
        })
      )

    const allocate = (intsort: Intsort) =>
      billOf("allocate a customer id", { page: Pages.customer, fields: { intsort, edit: "0", ord: "0" } }).pipe(
        Effect.flatMap((bill) => {
          const ord = Number(bill.value)
          return Number.isSafeInteger(ord) && ord > 0
            ? Effect.succeed(ord)
            : new ZhibangTransientError({
                operation: "allocate a customer id",
                message: "the ERP's answer carries no new id",
                uncertain: false
              })
        })
      )

    const saveCustomer = (fields: WireFields, intsort: Intsort | undefined) => {
      const operation = `save customer ${fields.ord ?? "?"}`
      return checkLimits(operation, "customer", fields).pipe(
        Effect.zipRight(
          save(operation, Pages.customer, fields, intsort === undefined ? undefined : { intsort: String(intsort) })
        ),
        Effect.asVoid
      )
    }

    const createCustomer = <E, R>(customer: NewCustomer<E, R>) =>
      checkLimits("create customer", "customer", customer.fields).pipe(
        Effect.zipRight(
          createLock.withPermits(1)(
            Effect.gen(function* () {
              const ord = yield* allocate(customer.intsort)
              yield* customer.beforeSave(ord)
              yield* saveCustomer({ ...customer.fields, ord }, customer.intsort).pipe(
                Effect.catchIf(
                  (error) => error._tag === "ZhibangRejectedError" && error.reason === "deleted",
                  () =>
                    new ZhibangTransientError({
                      operation: `create customer ${ord}`,
                      message: `the allocated id ${ord} was invalidated before its save (did another program allocate as '${resolved.user}' meanwhile?); nothing was saved`,
                      uncertain: false
                    })
                )
              )
              return ord
            })
          )
        )
      )

    const customerDetail = (ord: number) =>
      billOf(`read customer ${ord}`, { page: Pages.customer, query: { edit: "1" }, fields: { ord, edit: "1" } }).pipe(
        Effect.map((bill) => Option.some(Customer.detail(ord, bill))),
        Effect.catchIf(
          (error): error is ZhibangRejectedError => error._tag === "ZhibangRejectedError" && error.reason === "deleted",
          () => Effect.succeed(Option.none())
        )
      )

    /** A list page (customers, contacts: the same `source/table` answer, spec §4.4 and §4.7). */
    const listPage = (noun: string, page: string) => (query: ListQuery) =>
      caller
        .v1({
          operation: `list ${noun} (page ${query.pageIndex})`,
          page,
          cmdkey: Commands.refresh,
          fields: {
            pageindex: query.pageIndex,
            pagesize: query.pageSize,
            ...(query.sort === undefined ? {} : { _rpt_sort: query.sort }),
            ...query.filters
          },
          write: false,
          interpret: (body) => (body.model === "source" || body.source ? Verdict.Ok({ body }) : classifySave(body))
        })
        .pipe(
          Effect.map((body) => Customer.listPage(query, body)),
          Effect.tap((list) => observe(list.shape))
        )

    const enumeration = (enumid: number) =>
      caller
        .v1({
          operation: `read enumeration ${enumid}`,
          page: Pages.enumeration,
          query: { enumid: String(enumid) },
          fields: {},
          write: false,
          interpret: (body) => (body.model === "source" || body.source ? Verdict.Ok({ body }) : classifySave(body))
        })
        .pipe(Effect.map((body) => (body.source?.options ?? []).map((o) => ({ id: String(o.v), name: String(o.n) }))))

    const listCustomers = listPage("customers", Pages.customerList)
    const listContacts = listPage("contacts", Pages.contactList)

    return {
      createCustomer,
      saveCustomer,
      customerDetail,
      listCustomers,
      listContacts,
      enumeration,
      users: listUsers(caller),
      assign: (ord, assignment) =>
        checkLimits(`assign customer ${ord}`, "assign", assignment).pipe(
          Effect.zipRight(save(`assign customer ${ord}`, Pages.assign, { ord, ...assignment })),
          Effect.asVoid
        ),
      followUp: (ord, followUp) =>
        checkLimits(`follow-up on customer ${ord}`, "followUp", followUp).pipe(
          Effect.zipRight(save(`follow-up on customer ${ord}`, Pages.followUp, { ord, ...followUp })),
          Effect.asVoid
        ),
      saveContact: (fields) =>
        checkLimits(`save contact of customer ${fields.company ?? "?"}`, "contact", fields).pipe(
          Effect.zipRight(save(`save contact of customer ${fields.company ?? "?"}`, Pages.contact, fields)),
          Effect.asVoid
        ),
      v3Customer: (action, body) =>
        caller.v3({
          operation: `${action} customer (V3)`,
          page: action === "add" ? Pages.v3CustomerAdd : Pages.v3CustomerEdit,
          body
        }),
      observedShapes: Ref.get(observed),
      logout: session.logout
    } satisfies ZhibangClientService
  })
