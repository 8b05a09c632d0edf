import { conformance } from "@tongbu/core/testing"
import { Effect } from "effect"
import { CUSTOMER_NAME, customerNameColumn, HubAdapter } from "../src/index.js"
import { hubFixture, hubProcess, rid } from "./helpers.js"

/** The adapter as deployed (intake on), over a generated hub file with messy data, paging in fives. */
const subject = Effect.gen(function* () {
  const summary = yield* hubFixture({ customers: 20, seed: 51, contacts: 6 })
  const adapter = yield* HubAdapter.make({ path: summary.path, pageSize: 5 })
  const hub = yield* hubProcess(summary.path)
  return {
    adapter,
    // what the runner's policy gives a create (no erp_customer_id: the adapter takes it from the create's source)
    sampleFields: (i: number) => ({
      erp_customer_code: `KH${i}`,
      customer_name: `重庆样品${i}号贸易有限公司`,
      phone: `139${String(i).padStart(8, "0")}`,
      erp_customer_type: 1,
      erp_region: "重庆"
    }),
    // a name a person typed with spaces around it: kept so in the row, read trimmed
    update: {
      field: CUSTOMER_NAME,
      values: ["成都新名甲有限公司", "成都新名乙有限公司"] as const,
      stored: "  成都新名乙有限公司 "
    },
    editOutOfBand: (id: string, fields: Record<string, unknown>) =>
      Effect.sync(() => {
        for (const [field, value] of Object.entries(fields)) {
          const column = field === CUSTOMER_NAME ? customerNameColumn(1) : field
          hub
            .prepare(`UPDATE customers_unified SET ${column} = ?, updated_by = 'person' WHERE id = ?`)
            .run(value, Number(id))
        }
      }),
    missingId: rid(987_654)
  }
})

conformance("the WeChat hub adapter", subject, { listCount: 12 })
