import type { HeldValue } from "@tongbu/core"
import { RecordId } from "@tongbu/core"
import { Effect, Stream } from "effect"
import type { ZhibangClientService } from "../../ZhibangClient.js"
import type { ZhibangError } from "../../ZhibangError.js"
import { ZhibangFatalError } from "../../ZhibangError.js"
import type { OrdRow } from "./listing.js"
import { contacts, listRows } from "./listing.js"

/** Contact columns the ERP's duplicate check compares a customer's mobile with. */
const mobileColumns = ["mobile", "mobile2"] as const

/**
 * Every mobile the ERP's contacts hold, each as held by the contact's customer: the values a customer's `mobile` must
 * not repeat (sync-rules §5), although the customer list shows none of them. One listing of the contacts, by pages.
 */
export const contactMobiles = (
  client: ZhibangClientService,
  pageSize: number
): Stream.Stream<HeldValue, ZhibangError> =>
  listRows(contacts(client), pageSize).pipe(
    Stream.mapConcatEffect((row) =>
      Effect.map(companyOf(row), (company) =>
        mobileColumns.flatMap((column) => {
          const value = row[column]?.trim() ?? ""
          return value === ""
            ? []
            : [{ field: "mobile", value, id: company, holder: `contact ${row.ord} of ERP customer ${company}` }]
        })
      )
    )
  )

const companyOf = (row: OrdRow): Effect.Effect<RecordId, ZhibangFatalError> => {
  const company = row.company?.trim() ?? ""
  if (/^\d+$/.test(company)) return Effect.succeed(RecordId.make(company))
  return new ZhibangFatalError({
    operation: "list contacts",
    message:
      row.company === undefined
        ? "the ERP's contact list has no 'company' column; the list must show each contact's customer for the sync to check mobiles against contacts"
        : `contact ${row.ord} in the ERP's contact list names no customer (company '${company}')`
  })
}
