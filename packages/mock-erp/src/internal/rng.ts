// The mock's modules take the generator from here; it is the core's, the one every package shares (a subpath, so the
// mock's bundle takes in nothing else of the core).
export { makeRng, type Rng } from "@tongbu/core/random"
