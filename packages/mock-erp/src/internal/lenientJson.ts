/**
 * The ERP parses request bodies as JavaScript object literals, not strict JSON: unquoted keys, single-quoted
 * strings and trailing commas pass. This small recursive-descent parser accepts the same, without eval.
 */
export type Loose = null | boolean | number | string | ReadonlyArray<Loose> | { readonly [key: string]: Loose }

export class LenientJsonError extends Error {}

const identStart = /[A-Za-z_$@\u0080-\uffff]/
const identPart = /[A-Za-z0-9_$@\u0080-\uffff]/
const numberPattern = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/
const escapes: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "0": "\0" }
const maxDepth = 64

export const parseLenientJson = (text: string): Loose => {
  let i = 0
  const fail = (what: string): never => {
    throw new LenientJsonError(`${what} at position ${i}`)
  }
  const skip = () => {
    for (;;) {
      while (i < text.length && /[\s\uFEFF]/.test(text[i]!)) i++
      if (text.startsWith("//", i)) {
        const end = text.indexOf("\n", i)
        i = end < 0 ? text.length : end
      } else if (text.startsWith("/*", i)) {
        const end = text.indexOf("*/", i + 2)
        if (end < 0) fail("unterminated comment")
        i = end + 2
      } else return
    }
  }
  const string = (): string => {
    const quote = text[i++]!
    let out = ""
    while (i < text.length && text[i] !== quote) {
      const ch = text[i++]!
      if (ch !== "\\") {
        out += ch
        continue
      }
      const esc = text[i++]
      if (esc === undefined) break
      if (esc === "u") {
        const hex = text.slice(i, i + 4)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad unicode escape")
        out += String.fromCharCode(Number.parseInt(hex, 16))
        i += 4
      } else if (esc === "\n") {
        // a backslash before a newline continues the line, as in JavaScript
      } else out += escapes[esc] ?? esc
    }
    if (text[i] !== quote) fail("unterminated string")
    i++
    return out
  }
  const identifier = (): string => {
    const start = i
    while (i < text.length && identPart.test(text[i]!)) i++
    return text.slice(start, i)
  }
  const value = (depth: number): Loose => {
    if (depth > maxDepth) fail("nested too deeply")
    skip()
    const ch = text[i]
    if (ch === undefined) return fail("unexpected end")
    if (ch === "{") return object(depth)
    if (ch === "[") return array(depth)
    if (ch === '"' || ch === "'") return string()
    const num = numberPattern.exec(text.slice(i, i + 64))
    if (num) {
      i += num[0].length
      return Number(num[0])
    }
    if (identStart.test(ch)) {
      const word = identifier()
      if (word === "true") return true
      if (word === "false") return false
      if (word === "null" || word === "undefined") return null
      return fail(`unexpected word ${word}`)
    }
    return fail(`unexpected character ${ch}`)
  }
  const array = (depth: number): Loose => {
    i++
    const out: Array<Loose> = []
    for (;;) {
      skip()
      if (text[i] === "]") {
        i++
        return out
      }
      out.push(value(depth + 1))
      skip()
      if (text[i] === ",") i++
      else if (text[i] !== "]") fail("expected , or ]")
    }
  }
  const object = (depth: number): Loose => {
    i++
    const out: Record<string, Loose> = {}
    for (;;) {
      skip()
      if (text[i] === "}") {
        i++
        return out
      }
      const ch = text[i]
      let key: string
      if (ch === '"' || ch === "'") key = string()
      else if (ch !== undefined && identPart.test(ch)) key = identifier()
      else return fail("expected a key")
      skip()
      if (text[i] !== ":") fail("expected :")
      i++
      // defineProperty: a key named __proto__ must stay a plain key
      Object.defineProperty(out, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true })
      skip()
      if (text[i] === ",") i++
      else if (text[i] !== "}") fail("expected , or }")
    }
  }
  const result = value(0)
  skip()
  if (i < text.length) fail("trailing characters")
  return result
}
