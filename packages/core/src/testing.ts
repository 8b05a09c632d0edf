import { describe, it } from "@effect/vitest"
import type { Scope } from "effect"
import { Effect } from "effect"
import type { SyncAdapter } from "./Adapter.js"
import type { Fields, FieldValue, RecordId } from "./Domain.js"
import { compensationTests } from "./internal/conformance/compensation.js"
import { createTests } from "./internal/conformance/creates.js"
import { errorTests } from "./internal/conformance/errors.js"
import type { Register } from "./internal/conformance/helpers.js"
import { writeTests } from "./internal/conformance/writes.js"
import { actionTests } from "./internal/storeConformance/actions.js"
import { copyTests } from "./internal/storeConformance/copy.js"
import { fencingTests } from "./internal/storeConformance/fencing.js"
import type { Register as StoreRegister } from "./internal/storeConformance/helpers.js"
import { leaseTests } from "./internal/storeConformance/lease.js"
import { linkTests } from "./internal/storeConformance/links.js"
import { outboxTests } from "./internal/storeConformance/outbox.js"
import { runTests } from "./internal/storeConformance/runs.js"
import type { PropParams } from "./internal/syncProperties/properties.js"
import { registerSyncProperties } from "./internal/syncProperties/properties.js"
import type { SyncStoreService } from "./SyncStore.js"

/** What the conformance suite needs to drive one adapter. */
export interface ConformanceSubject {
  readonly adapter: SyncAdapter
  /** Valid native fields for a new record; different `i` never collide on a unique field. */
  readonly sampleFields: (i: number) => Fields
  /**
   * A native field the adapter can update, and two values for it, different from each other and from the samples'.
   * `stored`: a value of it a person may enter that the side keeps as entered but reads in another form (text with
   * spaces around it, read trimmed), for the check that an update reports what it overwrote as stored; default
   * `values[1]`.
   */
  readonly update: {
    readonly field: string
    readonly values: readonly [FieldValue, FieldValue]
    readonly stored?: FieldValue
  }
  /** A person changes a record outside the sync (in the system's own screens). */
  readonly editOutOfBand: (id: RecordId, fields: Fields) => Effect.Effect<void, unknown>
  /** The comparable form of a record's fields, as the adapter stores them; default: the sample's own fields. */
  readonly project?: (fields: Fields) => Fields
  /**
   * A well-formed id no record has (for numeric ids, a number no row holds), so that a missing record is looked for
   * where the side keeps records, not refused as malformed before it gets there.
   */
  readonly missingId: RecordId
  /** An id the side could never have (default "conformance-malformed-0"). */
  readonly malformedId?: RecordId
  /** An action the side performs on a record (default: kind "conformance", empty payload). */
  readonly action?: { readonly kind: string; readonly payload: Fields }
}

export interface ConformanceOptions {
  /** Records created for the listing test: set it above the adapter's page size to cross a page (default 12). */
  readonly listCount?: number
  /** The adapter honours `since` and gives checkpoints (default true). */
  readonly incremental?: boolean
  /** A `since` listing holds only records changed after it, not a superset (default false). */
  readonly exactSince?: boolean
  /** Run on Effect's TestClock instead of the live clock (default false: adapters that pace calls need real time). */
  readonly testClock?: boolean
  /**
   * A native field of the samples no two records may share (a mobile): a create or update giving it another record's
   * value must fail with `CollisionError` naming that record. Set it for every side that has one.
   */
  readonly unique?: string
  /** Per-test timeout in milliseconds. */
  readonly timeout?: number
}

/** One check of the suite, to run on its own: `conformance` registers each as a test. */
export interface ConformanceCheck {
  readonly title: string
  readonly run: Effect.Effect<void, unknown, Scope.Scope>
}

type Make<E> =
  | Effect.Effect<ConformanceSubject, E, Scope.Scope>
  | (() => Effect.Effect<ConformanceSubject, E, Scope.Scope>)

/**
 * Registers a `describe` block of the tests every `SyncAdapter` must pass. Each test gets a fresh subject from `make`
 * (scoped: a server or a database file opened there is closed after the test).
 */
export const conformance = <E>(name: string, make: Make<E>, options: ConformanceOptions = {}): void => {
  const test = options.testClock ? it.scoped : it.scopedLive
  describe(`${name} conforms to SyncAdapter`, () => {
    for (const check of conformanceChecks(make, options)) test(check.title, () => check.run, options.timeout)
  })
}

/**
 * The suite's checks as values, each with a fresh subject from `make`: run one to see how an adapter fails it (an
 * assertion that fails is a defect whose message says what the adapter did wrong).
 */
export const conformanceChecks = <E>(
  make: Make<E>,
  options: ConformanceOptions = {}
): ReadonlyArray<ConformanceCheck> => {
  const subjectOf = typeof make === "function" ? make : () => make
  const checks: Array<ConformanceCheck> = []
  const register: Register = (title, body) => {
    checks.push({ title, run: Effect.flatMap(Effect.suspend(subjectOf), body) })
  }
  createTests(register, options)
  writeTests(register, options)
  compensationTests(register)
  errorTests(register, options)
  return checks
}

/**
 * One fresh, empty database for one store conformance test (a SQLite file in a temporary directory; a PostgreSQL
 * schema, or a pair id no other test uses), released when the test's scope closes.
 */
export interface StoreDatabase {
  /**
   * Opens one more store instance over this test's database and pair: its own connection and its own fencing, as a
   * second runner would have. Each instance is closed when the test's scope closes.
   */
  readonly open: Effect.Effect<SyncStoreService, unknown, Scope.Scope>
}

export interface StoreConformanceOptions {
  /** Operations drawn for the round-trip property (default 30). */
  readonly runs?: number
  /** The property's seed (default 101, fixed so every run checks the same cases; printed when it fails). */
  readonly seed?: number
  /** Per-test timeout in milliseconds. */
  readonly timeout?: number
}

/** One check of the store suite, to run on its own: `storeConformance` registers each as a test. */
export interface StoreConformanceCheck {
  readonly title: string
  readonly run: Effect.Effect<void, unknown, Scope.Scope>
}

/**
 * The store suite's checks as values, each with a fresh database from `database`. The checks run on Effect's
 * `TestClock`: a store must read the time (run start, lease expiry) from Effect's `Clock`.
 */
export const storeConformanceChecks = <E>(
  database: Effect.Effect<StoreDatabase, E, Scope.Scope>,
  options: StoreConformanceOptions = {}
): ReadonlyArray<StoreConformanceCheck> => {
  const checks: Array<StoreConformanceCheck> = []
  const register: StoreRegister = (title, body) => {
    checks.push({ title, run: Effect.flatMap(database, body) })
  }
  linkTests(register)
  runTests(register, options)
  outboxTests(register)
  actionTests(register)
  leaseTests(register)
  fencingTests(register)
  copyTests(register, database)
  return checks
}

/**
 * Registers a `describe` block of the tests every `SyncStore` must pass: links and baselines, runs and the outbox,
 * journal batches, outcomes, parked actions, conflicts, what each side was told and shows, checkpoints, the lease
 * and its fencing, an export imported into another (fresh) database. Each test gets a fresh database from `database`.
 */
export const storeConformance = <E>(
  name: string,
  database: Effect.Effect<StoreDatabase, E, Scope.Scope>,
  options: StoreConformanceOptions = {}
): void => {
  describe(`${name} conforms to SyncStore`, () => {
    for (const check of storeConformanceChecks(database, options))
      it.scoped(check.title, () => check.run, options.timeout)
  })
}

/**
 * Registers the copy checks of the store suite across two stores: each source from `source` populated, exported and
 * imported into a fresh target from `target` (SQLite into PostgreSQL, say), which must answer every query the same.
 */
export const storeCopyConformance = <E1, E2>(
  name: string,
  source: Effect.Effect<StoreDatabase, E1, Scope.Scope>,
  target: Effect.Effect<StoreDatabase, E2, Scope.Scope>,
  options: Pick<StoreConformanceOptions, "timeout"> = {}
): void => {
  describe(`${name}: an export of one store imported into another`, () => {
    const checks: Array<StoreConformanceCheck> = []
    copyTests((title, body) => {
      checks.push({ title, run: Effect.flatMap(source, body) })
    }, target)
    for (const check of checks) it.scoped(check.title, () => check.run, options.timeout)
  })
}

export type { PropParams } from "./internal/syncProperties/properties.js"

/**
 * Registers the sync's properties (it converges, keeps its policies, is crash safe, rolls back) over two in-memory
 * sides and the store `store` opens: a fresh, empty store each time it runs (several worlds per case). `fastCheck`
 * sets each property's runs and seed (default 15 runs, seed 101); a failure prints the seed and path to replay.
 */
export const syncProperties = <E>(
  name: string,
  store: Effect.Effect<SyncStoreService, E, Scope.Scope>,
  fastCheck: PropParams = { numRuns: 15, seed: 101 }
): void => {
  describe(`Sync properties over ${name}`, () => registerSyncProperties(store, fastCheck))
}
