/**
 * How the SQL table adapter is set up: in code or a configuration file (`SqlTableOptions`, decoded with
 * `decodeSqlTableOptions`) or from the environment (`SqlTableConfig`, `TONGBU_SQL_TABLE_*`).
 */
import { Config, ConfigError, Either, Option, ParseResult, Schema } from "effect"

/**
 * A table or column name the adapter may put in a statement: letters, digits and `_`, not starting with a digit.
 * Statements quote it too; anything else is refused here, so no configured name can change a statement's meaning.
 */
export const Identifier = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, {
    message: (issue) =>
      `${JSON.stringify(issue.actual)} is not a plain SQL name (letters, digits and _, not starting with a digit)`
  })
)

const Positive = Schema.Int.pipe(Schema.positive({ message: () => "must be a positive whole number" }))
const NonNegative = Schema.Int.pipe(Schema.nonNegative({ message: () => "must be zero or a positive whole number" }))

/**
 * How the table shows that a row changed, table-wide and only upward, so a listing can resume after it:
 * `counter`, a number each write sets above every other row's (a trigger `max(version) + 1`; the adapter's own
 * writes do so), or `updatedAt`, epoch milliseconds of the last change (the adapter writes `max(now, max + 1)`).
 */
export const VersionKind = Schema.Literal("counter", "updatedAt")

export class SqlTableOptions extends Schema.Class<SqlTableOptions>("@tongbu/adapter-sql-table/SqlTableOptions")({
  /** The SQLite file; it must exist (the adapter never creates or alters a table). */
  path: Schema.NonEmptyTrimmedString,
  table: Identifier,
  /** The primary key (or a unique column): `RecordId`. INTEGER or TEXT. */
  idColumn: Identifier,
  /** Record field → column, for every column the sync reads and writes. */
  columns: Schema.Record({ key: Schema.NonEmptyTrimmedString, value: Identifier }).pipe(
    Schema.filter((columns) => Object.keys(columns).length > 0 || "map at least one field to a column")
  ),
  versionColumn: Identifier,
  versionKind: Schema.optionalWith(VersionKind, { default: () => "counter" as const, exact: true }),
  /**
   * A column the adapter keeps each create's idempotency key in: a create repeated after a lost answer finds its
   * row there. Without it, a create reserves its id first (see the README).
   */
  keyColumn: Schema.optional(Identifier),
  /** Fields no two rows may share, beyond those the table's own unique indexes guard. */
  unique: Schema.optionalWith(Schema.Array(Schema.NonEmptyTrimmedString), { default: () => [], exact: true }),
  /** The adapter's name in errors and reports. */
  name: Schema.optionalWith(Schema.NonEmptyTrimmedString, { default: () => "sql-table", exact: true }),
  /** Rows per listing query. */
  pageSize: Schema.optionalWith(Positive, { default: () => 500, exact: true }),
  /** How long a statement waits for another writer's lock before failing as transient (SQLite's busy timeout). */
  busyTimeoutMs: Schema.optionalWith(NonNegative, { default: () => 1000, exact: true }),
  /** `updatedAt` only: an incremental listing starts this long before its checkpoint, for writers' clock skew. */
  lookbackMs: Schema.optionalWith(NonNegative, { default: () => 0, exact: true })
}) {}

/** Options given in code or a file, before defaults: what `SqlTableOptions` decodes from. */
export type SqlTableOptionsInput = typeof SqlTableOptions.Encoded

/** Options that cannot work: each problem names its key, e.g. `columns.mobile: "mobile no" is not a plain SQL name`. */
export class SqlTableConfigError extends Schema.TaggedError<SqlTableConfigError>()("SqlTableConfigError", {
  issues: Schema.Array(Schema.String),
  message: Schema.String
}) {}

const decode = Schema.decodeUnknownEither(SqlTableOptions, { errors: "all", onExcessProperty: "error" })

/** Decodes options, naming every key that is wrong. */
export const decodeSqlTableOptions = (input: unknown): Either.Either<SqlTableOptions, SqlTableConfigError> =>
  Either.mapLeft(decode(input), (error) => {
    const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
      issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`
    )
    return new SqlTableConfigError({ issues, message: `the SQL table options are wrong: ${issues.join("; ")}` })
  })

/** `field=column` pairs separated by commas, as `TONGBU_SQL_TABLE_COLUMNS` gives them. */
const parsePairs = (text: string): Either.Either<Record<string, string>, string> => {
  const columns: Record<string, string> = {}
  for (const pair of text.split(",")) {
    const [field, column, ...rest] = pair.split("=").map((part) => part.trim())
    if (!field || !column || rest.length > 0) return Either.left(`"${pair.trim()}" is not field=column`)
    columns[field] = column
  }
  return Either.right(columns)
}

/** The options that were given: an absent one takes its default when decoded. */
const somes = (options: Record<string, Option.Option<unknown>>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(options).flatMap(([key, value]) => (Option.isSome(value) ? [[key, value.value]] : []))
  )

/**
 * The environment: `TONGBU_SQL_TABLE_PATH`, `_TABLE`, `_ID_COLUMN`, `_COLUMNS` (`field=column,…`), `_VERSION_COLUMN`
 * (required), and `_VERSION_KIND`, `_KEY_COLUMN`, `_UNIQUE` (fields, comma-separated), `_NAME`, `_PAGE_SIZE`,
 * `_BUSY_TIMEOUT_MS`, `_LOOKBACK_MS`.
 */
export const SqlTableConfig: Config.Config<SqlTableOptions> = Config.all([
  Config.all({
    path: Config.string("TONGBU_SQL_TABLE_PATH"),
    table: Config.string("TONGBU_SQL_TABLE_TABLE"),
    idColumn: Config.string("TONGBU_SQL_TABLE_ID_COLUMN"),
    columns: Config.string("TONGBU_SQL_TABLE_COLUMNS").pipe(
      Config.mapOrFail((text) =>
        Either.mapLeft(parsePairs(text), (problem) =>
          ConfigError.InvalidData(["TONGBU_SQL_TABLE_COLUMNS"], `${problem}; write field=column,field=column`)
        )
      )
    ),
    versionColumn: Config.string("TONGBU_SQL_TABLE_VERSION_COLUMN")
  }),
  Config.all({
    versionKind: Config.option(Config.string("TONGBU_SQL_TABLE_VERSION_KIND")),
    keyColumn: Config.option(Config.string("TONGBU_SQL_TABLE_KEY_COLUMN")),
    unique: Config.option(Config.array(Config.string(), "TONGBU_SQL_TABLE_UNIQUE")),
    name: Config.option(Config.string("TONGBU_SQL_TABLE_NAME")),
    pageSize: Config.option(Config.integer("TONGBU_SQL_TABLE_PAGE_SIZE")),
    busyTimeoutMs: Config.option(Config.integer("TONGBU_SQL_TABLE_BUSY_TIMEOUT_MS")),
    lookbackMs: Config.option(Config.integer("TONGBU_SQL_TABLE_LOOKBACK_MS"))
  })
]).pipe(
  Config.mapOrFail(([required, optional]) =>
    Either.mapLeft(decodeSqlTableOptions({ ...required, ...somes(optional) }), (error) =>
      ConfigError.InvalidData(["TONGBU_SQL_TABLE"], error.issues.join("; "))
    )
  )
)
