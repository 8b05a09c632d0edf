import { Schema } from "effect"

/**
 * Building blocks of `tongbu.yaml` sections, shared by the runner's own keys and each pair's: every key optional with
 * its default, and failures that read "expected <what>, got <value>".
 */

const describe = (value: unknown): string => (value === undefined ? "nothing" : JSON.stringify(value))

/** A schema whose failures read "expected <what>, got <value>", whatever part of it failed. */
export const expecting = <A, I>(schema: Schema.Schema<A, I>, what: string): Schema.Schema<A, I> =>
  schema.annotations({
    message: (issue) => ({ message: `expected ${what}, got ${describe(issue.actual)}`, override: true })
  })

export const withDefault = <S extends Schema.Schema.AnyNoContext>(schema: S, value: () => NoInfer<S["Type"]>) =>
  Schema.optionalWith(schema, { default: value, exact: true })

/** A section of keys, all optional: its default is what its keys default to. */
export const section = <F extends Schema.Struct.Fields>(fields: F) => {
  const struct = Schema.Struct(fields)
  // Every field here is context-free; the generic `Struct<F>` cannot say so.
  const decode = Schema.decodeUnknownSync(struct as unknown as Schema.Schema<Schema.Struct.Type<F>>)
  return Schema.optionalWith(struct, { default: () => decode({}), exact: true })
}

export const PositiveInt = expecting(Schema.Int.pipe(Schema.positive()), "a positive whole number")
export const PositiveNumber = expecting(Schema.Number.pipe(Schema.positive()), "a positive number")
export const NonNegativeInt = expecting(Schema.Int.pipe(Schema.nonNegative()), "a whole number ≥ 0")
export const Text = expecting(Schema.Trim.pipe(Schema.nonEmptyString()), "a non-empty text")
export const Bool = expecting(Schema.Boolean, "true or false")
