import { ZhibangFatalError, ZhibangTransientError } from "@tongbu/adapter-zhibang"
import { describe, expect, it } from "vitest"
import * as Check from "../src/Check.js"

const sources = [
  { id: "171", name: "网站注册" },
  { id: "172", name: "朋友介绍" }
]

describe("the hub↔ERP pair's check items", () => {
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

  it("hub columns: each missing one named, with the schema's version as the cause", () => {
    expect(Check.hubItem("hub.db", []).status).toBe("pass")
    const item = Check.hubItem("hub.db", ["customers_unified.erp_sync_status is missing"])
    expect(item.status).toBe("fail")
    expect(item.seen).toBe("customers_unified.erp_sync_status is missing")
    expect(item.fix).toContain("older or newer")
  })
})
