import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { parseProfile, profileOptions } from "@tongbu/mock-erp"
import { Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { json, type Scenario, scenario, tongbu } from "./harness.js"

// another installation's shapes: the customer list reordered, some live columns gone and `lyname` added; the contact
// list reordered without `sex`, `part1` and `url`
const customerListColumns = [
  "ord",
  "name",
  "lyname",
  "mobile",
  "phone",
  "person",
  "personname",
  "personjob",
  "catename",
  "sortname",
  "sort1name"
]
const contactListColumns = [
  "ord",
  "company",
  "name",
  "person_name",
  "mobile",
  "mobile2",
  "phone",
  "email",
  "weixinAcc",
  "job"
]

/** The mock's default values of an enumeration, as `tongbu check --record` writes them. */
const defaultEnum = (id: number) =>
  ({
    13: [
      ["171", "网站注册"],
      ["172", "朋友介绍"],
      ["173", "陌生开发"],
      ["174", "广告宣传"],
      ["977", "VIP"]
    ],
    14: [
      ["175", "很高"],
      ["289", "较高"],
      ["176", "一般"],
      ["177", "较低"],
      ["290", "很低"]
    ],
    98: [
      ["481", "电话"],
      ["482", "邮件"],
      ["483", "上门"],
      ["484", "其他"]
    ]
  })[id]!.map(([id, name]) => ({ id, name }))

/** `tongbu check --record` saves an installation's shapes; the mock serves them back and the sync runs against it. */
describe("tongbu check --record and mock-erp --profile", { timeout: 120_000 }, () => {
  let recorded: Scenario
  let replayed: Scenario | undefined
  const mobiles = /1[3-9]\d{9}/

  beforeAll(async () => {
    recorded = await scenario({
      customers: 10,
      erpCustomers: 5,
      seed: 31,
      mock: { listColumns: customerListColumns, contactListColumns }
    })
  }, 60_000)
  afterAll(async () => {
    await recorded.close()
    await replayed?.close()
  })

  it("records the column sets it saw, and no row, account, password or session", async () => {
    const result = await tongbu(recorded.dir, ["check", "--record", "p.json"], recorded.env)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const text = readFileSync(join(recorded.dir, "p.json"), "utf8")
    // the mock's own enumerations and envelope forms: positional rows, an empty list with empty members
    expect(JSON.parse(text)).toEqual({
      version: 1,
      customerListColumns,
      contactListColumns,
      enumerations: {
        "13": defaultEnum(13),
        "14": defaultEnum(14),
        "98": defaultEnum(98)
      },
      rowShape: "array",
      emptyList: "empty"
    })
    expect(text).not.toMatch(mobiles)
    expect(text).not.toContain("admin")
    expect(text).not.toContain("admin123")
    const names = recorded.erp.mock.control.customers().map((customer) => customer.fields.name ?? "")
    expect(names.length).toBeGreaterThan(0)
    for (const name of names) expect(text).not.toContain(name)
  })

  it("a sync against the replayed profile: a first run creates, a second writes nothing to the ERP", async () => {
    const parsed = parseProfile("p.json", readFileSync(join(recorded.dir, "p.json"), "utf8"))
    if (Either.isLeft(parsed)) throw new Error(parsed.left.message)
    replayed = await scenario({ customers: 20, erpCustomers: 5, seed: 32, mock: profileOptions(parsed.right) })
    const s = replayed
    // the replayed mock serves the recorded shapes: recording it again gives the same profile
    const again = await tongbu(s.dir, ["check", "--record", "again.json"], s.env)
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(JSON.parse(readFileSync(join(s.dir, "again.json"), "utf8"))).toEqual(parsed.right)
    const erpWrites = () => s.erp.mock.control.writeLog().filter((w) => w.endpoint !== "ui").length

    const first = await tongbu(s.dir, ["sync", "--json"], s.env)
    expect(first.code, first.stderr).toBe(0)
    expect(json(first).counts.created).toBeGreaterThan(0)
    expect(json(first).warnings).toEqual([])

    const before = erpWrites()
    const second = await tongbu(s.dir, ["sync", "--json"], s.env)
    expect(second.code, second.stderr).toBe(0)
    expect(json(second).counts.created).toBe(0)
    expect(erpWrites()).toBe(before)
  })

  it("another installation: its own enumerations, wrapped rows, numeric cells, no contact list; replayed, the sync runs", async () => {
    const enumerations = {
      ly: [
        { v: "301", n: "微信公众号" },
        { v: "302", n: "展会" }
      ],
      jz: ["175", "289", "176", "177", "290"].map((v, i) => ({ v, n: `${"ABCDE"[i]}级` })),
      followMethod: ["481", "482", "483", "484"].map((v, i) => ({ v, n: ["致电", "邮件", "拜访", "其他方式"][i]! }))
    }
    const ly301 = "  ly: 301\n"
    const other = await scenario({
      customers: 10,
      erpCustomers: 5,
      seed: 33,
      extraConfig: ly301,
      mock: {
        listColumns: customerListColumns,
        contactList: false,
        enumerations,
        rowShape: "object-wrapped",
        emptyList: "missing",
        numericCells: true
      }
    })
    let again: Scenario | undefined
    try {
      const checked = await tongbu(other.dir, ["check", "--record", "other.json"], other.env)
      expect(checked.code, checked.stdout + checked.stderr).toBe(0)
      expect(checked.stdout).toContain("✓ erp contact list: this ERP has no contact list (未知页面)")
      const text = readFileSync(join(other.dir, "other.json"), "utf8")
      expect(JSON.parse(text)).toEqual({
        version: 1,
        customerListColumns,
        contactListColumns: null,
        enumerations: {
          "13": enumerations.ly.map(({ v, n }) => ({ id: v, name: n })),
          "14": enumerations.jz.map(({ v, n }) => ({ id: v, name: n })),
          "98": enumerations.followMethod.map(({ v, n }) => ({ id: v, name: n }))
        },
        rowShape: "object-wrapped",
        emptyList: "missing",
        coerced: ["numeric cells"]
      })
      expect(text).not.toMatch(mobiles)
      const parsed = parseProfile("other.json", text)
      if (Either.isLeft(parsed)) throw new Error(parsed.left.message)
      again = await scenario({
        customers: 20,
        erpCustomers: 5,
        seed: 34,
        extraConfig: ly301,
        mock: profileOptions(parsed.right)
      })
      const s = again
      const reRecorded = await tongbu(s.dir, ["check", "--record", "again.json"], s.env)
      expect(reRecorded.code, reRecorded.stdout + reRecorded.stderr).toBe(0)
      expect(JSON.parse(readFileSync(join(s.dir, "again.json"), "utf8"))).toEqual(parsed.right)
      const erpWrites = () => s.erp.mock.control.writeLog().filter((w) => w.endpoint !== "ui").length
      const first = await tongbu(s.dir, ["sync", "--json"], s.env)
      expect(first.code, first.stderr).toBe(0)
      expect(json(first).counts.created).toBeGreaterThan(0)
      expect(json(first).counts.failed).toBe(0)
      expect(json(first).warnings.map((w: { code: string }) => w.code)).toEqual(["contacts-unavailable"])
      expect(s.erp.mock.control.customers().some((c) => c.fields.ly === "301")).toBe(true)
      const before = erpWrites()
      const second = await tongbu(s.dir, ["sync", "--json"], s.env)
      expect(second.code, second.stderr).toBe(0)
      expect(json(second).counts.created).toBe(0)
      expect(erpWrites()).toBe(before)
    } finally {
      await other.close()
      await again?.close()
    }
  })

  it("tongbu mock-erp --profile: a bad key is named with the file, exit 2", async () => {
    writeFileSync(join(recorded.dir, "bad.json"), JSON.stringify({ version: 1, customerListColumns, contactList: [] }))
    const result = await tongbu(recorded.dir, ["mock-erp", "--port", "0", "--profile", "bad.json"])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("bad.json is not a mock ERP profile")
    expect(result.stderr).toContain("contactListColumns: is missing")
    expect(result.stderr).toContain("contactList: is unexpected")
  })
})
