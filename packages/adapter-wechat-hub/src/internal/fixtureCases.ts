/** The messy cases of real hub data the fixture generator reproduces, each with the outcome the adapter must give. */
import type { Rng } from "./fixtureData.js"
import { companyName, fullWidthDigits, nickname, personName, surname } from "./fixtureData.js"

/** One customer row as generated; the generator turns it into hub rows. */
export interface RowSpec {
  readonly type: number
  readonly company: string | null
  readonly person: string | null
  readonly phone: string | null
  readonly phoneVerified: number | string
  readonly intent: number | string
  /** Signal totals of the contact's thread, oldest first. */
  readonly signals: ReadonlyArray<number>
  readonly wechat: boolean
  readonly nickname: string | null
  readonly invalid: number
  readonly linked: boolean
  readonly erpBorn: boolean
  readonly nullUpdatedAt: boolean
  /** `phone` as the adapter must read it. */
  readonly expectedPhone: string | null
}

export interface CaseContext {
  readonly rng: Rng
  /** A clean row of this customer, to make messy. */
  readonly base: RowSpec
  /** The 11-digit mobile `base.phone` holds. */
  readonly mobile: string
  /** The mobile of the first generated row, for the duplicate-phone case. */
  readonly firstMobile: string
}

interface CaseDefinition {
  readonly description: string
  /** The admission rules (`hubAdmission` names) the row fails with default options; empty = admitted. */
  readonly failing: ReadonlyArray<string>
  readonly build: (ctx: CaseContext) => RowSpec
}

const same = (ctx: CaseContext): RowSpec => ctx.base
const spaced = (m: string) => `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`

const defineCases = <K extends string>(cases: Record<K, CaseDefinition>) => cases

export const customerCaseDefinitions = defineCases({
  clean_company: { description: "a company customer with everything in order", failing: [], build: same },
  clean_person: {
    description: "a person customer (erp_customer_type 2) with a full name",
    failing: [],
    build: ({ base, rng }) => ({ ...base, type: 2, company: null, person: personName(rng) })
  },
  phone_spaces: {
    description: "mobile written with spaces: 138 0013 8000",
    failing: [],
    build: ({ base, mobile }) => ({ ...base, phone: spaced(mobile) })
  },
  phone_plus86: {
    description: "mobile with +86 and dashes: +86 138-0013-8000",
    failing: [],
    build: ({ base, mobile }) => ({
      ...base,
      phone: `+86 ${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}`
    })
  },
  phone_86_prefix: {
    description: "mobile with a bare 86 prefix: 8613800138000",
    failing: [],
    build: ({ base, mobile }) => ({ ...base, phone: `86${mobile}` })
  },
  phone_fullwidth: {
    description: "mobile typed in full-width digits: １３８００１３８０００",
    failing: [],
    build: ({ base, mobile }) => ({ ...base, phone: fullWidthDigits(mobile) })
  },
  phone_short: {
    description: "mobile with a digit missing (10 digits)",
    failing: ["mobile"],
    build: ({ base, mobile }) => ({ ...base, phone: mobile.slice(0, 10), expectedPhone: mobile.slice(0, 10) })
  },
  phone_landline: {
    description: "a landline in the mobile column: 023-6888 8888",
    failing: ["mobile"],
    build: ({ base, rng }) => {
      const phone = `023-6${rng.int(100, 999)} ${rng.int(1000, 9999)}`
      return { ...base, phone, expectedPhone: phone }
    }
  },
  phone_unverified: {
    description: "a valid mobile the hub has not verified",
    failing: ["phoneVerified"],
    build: ({ base }) => ({ ...base, phoneVerified: 0 })
  },
  phone_null: {
    description: "no mobile at all (NULL)",
    failing: ["mobile"],
    build: ({ base }) => ({ ...base, phone: null, phoneVerified: 0, expectedPhone: null })
  },
  phone_blank: {
    description: "an empty-string mobile ('  ') rather than NULL",
    failing: ["mobile"],
    build: ({ base }) => ({ ...base, phone: "  ", phoneVerified: 0, expectedPhone: null })
  },
  name_honorific: {
    description: "a person known only by a form of address: 张先生",
    failing: ["name"],
    build: ({ base, rng }) => ({ ...base, type: 2, company: null, person: `${surname(rng)}先生` })
  },
  name_boss: {
    description: "a 'company' named after the boss: 王老板",
    failing: ["name"],
    build: ({ base, rng }) => ({ ...base, company: `${surname(rng)}老板` })
  },
  name_short: {
    description: "a two-character name: 张三",
    failing: ["name"],
    build: ({ base, rng }) => ({ ...base, type: 2, company: null, person: personName(rng).slice(0, 2) })
  },
  company_missing: {
    description: "a company customer whose company name is an empty string",
    failing: ["companyName"],
    build: ({ base }) => ({ ...base, company: "" })
  },
  score_low: {
    description: "a score below the GRAY boundary (45)",
    failing: ["score"],
    build: ({ base }) => ({ ...base, intent: 45, signals: [30, 45] })
  },
  score_from_signal: {
    description: "intent_score 0: the latest signal (82) is the score",
    failing: [],
    build: ({ base }) => ({ ...base, intent: 0, signals: [50, 82] })
  },
  score_signal_fell: {
    description: "intent_score 0 and the latest signal fell back to 40 (an older one was 85)",
    failing: ["score"],
    build: ({ base }) => ({ ...base, intent: 0, signals: [85, 40] })
  },
  marked_invalid: {
    description: "marked invalid in the hub",
    failing: ["notInvalid"],
    build: ({ base }) => ({ ...base, invalid: 1 })
  },
  emoji_nickname: {
    description: "emoji in the WeChat nickname",
    failing: [],
    build: ({ base, rng }) => ({ ...base, nickname: nickname(rng) })
  },
  padded_text: {
    description: "names padded with spaces",
    failing: [],
    build: ({ base }) => ({ ...base, company: `  ${base.company}  `, person: ` ${base.person} ` })
  },
  duplicate_phone: {
    description: "the same mobile as another hub customer (the core's unique-key rule decides)",
    failing: [],
    build: ({ base, firstMobile }) => ({ ...base, phone: firstMobile, expectedPhone: firstMobile })
  },
  stringly_values: {
    description: "flags and scores stored as text: phone_verified '1', intent_score '88'",
    failing: [],
    build: ({ base }) => ({ ...base, phoneVerified: "1", intent: "88" })
  },
  linked: {
    description: "already linked to an ERP customer (erp_customer_id set, synced)",
    failing: [],
    build: ({ base }) => ({ ...base, linked: true })
  },
  erp_born: {
    description: "an ERP-born customer pulled earlier: no WeChat, no score",
    failing: ["score"],
    build: ({ base }) => ({ ...base, wechat: false, intent: 0, signals: [], linked: true, erpBorn: true })
  },
  stamp_null: {
    description: "updated_at NULL (a hand edit): listed by every incremental read",
    failing: [],
    build: ({ base }) => ({ ...base, nullUpdatedAt: true })
  }
})

export type CustomerCase = keyof typeof customerCaseDefinitions

export const cleanRow = (rng: Rng, mobile: string): RowSpec => {
  const score = rng.int(62, 98)
  return {
    type: 1,
    company: companyName(rng),
    person: personName(rng),
    phone: mobile,
    phoneVerified: 1,
    intent: rng.chance(0.7) ? score : 0,
    signals: [rng.int(20, 95), score],
    wechat: true,
    nickname: rng.chance(0.8) ? personName(rng) : null,
    invalid: 0,
    linked: false,
    erpBorn: false,
    nullUpdatedAt: false,
    expectedPhone: mobile
  }
}

interface ContactCaseDefinition {
  readonly description: string
  /** Intake creates a pending customer row for it. */
  readonly promoted: boolean
  readonly type: string
  readonly signals: ReadonlyArray<number>
}

export const contactCaseDefinitions = {
  contact_customer_type: {
    description: "a contact the hub typed 'customer' (GRAY thread): intake creates its row",
    promoted: true,
    type: "customer",
    signals: [66]
  },
  contact_white_bucket: {
    description: "a lead whose thread is WHITE: intake creates its row",
    promoted: true,
    type: "lead",
    signals: [55, 86]
  },
  contact_lead_gray: { description: "a GRAY lead: no row", promoted: false, type: "lead", signals: [62] },
  contact_personal: {
    description: "a personal contact (BLACK): no row",
    promoted: false,
    type: "personal",
    signals: [0]
  },
  contact_fell_back: {
    description: "a lead that was WHITE and fell back to GRAY: no row",
    promoted: false,
    type: "lead",
    signals: [88, 61]
  }
} as const satisfies Record<string, ContactCaseDefinition>

export type ContactCase = keyof typeof contactCaseDefinitions
