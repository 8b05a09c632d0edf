/**
 * A seeded pseudo-random source (mulberry32): the same seed gives the same sequence everywhere, so a generated
 * fixture, a mock's data or its faults are replayed from their seed. The one generator the packages share; exported
 * as `@tongbu/core/random` too, for a bundle that must not take in the rest of the core (the mock ERP's).
 */
export interface Rng {
  /** A float in [0, 1). */
  readonly next: () => number
  /** An integer in [min, max], both inclusive. */
  readonly int: (min: number, max: number) => number
  readonly pick: <A>(items: ReadonlyArray<A>) => A
  /** True with `probability`; draws nothing when it is 0 or less, so a rate of 0 leaves the sequence as it was. */
  readonly chance: (probability: number) => boolean
  /** `length` lowercase hex digits. */
  readonly hex: (length: number) => string
}

export const makeRng = (seed: number): Rng => {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return {
    next,
    int,
    pick: <A>(items: ReadonlyArray<A>) => items[int(0, items.length - 1)] as A,
    chance: (probability) => probability > 0 && next() < probability,
    hex: (length) => Array.from({ length }, () => "0123456789abcdef"[int(0, 15)]).join("")
  }
}
