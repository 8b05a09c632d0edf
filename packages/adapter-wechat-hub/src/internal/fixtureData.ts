/** Seeded randomness and plausible Chinese business data for the fixture generator. */

import type { Rng } from "@tongbu/core/random"

// The fixture's modules take the generator from here; it is the core's, the one every package shares.
export { makeRng, type Rng } from "@tongbu/core/random"

const SURNAMES = Array.from("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
const GIVEN = Array.from("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂玲华红建国志文斌浩宇婷晨欣怡")
const CITIES = ["重庆", "成都", "上海", "北京", "广州", "深圳", "杭州", "武汉", "西安", "南京", "苏州", "长沙"]
const WORDS = Array.from("华鑫盛泰达兴恒瑞丰博信诚宏远辉源嘉和顺通")
const TRADES = ["科技", "贸易", "机械", "电子", "建材", "食品", "物流", "五金", "化工", "包装", "印务", "汽配"]
const SUFFIXES = ["有限公司", "有限公司", "有限责任公司", "股份有限公司", "商行", "工作室"]
const DISTRICTS = ["渝中区解放碑", "江北区观音桥", "南岸区南坪", "九龙坡区杨家坪", "沙坪坝区三峡广场", "渝北区新牌坊"]
const TOPICS = [
  "客户询问报价，正在考虑中",
  "谈的很好，让发合同",
  "电话无人接听，明天再联系",
  "现在还没考虑，再等等",
  "约了下周面谈，看样品",
  "想研究一下产品参数",
  "要求提供营业执照和资质",
  "对价格有异议，需要领导审批"
]
const MESSAGES = ["好的，我研究一下 😊", "价格能再优惠点吗？", "明天见面聊", "合同发我邮箱", "收到👌", "考虑中"]
const NICKNAMES = ["🌸小美🌸", "A-老王建材", "阳光☀️", "Mr.陈", "静待花开🍀", "💼商务合作"]

export const personName = (rng: Rng): string => rng.pick(SURNAMES) + rng.pick(GIVEN) + rng.pick(GIVEN)
export const surname = (rng: Rng): string => rng.pick(SURNAMES)
export const companyName = (rng: Rng): string =>
  rng.pick(CITIES) + rng.pick(WORDS) + rng.pick(WORDS) + rng.pick(TRADES) + rng.pick(SUFFIXES)
export const address = (rng: Rng): string => `重庆市${rng.pick(DISTRICTS)}${rng.int(1, 999)}号`
export const topic = (rng: Rng): string => rng.pick(TOPICS)
export const message = (rng: Rng): string => rng.pick(MESSAGES)
export const nickname = (rng: Rng): string => rng.pick(NICKNAMES)

/** A valid mainland mobile not handed out before by this generator. */
export const uniqueMobile = (rng: Rng, used: Set<string>): string => {
  for (;;) {
    const mobile = `1${rng.int(3, 9)}${String(rng.int(0, 999_999_999)).padStart(9, "0")}`
    if (!used.has(mobile)) {
      used.add(mobile)
      return mobile
    }
  }
}

/** A UUID-shaped id, as the hub's Python `uuid4()` writes them. */
export const uuid = (rng: Rng): string =>
  `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(["8", "9", "a", "b"])}${rng.hex(3)}-${rng.hex(12)}`

export const fullWidthDigits = (text: string): string =>
  text.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))
