import type { Fields } from "@tongbu/core"
import { RightAdapter } from "@tongbu/core"
import { conformance } from "@tongbu/core/testing"
import { Effect, Layer } from "effect"
import { comparable } from "../src/internal/adapter/records.js"
import { adapterOn, customerFields, makeMock } from "./helpers.js"

const sampleKeys = Object.keys(customerFields(0))

conformance(
  "ZhibangAdapter over the mock ERP",
  () =>
    Effect.gen(function* () {
      const mock = makeMock()
      const context = yield* Layer.build(adapterOn(mock, {}, { pageSize: 5 }))
      const adapter = yield* Effect.provide(RightAdapter, context)
      return {
        adapter,
        sampleFields: (i: number) => customerFields(1000 + i),
        // the office phone is a list column: changing it changes the listing's version
        update: { field: "phone", values: ["010-88886666", "021-55554444"] as const },
        editOutOfBand: (id, fields: Fields) =>
          Effect.sync(() =>
            mock.control.editCustomer(
              Number(id),
              Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, comparable(v)]))
            )
          ),
        // the ERP gives every value back as text
        project: (fields: Fields) => Object.fromEntries(sampleKeys.map((key) => [key, comparable(fields[key])])),
        missingId: "987654" as never,
        action: { kind: "followUp", payload: { intro: "106" } }
      }
    }),
  { listCount: 12, incremental: false, unique: "mobile" }
)
