import type { HeldValue } from "@tongbu/core"
import { AuxiliaryUnavailable, RecordId } from "@tongbu/core"
import { Effect, Stream } from "effect"
import type { ZhibangClientService } from "../../ZhibangClient.js"
import type { ZhibangError } from "../../ZhibangError.js"
import { isPageUnknown, ZhibangFatalError } from "../../ZhibangError.js"
import type { OrdRow } from "./listing.js"
import { contacts, listRows } from "./listing.js"

/** Contact columns the ERP's duplicate check compares a customer's mobile with. */
const mobileColumns = ["mobile", "mobile2"] as const

/**
 * Every mobile the ERP's contacts hold, each as held by the contact's customer: the values a customer's `mobile` must
 * not repeat (sync-rules §5), although the customer list shows none of them. One listing of the contacts, by pages.
 * A contact list the account may not read, that the installation does not have, or that shows no `company` column
 * is `AuxiliaryUnavailable`: the ERP's own duplicate check still guards the save, so the run goes on without it.
 */
export const contactMobiles = (
  adapter: string,
  client: ZhibangClientService,
  pageSize: number
): Stream.Stream<HeldValue, ZhibangError | AuxiliaryUnavailable> =>
  listRows(contacts(client), pageSize).pipe(
    Stream.mapConcatEffect((row) =>
      Effect.map(companyOf(adapter, row), (company) =>
        mobileColumns.flatMap((column) => {
          const value = row[column]?.trim() ?? ""
          return value === ""
            ? []
            : [{ field: "mobile", value, id: company, holder: `contact ${row.ord} of ERP customer ${company}` }]
        })
      )
    ),
    Stream.catchAll((error) =>
      Stream.fail(
        error._tag === "ZhibangFatalError" || isPageUnknown(error)
          ? new AuxiliaryUnavailable({ adapter, listing: "contacts", message: error.message })
          : error
      )
    )
  )

const companyOf = (adapter: string, row: OrdRow): Effect.Effect<RecordId, ZhibangFatalError | AuxiliaryUnavailable> => {
  const company = row.company?.trim() ?? ""
  if (/^\d+$/.test(company)) return Effect.succeed(RecordId.make(company))
  if (row.company === undefined)
    return new AuxiliaryUnavailable({
      adapter,
      listing: "contacts",
      message: `the ERP's contact list shows the columns ${Object.keys(row)
        .map((column) => `'${column}'`)
        .join(", ")} but no 'company' column, which names each contact's customer`
    })
  return new ZhibangFatalError({
    operation: "list contacts",
    message: `contact ${row.ord} in the ERP's contact list names no customer (company '${company}')`
  })
}
