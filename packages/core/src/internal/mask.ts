// The core's own modules import the masking from here; it is defined once, in `Mask.ts`, which the package exports.
export { maskMobiles } from "../Mask.js"
