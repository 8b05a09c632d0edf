import { performance } from "node:perf_hooks"
import { createMockErp } from "../src/index.js"

/**
 * What a request costs the mock as its tables grow: the mean time of a customer list page (the runner's: ascending
 * ord, 100 a page; first, middle and last page), a contact list page, a detail read and a save of a new customer
 * (allocate + save, which checks duplicates), at 1k / 10k / 100k seeded customers. Flat across sizes is the target,
 * so that a benchmark of the runner does not measure the mock. Sizes: TONGBU_BENCH_MOCK_SIZES (default
 * 1000,10000,100000). Not a test: nothing here fails; it prints a table.
 */

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, as a client would
type Json = any

const sizes = (process.env.TONGBU_BENCH_MOCK_SIZES ?? "1000,10000,100000").split(",").map(Number)
const REPEAT = Number(process.env.TONGBU_BENCH_MOCK_REPEAT ?? 200)

const call = async (
  mock: ReturnType<typeof createMockErp>,
  path: string,
  body: Record<string, unknown>
): Promise<Json> => {
  const response = await mock.app.request(path, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json" }
  })
  return (await response.json()) as Json
}

const datas = (fields: Record<string, string | number>) => Object.entries(fields).map(([id, val]) => ({ id, val }))
const customerPage = "/sysa/mobilephone/salesmanage/custom/add.asp"
const listPage = "/sysa/mobilephone/salesmanage/custom/list.asp"
const contactListPage = "/sysa/mobilephone/salesmanage/person/list.asp"

/** Mean milliseconds of `f` over `times` calls (the first call of each kind runs before, as a warm-up). */
const mean = async (times: number, f: (i: number) => Promise<unknown>) => {
  await f(0)
  const started = performance.now()
  for (let i = 1; i <= times; i++) await f(i)
  return (performance.now() - started) / times
}

const rows: Array<ReadonlyArray<string>> = []
for (const size of sizes) {
  const seeding = performance.now()
  const mock = createMockErp({ seed: { customers: size, seed: 7 } })
  const seededMs = performance.now() - seeding
  const login = await call(mock, "/webapi/v3/ov1/login", {
    datas: datas({ user: "txt:admin", password: "txt:admin123", serialnum: "txt:BENCH", rndcode: "" })
  })
  const session = login.header.session as string
  const pages = Math.ceil(size / 100)
  const page = (path: string) => (i: number) =>
    call(mock, path, {
      session,
      cmdkey: "refresh",
      datas: datas({ pageindex: [1, Math.ceil(pages / 2), pages][i % 3]!, pagesize: 100, _rpt_sort: "ord" })
    })
  const ords = mock.control.customers().map((customer) => customer.ord)
  const listMs = await mean(REPEAT, page(listPage))
  const contactMs = await mean(REPEAT, page(contactListPage))
  const detailMs = await mean(REPEAT, (i) =>
    call(mock, `${customerPage}?edit=1`, { session, datas: datas({ ord: ords[(i * 7919) % ords.length]!, edit: 1 }) })
  )
  const saveMs = await mean(REPEAT, async (i) => {
    const allocated = await call(mock, customerPage, { session, datas: datas({ intsort: 1 }) })
    const ord = allocated.body.bill.value as number
    const fields = {
      name: `基准客户${i}`,
      sort1: "17,146",
      person_name: "张三",
      mobile: `1990000${String(i).padStart(4, "0")}`
    }
    const saved = await call(mock, `${customerPage}?intsort=1`, {
      session,
      cmdkey: "__sys_dosave",
      datas: datas({ ord, ...fields })
    })
    if (saved.header.status !== 0) throw new Error(`save refused: ${JSON.stringify(saved)}`)
  })
  rows.push([
    String(size),
    `${(seededMs / 1000).toFixed(1)} s`,
    listMs.toFixed(2),
    contactMs.toFixed(2),
    detailMs.toFixed(2),
    saveMs.toFixed(2)
  ])
  process.stderr.write(`${size} customers measured\n`)
}

const header = ["customers", "seeding", "list page ms", "contact page ms", "detail ms", "allocate+save ms"]
const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)))
const line = (row: ReadonlyArray<string>) => row.map((cell, i) => cell.padStart(widths[i]!)).join("  ")
console.log(
  [
    `mock ERP, in process (no HTTP socket), mean of ${REPEAT} requests each; list pages 100 rows, by ascending ord`,
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line)
  ].join("\n")
)
