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
  it("state store: applied or pending migrations pass, a newer store or an unwritable place fails", () => {
    expect(Check.storeItem("s.db", { _tag: "Current", applied: 5 }, "s.db", true).status).toBe("pass")
    const pending = Check.storeItem("s.db", { _tag: "Pending", applied: 4, pending: 1 }, "s.db", true)
    expect([pending.status, pending.seen]).toEqual([
      "pass",
      "s.db: 4 migrations applied, 1 pending (the next sync applies them)"
    ])
    expect(Check.storeItem("s.db", { _tag: "Missing" }, "/srv", true).seen).toContain("does not exist yet")
    const newer = Check.storeItem("s.db", { _tag: "Newer", known: 5 }, "s.db", true)
    expect(newer.status).toBe("fail")
    expect(newer.fix).toContain("never an older one")
    expect(Check.storeItem("s.db", { _tag: "Missing" }, "/srv", false)).toMatchObject({
      status: "fail",
      seen: "/srv is not writable"
    })
  })

  it("state store in PostgreSQL: migrations as for a file; each failure with its own fix", () => {
    const url = "postgres://tongbu@db:5432/tongbu"
    expect(Check.postgresItem(url, { state: { _tag: "Pending", applied: 0, pending: 1 } })).toMatchObject({
      status: "pass",
      seen: `${url}: 0 migrations applied, 1 pending (the next sync applies them)`
    })
    expect(Check.postgresItem(url, { state: { _tag: "Newer", known: 1 } }).status).toBe("fail")
    const auth = Check.postgresItem(url, { problem: "authentication", message: "password authentication failed" })
    expect([auth.status, auth.seen]).toEqual(["fail", "password authentication failed"])
    expect(auth.fix).toContain("TONGBU_STATE_PASSWORD / state.passwordFile")
    expect(Check.postgresItem(url, { problem: "unreachable", message: "ECONNREFUSED" }).fix).toContain(
      "start the PostgreSQL server"
    )
    expect(Check.postgresItem(url, { problem: "database", message: "no such database" }).fix).toContain(
      "create the database"
    )
  })
})
