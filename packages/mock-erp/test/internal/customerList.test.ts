import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { allocate, company, createCustomer, type Json, listPage, login, makeMock, v1 } from "../helpers.js"

const runs = Number(process.env.TONGBU_PROP_RUNS ?? 100)
// each run drives the whole app: allow the time a soak run (many runs) needs
const propTimeout = Math.max(5_000, runs * 50)

const list = (mock: ReturnType<typeof makeMock>, session: string, filters: Record<string, string | number> = {}) =>
  v1(mock, listPage, session, "refresh", filters)

/** Rows zipped with the column ids, as a client must read them. */
const zipped = (answer: Json): Array<Record<string, string>> => {
  const { cols, rows } = answer.body.source.table
  return rows.map((row: Json) => {
    const cells: Array<string> = Array.isArray(row) ? row : row.value
    return Object.fromEntries(cells.map((cell, i) => [cols[i].id, cell]))
  })
}

const seeded = async () => {
  const mock = makeMock()
  const session = await login(mock)
  const a = await createCustomer(
    mock,
    session,
    company("北京华信科技有限公司", "13800000001", {
      khid: "WX12",
      ly: 171,
      jz: 175,
      phone: "010-88886666",
      address: "北京市人民路1号",
      intro: "重点跟进",
      date1: "2024-03-01 09:00:00"
    })
  )
  const b = await createCustomer(
    mock,
    session,
    company("上海恒达贸易有限公司", "13800000002", {
      khid: "WX123",
      ly: 172,
      jz: 176,
      date1: "2024-06-15 18:30:00",
      trade: 139
    })
  )
  const c = await createCustomer(
    mock,
    session,
    { name: "王小明", sort1: "16", mobile: "13800000003", ly: 173, date1: "2025-01-01 00:00:00" },
    2
  )
  return { mock, session, ords: [a.ord, b.ord, c.ord] as const }
}

describe("customer list (list.asp, refresh)", () => {
  it("answers source/table: page, the live 13 columns, positional string rows, ord descending", async () => {
    const { mock, session, ords } = await seeded()
    const answer = await list(mock, session)
    expect(answer.body).toMatchObject({ model: "source", action: "table" })
    const table = answer.body.source.table
    expect(table.page).toEqual({ recordcount: 3, pagesize: 20, pagecount: 1, pageindex: 1 })
    expect(table.cols.map((col: Json) => col.id)).toEqual([
      "name",
      "catename",
      "sortname",
      "sort1name",
      "personname",
      "personjob",
      "phone",
      "mobile",
      "telintro",
      "ord",
      "person",
      "url",
      "personurl"
    ])
    for (const row of table.rows) for (const cell of row) expect(typeof cell).toBe("string")
    const rows = zipped(answer)
    expect(rows.map((row) => Number(row.ord))).toEqual([...ords].reverse())
    expect(rows[2]).toMatchObject({
      name: "北京华信科技有限公司",
      sortname: "意向客户",
      sort1name: "初步接触",
      personname: "张三",
      phone: "010-88886666",
      mobile: "13800000001",
      telintro: "重点跟进",
      url: "_url",
      personurl: "_url"
    })
    expect(rows[2]).not.toHaveProperty("khid")
  })

  it("answers only the report skeleton without refresh", async () => {
    const { mock, session } = await seeded()
    const answer = await v1(mock, listPage, session, "")
    expect(answer.body).toMatchObject({ model: "report", action: "init" })
    expect(answer.body.report.rows).toBeUndefined()
    expect(answer.body.report.cols.length).toBe(13)
  })

  it("answers empty page/cols/rows for no records, or leaves them out (emptyList: missing)", async () => {
    const mock = makeMock()
    const session = await login(mock)
    expect((await list(mock, session)).body.source.table).toEqual({ page: {}, cols: [], rows: [] })
    const bare = makeMock({ emptyList: "missing" })
    expect((await list(bare, await login(bare))).body.source.table).toEqual({})
  })

  it("pages with pagesize and pageindex", async () => {
    const { mock, session, ords } = await seeded()
    const page2 = await list(mock, session, { pagesize: 2, pageindex: 2 })
    expect(page2.body.source.table.page).toEqual({ recordcount: 3, pagesize: 2, pagecount: 2, pageindex: 2 })
    expect(zipped(page2).map((row) => Number(row.ord))).toEqual([ords[0]])
    expect((await list(mock, session, { pagesize: 2, pageindex: 3 })).body.source.table.rows).toEqual([])
  })

  it("sorts with _rpt_sort (a column id, - for descending)", async () => {
    const { mock, session, ords } = await seeded()
    expect(zipped(await list(mock, session, { _rpt_sort: "ord" })).map((r) => Number(r.ord))).toEqual([...ords])
    expect(zipped(await list(mock, session, { _rpt_sort: "-mobile" })).map((r) => r.mobile)).toEqual([
      "13800000003",
      "13800000002",
      "13800000001"
    ])
  })

  it.each([
    [{ name: "华信" }, [0]],
    [{ khid: "WX12" }, [0, 1]],
    [{ phone: "8888" }, [0]],
    [{ address: "人民路" }, [0]],
    [{ intro: "重点" }, [0]],
    [{ searchKey: "恒达" }, [1]],
    [{ searchKey: "13800000003" }, [2]],
    [{ ly: "171,173" }, [0, 2]],
    [{ jz: "176" }, [1]],
    [{ trade: "139" }, [1]],
    [{ date1_0: "2024-06-15", date1_1: "2024-12-31" }, [1]],
    [{ date1_1: "2024-06-15" }, [0, 1]],
    [{ date1_0: "2024-06-16" }, [2]]
  ])("filters %o", async (filters, expected) => {
    const { mock, session, ords } = await seeded()
    const got = zipped(await list(mock, session, filters)).map((row) => Number(row.ord))
    expect(got.sort()).toEqual(expected.map((i) => ords[i]).sort())
  })

  it("filters telord (customer id) and has no mobile filter", async () => {
    const { mock, session, ords } = await seeded()
    expect(zipped(await list(mock, session, { telord: ords[1] })).map((r) => Number(r.ord))).toEqual([ords[1]])
    expect(zipped(await list(mock, session, { mobile: "13800000001" })).length).toBe(3)
    expect(zipped(await list(mock, session, { weixinAcc: "x", modified: "2025-01-01" })).length).toBe(3)
  })

  it("filters stype (1 pool, 3 protected) and cateid (salespeople)", async () => {
    const { mock, session, ords } = await seeded()
    await v1(mock, "/sysa/mobilephone/systemmanage/order.asp?datatype=tel", session, "__sys_dosave", {
      ord: ords[0],
      member1: 1
    })
    await v1(mock, "/sysa/mobilephone/systemmanage/order.asp?datatype=tel", session, "__sys_dosave", {
      ord: ords[1],
      member1: 0,
      member2: "61,62"
    })
    await v1(mock, "/sysa/mobilephone/salesmanage/custom/add.asp?__msgid=profect", session, "", { ord: ords[2] })
    expect(zipped(await list(mock, session, { stype: 1 })).map((r) => Number(r.ord))).toEqual([ords[0]])
    expect(zipped(await list(mock, session, { stype: 3 })).map((r) => Number(r.ord))).toEqual([ords[2]])
    const assigned = zipped(await list(mock, session, { cateid: "62,64" }))
    expect(assigned.map((r) => [Number(r.ord), r.catename])).toEqual([[ords[1], "王晓明,李静"]])
  })

  it("uses the configured columns and can wrap rows as {value:[...]}", async () => {
    const mock = makeMock({ listColumns: ["ord", "name", "khid", "lyname"], rowShape: "object-wrapped" })
    const session = await login(mock)
    const { ord } = await createCustomer(mock, session, company("午公司", "13100000000", { khid: "WX5", ly: 171 }))
    const answer = await list(mock, session)
    expect(answer.body.source.table.rows).toEqual([{ value: [String(ord), "午公司", "WX5", "网站注册"] }])
  })

  test.prop(
    [
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 1, max: 70 }),
      fc.integer(),
      fc.constantFrom("", "name", "-mobile", "sortname", "ord")
    ],
    { numRuns: runs }
  )(
    "paging with refresh returns every customer exactly once, for any data size and page size",
    async (customers, pagesize, seed, sort) => {
      const mock = makeMock({ seed: { customers, seed } })
      const session = await login(mock)
      const seen: Array<number> = []
      const first = (await list(mock, session, { pagesize, _rpt_sort: sort })).body.source.table
      const pagecount = first.page.pagecount ?? 0
      for (let pageindex = 1; pageindex <= pagecount; pageindex++) {
        const answer = await list(mock, session, { pagesize, pageindex, _rpt_sort: sort })
        seen.push(...zipped(answer).map((row) => Number(row.ord)))
      }
      const expected = mock.control.customers().map((customer) => customer.ord)
      expect(seen.length).toBe(customers)
      expect([...seen].sort((a, b) => a - b)).toEqual(expected)
    },
    propTimeout
  )

  test.prop(
    [
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 1, max: 15 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer(),
      fc.constantFrom("", "ord", "-ord")
    ],
    { numRuns: runs }
  )(
    "a page built from the index of live ids answers what filtering the whole table answers",
    async (customers, pagesize, pageindex, seed, sort) => {
      const mock = makeMock({ seed: { customers, seed } })
      const session = await login(mock)
      // a placeholder is not listed, and a customer saved now lands in order
      await allocate(mock, session)
      await createCustomer(mock, session, company("索引测试有限公司", "13900000001"))
      const page = { pagesize, pageindex, _rpt_sort: sort }
      const indexed = await list(mock, session, page)
      // a filter every customer passes takes the path that filters and sorts every record
      const filtered = await list(mock, session, { ...page, date1_0: "1900-01-01" })
      expect(indexed.body).toEqual(filtered.body)
    },
    propTimeout
  )
})
