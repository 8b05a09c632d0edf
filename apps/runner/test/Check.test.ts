import { ZhibangFatalError, ZhibangTransientError } from "@tongbu/adapter-zhibang"
import { describe, expect, it } from "vitest"
import * as Check from "../src/Check.js"

const sources = [
  { id: "171", name: "网站注册" },
  { id: "172", name: "朋友介绍" }
]

describe("the check list", () => {
  it("mapping.ly passes when the ERP lists it, else names the ERP's sources", () => {
    expect(Check.lyItem(171, sources).status).toBe("pass")
    expect(Check.lyItem(999, sources)).toEqual({
      name: "mapping.ly",
      status: "fail",
      seen: "999 is not a customer source of the ERP",
      fix: "mapping.ly = 999 is not one of the ERP's customer sources: 171 网站注册, 172 朋友介绍"
    })
    expect(Check.lyItem(171, []).fix).toContain("the ERP lists no customer sources")
  })

  it("a refused login names the user and the password's sources; a transient failure points at the URL", () => {
    const refused = Check.erpFailure("erp", "admin", new ZhibangFatalError({ operation: "login", message: "密码错误" }))
    expect(refused.status).toBe("fail")
    expect(refused.fix).toContain("the ERP refused user admin: check TONGBU_ERP_PASSWORD / erp.passwordFile")
    const down = Check.erpFailure(
      "erp",
      "admin",
      new ZhibangTransientError({ operation: "list", message: "connection refused", uncertain: false })
    )
    expect(down.fix).toContain("erp.url")
  })

  it("mapping.assignment: every salesperson id must be an ERP user; a ✗ names the id and its yaml key", () => {
    const users = [
      { id: "61", name: "王晓明", username: "wxm" },
      { id: "62", name: "李静", username: "lj" }
    ]
    const top = { key: "mapping.assignment.top.salespeople", ids: ["61"] }
    const general = { key: "mapping.assignment.general.salespeople", ids: ["62", "99"] }
    expect(Check.salespeopleItem([top], users).status).toBe("pass")
    expect(Check.salespeopleItem([{ ...top, ids: [] }], users).seen).toContain("public pool")
    expect(Check.salespeopleItem([top, general], users)).toEqual({
      name: "mapping.assignment",
      status: "fail",
      seen: "99 (mapping.assignment.general.salespeople) is not an ERP user",
      fix: "remove or correct 99 in mapping.assignment.general.salespeople: the ERP's users are 61 王晓明, 62 李静"
    })
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

  it("hub columns: each missing one named, with the schema's version as the cause", () => {
    expect(Check.hubItem("hub.db", []).status).toBe("pass")
    const item = Check.hubItem("hub.db", ["customers_unified.erp_sync_status is missing"])
    expect(item.status).toBe("fail")
    expect(item.seen).toBe("customers_unified.erp_sync_status is missing")
    expect(item.fix).toContain("older or newer")
  })

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
