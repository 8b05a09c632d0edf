import type { RecordId } from "@tongbu/core"
import { conformance } from "@tongbu/core/testing"
import { Effect } from "effect"
import { SqlTableAdapter } from "../src/index.js"
import { baseOptions, customerTable, personEdits, tempDatabase } from "./helpers.js"

const subject = (options: { readonly textIds?: boolean; readonly keyColumn?: boolean; readonly pageSize?: number }) =>
  Effect.gen(function* () {
    const { path, db } = yield* tempDatabase(customerTable(options))
    const idColumn = options.textIds ? "code" : "id"
    const adapter = yield* SqlTableAdapter.make(
      baseOptions(path, {
        idColumn,
        pageSize: options.pageSize ?? 500,
        ...(options.keyColumn ? { keyColumn: "sync_key" } : {})
      })
    )
    return {
      adapter,
      sampleFields: (i: number) => ({
        name: `Customer ${i}`,
        mobile: `1380000${String(i).padStart(4, "0")}`,
        level: 1
      }),
      update: { field: "name", values: ["Renamed A", "Renamed B"] as const },
      editOutOfBand: personEdits(db, idColumn),
      missingId: (options.textIds ? "no-such-code" : "987654") as RecordId
    }
  })

conformance("SQL table (integer ids, reserved ids, pages of 5)", subject({ pageSize: 5 }), {
  unique: "mobile",
  listCount: 12,
  exactSince: true
})
conformance("SQL table (integer ids, key column)", subject({ keyColumn: true }), { exactSince: true, unique: "mobile" })
conformance("SQL table (text ids, key column, pages of 5)", subject({ textIds: true, keyColumn: true, pageSize: 5 }), {
  exactSince: true
})
