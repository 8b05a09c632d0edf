import { formatErpDate } from "./internal/dates.js"
import { makeRng, type Rng } from "./internal/rng.js"
import type { Intsort } from "./Model.js"

/** Why a generated record would not pass the ERP's or the sync's rules. */
export type Flaw = "duplicateName" | "duplicateMobile" | "invalidMobile" | "noMobile"

export interface GeneratedCustomer {
  readonly intsort: Intsort
  /** Customer page fields (add.asp): name, khid, sort1, ly, jz, trade, address, phone, person_name, mobile, ... */
  readonly fields: Readonly<Record<string, string>>
  /** Further contacts (person/add.asp fields, without `company`). */
  readonly contacts: ReadonlyArray<Readonly<Record<string, string>>>
  readonly flaws: ReadonlyArray<Flaw>
}

const words = (list: string) => list.split(" ")

const cities = words(
  "北京 上海 广州 深圳 杭州 南京 苏州 成都 武汉 西安 长沙 青岛 厦门 宁波 天津 重庆 合肥 郑州 济南 福州"
)
const brands = words(
  "华信 恒达 鑫源 瑞丰 博远 金盛 宏图 中天 嘉禾 正泰 永辉 天成 汇通 德润 明辉 盛世 安泰 新元 海纳 东方 优创 卓越 泰和 富邦 联创 宝丰 长青 启明 凯达 星河"
)
const trades = words("科技 贸易 印刷 机电 电子 环保 建材 物流 食品 医疗器械 信息技术 包装材料 电气设备 化工 文化传媒")
const suffixes = words("有限公司 有限责任公司 股份有限公司")
const surnames = words("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 高 罗 欧阳 司马")
const givenChars = words("伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀 霞 平 刚 桂 英 华 建 国 志 文 斌 婷")
const jobs = words("总经理 采购经理 销售总监 行政主管 技术负责人 财务 董事长 项目经理")
const streets = words("人民路 中山路 解放大道 建设路 科技园路 长江路 滨江大道 学府路")
const mobilePrefixes = words(
  "130 131 132 133 135 136 137 138 139 150 151 152 155 157 158 159 166 176 177 180 181 186 187 188 189 191 198 199"
)
const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join("")

const personName = (rng: Rng) =>
  rng.pick(surnames) + rng.pick(givenChars) + (rng.chance(0.6) ? rng.pick(givenChars) : "")

const invalidMobile = (rng: Rng): string =>
  rng.pick([
    () => `${rng.pick(mobilePrefixes)}${digits(rng, 7)}`,
    () => `+86 ${rng.pick(mobilePrefixes)} ${digits(rng, 4)} ${digits(rng, 4)}`,
    () => `${rng.pick(mobilePrefixes)}-${digits(rng, 4)}-${digits(rng, 4)}`,
    () => `12${digits(rng, 9)}`,
    () => `0${rng.int(10, 99)}-${digits(rng, 8)}`
  ])()

// dates spread over the two years before a fixed day, so that the same seed gives the same records
const lastDay = Date.UTC(2025, 9, 19)

/**
 * Realistic customers, the same for the same seed: Chinese company and person names, valid and invalid
 * mobiles, extra contacts, and about one record in twenty that repeats an earlier name or mobile (which
 * the ERP's duplicate rules would reject).
 */
export const generateCustomers = (n: number, seed: number): ReadonlyArray<GeneratedCustomer> => {
  const rng = makeRng(seed)
  const names = new Set<string>()
  const mobiles = new Set<string>()
  const out: Array<GeneratedCustomer> = []
  const byKind: Record<Intsort, Array<GeneratedCustomer>> = { 1: [], 2: [] }
  const freshMobile = () => {
    for (;;) {
      const mobile = rng.pick(mobilePrefixes) + digits(rng, 8)
      if (!mobiles.has(mobile)) return mobile
    }
  }
  for (let k = 0; k < n; k++) {
    const flaws: Array<Flaw> = []
    const intsort: Intsort = rng.chance(0.75) ? 1 : 2
    const newName = () =>
      intsort === 1 ? rng.pick(cities) + rng.pick(brands) + rng.pick(trades) + rng.pick(suffixes) : personName(rng)
    let name = newName()
    // a repeated name repeats one of the same kind: a company's name is never a person's
    const sameKind = byKind[intsort]
    const previous = sameKind.length > 0 ? rng.pick(sameKind) : undefined
    if (previous && rng.chance(0.03)) {
      name = previous.fields.name ?? name
      flaws.push("duplicateName")
    } else {
      for (let attempt = 0; names.has(name) && attempt < 20; attempt++) name = newName()
      for (let copy = 2; names.has(name); copy++) name = `${name.replace(/（\d+）$/, "")}（${copy}）`
    }
    names.add(name)
    let mobile = ""
    if (previous?.fields.mobile && rng.chance(0.03)) {
      mobile = previous.fields.mobile
      flaws.push("duplicateMobile")
    } else if (rng.chance(0.08)) {
      mobile = invalidMobile(rng)
      flaws.push("invalidMobile")
    } else if (rng.chance(0.04)) flaws.push("noMobile")
    else mobile = freshMobile()
    if (mobile !== "") mobiles.add(mobile)
    const fields: Record<string, string> = {
      name,
      khid: rng.chance(0.3) ? `WX${rng.int(1, 99_999)}` : "",
      sort1: `${rng.int(16, 19)},${rng.int(146, 149)}`,
      ly: rng.pick(["171", "172", "173", "174", "977"]),
      jz: rng.pick(["175", "289", "176", "177", "290"]),
      trade: rng.pick(["137", "139", "966", "967", "968"]),
      address: `${rng.pick(cities)}市${rng.pick(streets)}${rng.int(1, 999)}号`,
      phone: rng.chance(0.5) ? `0${rng.int(10, 99)}-${digits(rng, 8)}` : "",
      mobile,
      email: rng.chance(0.4) ? `${String.fromCharCode(97 + rng.int(0, 25))}${rng.int(100, 9999)}@example.cn` : "",
      weixinAcc: rng.chance(0.5) ? `wxid_${digits(rng, 10)}` : "",
      job: intsort === 1 ? rng.pick(jobs) : "",
      intro: rng.chance(0.3) ? "老客户，定期回访" : "",
      date1: formatErpDate(lastDay - rng.int(0, 730) * 86_400_000 - rng.int(0, 86_399) * 1000),
      ...(intsort === 1 ? { person_name: personName(rng) } : {})
    }
    const contacts = Array.from({ length: intsort === 1 && rng.chance(0.3) ? rng.int(1, 2) : 0 }, () => ({
      person_name: personName(rng),
      mobile: freshMobile(),
      job: rng.pick(jobs)
    }))
    for (const contact of contacts) mobiles.add(contact.mobile)
    const customer = {
      intsort,
      fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== "")),
      contacts,
      flaws
    }
    out.push(customer)
    sameKind.push(customer)
  }
  return out
}
