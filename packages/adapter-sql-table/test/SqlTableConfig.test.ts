import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either } from "effect"
import { decodeSqlTableOptions, SqlTableAdapter, SqlTableConfig } from "../src/index.js"
import { baseOptions, customerTable, tempDatabase } from "./helpers.js"

describe("SqlTableOptions", () => {
  it("fills the defaults", () => {
    const options = Either.getOrThrow(decodeSqlTableOptions(baseOptions("/srv/crm/crm.db")))
    expect(options).toMatchObject({ versionKind: "counter", name: "sql-table", pageSize: 500, unique: [] })
  })

  it("names every key that is wrong, and refuses names that are not plain SQL names", () => {
    const result = decodeSqlTableOptions({
      ...baseOptions("/srv/crm/crm.db"),
      table: 'customers"; DROP TABLE customers; --',
      columns: { name: "full name", mobile: "mobile" },
      pageSize: 0,
      extra: true
    })
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left.issues).toEqual([
        'extra: is unexpected, expected: "path" | "table" | "idColumn" | "columns" | "versionColumn" | "versionKind" | "keyColumn" | "unique" | "name" | "pageSize" | "busyTimeoutMs" | "lookbackMs"',
        'table: "customers\\"; DROP TABLE customers; --" is not a plain SQL name (letters, digits and _, not starting with a digit)',
        'columns.name: "full name" is not a plain SQL name (letters, digits and _, not starting with a digit)',
        "pageSize: must be a positive whole number"
      ])
      expect(result.left.message).toMatch(/^the SQL table options are wrong: extra: is unexpected/)
    }
  })

  it.effect("reads TONGBU_SQL_TABLE_* from the environment, columns as field=column pairs", () =>
    Effect.gen(function* () {
      const provider = ConfigProvider.fromMap(
        new Map([
          ["TONGBU_SQL_TABLE_PATH", "/srv/crm/crm.db"],
          ["TONGBU_SQL_TABLE_TABLE", "customers"],
          ["TONGBU_SQL_TABLE_ID_COLUMN", "id"],
          ["TONGBU_SQL_TABLE_COLUMNS", "name=full_name, mobile=mobile"],
          ["TONGBU_SQL_TABLE_VERSION_COLUMN", "row_version"],
          ["TONGBU_SQL_TABLE_UNIQUE", "mobile"],
          ["TONGBU_SQL_TABLE_PAGE_SIZE", "50"]
        ])
      )
      const options = yield* Effect.withConfigProvider(SqlTableConfig, provider)
      expect(options).toMatchObject({
        columns: { name: "full_name", mobile: "mobile" },
        unique: ["mobile"],
        pageSize: 50
      })
      const bad = yield* Effect.flip(
        Effect.withConfigProvider(
          SqlTableConfig,
          ConfigProvider.fromMap(new Map([...provider_entries(), ["TONGBU_SQL_TABLE_COLUMNS", "name"]]))
        )
      )
      expect(String(bad)).toContain('"name" is not field=column')
    })
  )
})

const provider_entries = (): Array<[string, string]> => [
  ["TONGBU_SQL_TABLE_PATH", "/srv/crm/crm.db"],
  ["TONGBU_SQL_TABLE_TABLE", "customers"],
  ["TONGBU_SQL_TABLE_ID_COLUMN", "id"],
  ["TONGBU_SQL_TABLE_VERSION_COLUMN", "row_version"]
]

describe("opening the table", () => {
  it.scoped("names each configured column the table lacks", () =>
    Effect.gen(function* () {
      const { path } = yield* tempDatabase(customerTable())
      const error = yield* Effect.flip(
        SqlTableAdapter.make(
          baseOptions(path, { columns: { name: "full_name", email: "email" }, keyColumn: "sync_key" })
        )
      )
      expect(error).toMatchObject({
        _tag: "SqlTableSchemaError",
        problems: [
          "column customers.email (columns.email) is missing",
          "column customers.sync_key (keyColumn) is missing"
        ]
      })
    })
  )

  it.scoped("refuses an id column that is not unique, and a missing table", () =>
    Effect.gen(function* () {
      const { path } = yield* tempDatabase(customerTable())
      const notUnique = yield* Effect.flip(SqlTableAdapter.make(baseOptions(path, { idColumn: "level" })))
      expect(notUnique.message).toContain("column customers.level (idColumn) is neither the primary key nor unique")
      const noTable = yield* Effect.flip(SqlTableAdapter.make(baseOptions(path, { table: "clients" })))
      expect(noTable.message).toContain("table clients is missing")
    })
  )

  it.scoped("a file that is not there or not SQLite is a SqlTableOpenError naming it", () =>
    Effect.gen(function* () {
      const missing = yield* Effect.flip(SqlTableAdapter.make(baseOptions("/nonexistent/crm.db")))
      expect(missing).toMatchObject({ _tag: "SqlTableOpenError", path: "/nonexistent/crm.db" })
      expect(missing.message).toContain("cannot open the SQLite file /nonexistent/crm.db")
    })
  )
})
