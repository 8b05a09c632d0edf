import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { createMockErp } from "../../src/index.js"
import { company, createCustomer, listPage, login, v1 } from "../helpers.js"

const dirs: Array<string> = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), "mock-erp-"))
  dirs.push(dir)
  return join(dir, "erp.sqlite")
}

describe("the SQLite store", () => {
  it("survives a restart: write, close, reopen, read", async () => {
    const sqlitePath = tempDb()
    const first = createMockErp({ store: { sqlitePath }, seed: { customers: 5, seed: 3 } })
    const session = await login(first)
    const { ord, text } = await createCustomer(first, session, company("持久化有限公司", "13812345678"))
    expect(text).toBe("保存成功")
    await v1(first, "/sysa/mobilephone/systemmanage/reply.asp?datatype=tel", session, "__sys_dosave", {
      ord,
      intro: 120,
      sort: 481,
      plantype: 0
    })
    const before = {
      customers: first.control.customers(),
      contacts: first.control.contacts(),
      log: first.control.writeLog()
    }
    first.control.close()

    // same seed option: a store that already has data is not seeded again
    const second = createMockErp({ store: { sqlitePath }, seed: { customers: 5, seed: 3 } })
    expect(second.control.customers()).toEqual(before.customers)
    expect(second.control.contacts()).toEqual(before.contacts)
    expect(second.control.writeLog()).toEqual(before.log)
    expect(second.control.followUps()).toMatchObject([{ ord, template: 120 }])
    const again = await login(second)
    const list = await v1(second, listPage, again, "refresh", { name: "持久化" })
    expect(list.body.source.table.page.recordcount).toBe(1)
    // ids go on from where they were
    const next = await createCustomer(second, again, company("重启后公司", "13812345679"))
    expect(next.ord).toBeGreaterThan(ord)
    expect(second.control.writeLog().at(-1)?.seq).toBe(before.log.length + 2)
    second.control.reset()
    expect(second.control.customers()).toHaveLength(5)
    second.control.close()
  })
})
