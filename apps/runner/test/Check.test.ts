import { describe, expect, it } from "vitest"
import * as Check from "../src/Check.js"

describe("the check list", () => {
  it("passes only when every item passed; text marks each item and masks mobiles", () => {
    const items = [Check.pass("a", "ok 13812345678"), Check.skipped("b", "not reached")]
    expect(Check.allPassed(items)).toBe(false)
    expect(Check.allPassed([items[0]!])).toBe(true)
    const text = Check.render([...items, Check.fail("c", "bad", "do this")])
    expect(text).toContain("✓ a: ok 138****5678")
    expect(text).toContain("– b: not reached")
    expect(text).toContain("✗ c: bad\n    fix: do this")
    expect(text).toContain("2 of 3 checks did not pass")
    expect(JSON.stringify(Check.json(items))).not.toContain("13812345678")
  })
})
