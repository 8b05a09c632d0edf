/** Writes the fixture's rows: customers of every case, their WeChat contacts, threads and signals, intake contacts. */
import type Database from "better-sqlite3"
import { Option } from "effect"
import type {
  FixtureContact,
  FixtureCustomer,
  FixtureErpCustomer,
  HubFixtureOptions,
  HubFixtureSummary,
  StampStyle
} from "../HubFixture.js"
import type { HubTimeZone } from "../HubTime.js"
import { formatHubTimestamp, formatSqliteTimestamp } from "../HubTime.js"
import { normalizeMobile } from "../Normalize.js"
import type { ContactCase, CustomerCase, RowSpec } from "./fixtureCases.js"
import { cleanRow, contactCaseDefinitions, customerCaseDefinitions } from "./fixtureCases.js"
import type { Rng } from "./fixtureData.js"
import * as data from "./fixtureData.js"

const DAY = 86_400_000
const bucketOf = (score: number) => (score >= 80 ? "WHITE" : score >= 60 ? "GRAY" : "BLACK")
const customerCaseNames = Object.keys(customerCaseDefinitions) as Array<CustomerCase>
const contactCaseNames = Object.keys(contactCaseDefinitions) as Array<ContactCase>

/** Every case once, in order, then a seeded mix (about half of it clean). */
const caseFor = <K extends string>(rng: Rng, index: number, names: ReadonlyArray<K>, clean: ReadonlyArray<K>): K =>
  index < names.length ? (names[index] as K) : rng.chance(0.5) ? rng.pick(clean) : rng.pick(names)

/** A linked row as the hub's own sync left it: the ERP customer's name, kind and mobile (normalized, if valid). */
const asLinkedTo = (spec: RowSpec, erp: FixtureErpCustomer): RowSpec => {
  const mobile = erp.mobile === null ? null : Option.getOrNull(normalizeMobile(erp.mobile))
  return {
    ...spec,
    type: erp.intsort,
    company: erp.intsort === 1 ? erp.name : null,
    person: erp.intsort === 2 ? erp.name : spec.person,
    phone: mobile,
    expectedPhone: mobile
  }
}

export const fillHub = (
  sqlite: Database.Database,
  path: string,
  options: HubFixtureOptions,
  zone: HubTimeZone
): HubFixtureSummary => {
  const rng = data.makeRng(options.seed)
  const base = options.baseTime ?? Date.UTC(2025, 9, 20, 2)
  const when = () => base - rng.int(0, 60 * DAY)
  const stamp = (ms: number, style: StampStyle) =>
    style === "sqlite"
      ? formatSqliteTimestamp(ms)
      : style === "iso"
        ? formatHubTimestamp(ms, zone).replace(" ", "T")
        : formatHubTimestamp(ms, zone)
  const insert = {
    customer: sqlite.prepare(`INSERT INTO customers_unified (id, erp_customer_id, erp_customer_code, wechat_id,
      company_name, company_name_source, real_name, real_name_source, phone, phone_source, phone_verified, email,
      address, address_source, wechat_nickname, wechat_remark, erp_customer_type, intent_score, intent_level,
      last_contact_time, last_message_content, marked_as_invalid, erp_sync_status, erp_sync_action,
      created_at, updated_at, created_by, updated_by)
      VALUES (@id, @erp_customer_id, @erp_customer_code, @wechat_id, @company_name, @source, @real_name, @source,
      @phone, @source, @phone_verified, @email, @address, @source, @wechat_nickname, @wechat_remark,
      @erp_customer_type, @intent_score, @intent_level, @last_contact_time, @last_message_content,
      @marked_as_invalid, @erp_sync_status, @erp_sync_action, @created_at, @updated_at, @created_by, 'system')`),
    contact:
      sqlite.prepare(`INSERT INTO contacts (id, wx_id, remark, k_code, source, type, confidence, created_at, updated_at)
      VALUES (@id, @wx_id, @remark, @k_code, 'wechat', @type, @confidence, @created_at, @updated_at)`),
    thread:
      sqlite.prepare(`INSERT INTO threads (id, contact_id, last_speaker, last_msg_at, status, bucket, topic, created_at, updated_at)
      VALUES (@id, @contact_id, @last_speaker, @last_msg_at, @status, @bucket, @topic, @created_at, @updated_at)`),
    signal:
      sqlite.prepare(`INSERT INTO signals (id, thread_id, keyword_hits, file_types, worktime_score, kb_match_score, total_score, bucket, created_at)
      VALUES (@id, @thread_id, '[]', '[]', @worktime, @kb, @total, @bucket, @created_at)`)
  }
  const counts = { customers: 0, contacts: 0, threads: 0, signals: 0 }
  const conversation = (
    wxId: string,
    type: string,
    remark: string | null,
    scores: ReadonlyArray<number>,
    at: number
  ) => {
    const contactId = data.uuid(rng)
    insert.contact.run({
      id: contactId,
      wx_id: wxId,
      remark,
      k_code: `K${rng.int(1000, 9999)}-渝A-${remark ?? "客户"}-VIP-微信`,
      type,
      confidence: rng.int(0, 100),
      created_at: formatSqliteTimestamp(at - 30 * DAY),
      updated_at: stamp(at, "python")
    })
    const latest = scores[scores.length - 1] ?? 0
    const threadId = data.uuid(rng)
    insert.thread.run({
      id: threadId,
      contact_id: contactId,
      last_speaker: rng.pick(["me", "them"]),
      last_msg_at: stamp(at, "python"),
      status: rng.pick(["UNSEEN", "NEED_REPLY", "WAITING_THEM", "OVERDUE", "RESOLVED"]),
      bucket: bucketOf(latest),
      topic: rng.chance(0.85) ? data.topic(rng) : null,
      created_at: formatSqliteTimestamp(at - 30 * DAY),
      updated_at: stamp(at, "python")
    })
    scores.forEach((total, i) => {
      insert.signal.run({
        id: data.uuid(rng),
        thread_id: threadId,
        worktime: rng.int(0, 20),
        kb: rng.int(0, 40),
        total,
        bucket: bucketOf(total),
        created_at: stamp(at - (scores.length - i) * 3_600_000, "python")
      })
    })
    counts.contacts++
    counts.threads++
    counts.signals += scores.length
  }

  const usedMobiles = new Set<string>()
  const erpCustomers = [...(options.erpCustomers ?? [])]
  const customers: Array<FixtureCustomer> = []
  let firstMobile: string | undefined
  for (let i = 0; i < options.customers; i++) {
    const id = i + 1
    const kind = caseFor(rng, i, customerCaseNames, ["clean_company", "clean_person"])
    const mobile = data.uniqueMobile(rng, usedMobiles)
    firstMobile ??= mobile
    const drawn: RowSpec = customerCaseDefinitions[kind].build({
      rng,
      base: cleanRow(rng, mobile),
      mobile,
      firstMobile
    })
    // after every draw of the row, so that naming an ERP customer changes no other row of the file
    const erp = drawn.linked ? erpCustomers.shift() : undefined
    const spec = erp === undefined ? drawn : asLinkedTo(drawn, erp)
    const style = rng.pick<StampStyle>(["python", "sqlite", "iso"])
    const updated = when()
    const wechatId = spec.wechat ? `wxid_${rng.hex(10)}` : null
    const score = Number(spec.intent)
    insert.customer.run({
      id,
      erp_customer_id: spec.linked ? (erp?.ord ?? 100_000 + id) : null,
      erp_customer_code: spec.linked ? (erp === undefined ? (spec.erpBorn ? `KH${id}` : `WX${id}`) : erp.khid) : null,
      wechat_id: wechatId,
      company_name: spec.company,
      real_name: spec.person,
      source: spec.erpBorn ? "erp" : "wechat",
      phone: spec.phone,
      phone_verified: spec.phoneVerified,
      email: rng.chance(0.4) ? `sales${id}@example.cn` : null,
      address: rng.chance(0.6) ? data.address(rng) : "",
      wechat_nickname: spec.wechat ? spec.nickname : null,
      wechat_remark: spec.wechat && rng.chance(0.5) ? spec.person : null,
      erp_customer_type: spec.type,
      intent_score: spec.intent,
      intent_level: score >= 80 ? "high" : score >= 60 ? "medium" : score > 0 ? "low" : null,
      last_contact_time: spec.wechat ? stamp(updated, "python") : null,
      last_message_content: spec.wechat && rng.chance(0.6) ? data.message(rng) : null,
      marked_as_invalid: spec.invalid,
      erp_sync_status: spec.linked ? "synced" : "pending",
      erp_sync_action: spec.linked ? "create" : null,
      created_at: stamp(updated - 30 * DAY, style),
      updated_at: spec.nullUpdatedAt ? null : stamp(updated, style),
      created_by: spec.erpBorn ? "erp-import" : "wechat-hub"
    })
    counts.customers++
    if (wechatId !== null) conversation(wechatId, rng.pick(["customer", "lead"]), spec.person, spec.signals, updated)
    customers.push({
      id,
      case: kind,
      wechatId,
      phone: spec.expectedPhone,
      stampStyle: style,
      updatedAt: spec.nullUpdatedAt ? undefined : style === "sqlite" ? Math.floor(updated / 1000) * 1000 : updated,
      ...(spec.linked ? { erpCustomerId: erp?.ord ?? 100_000 + id, erpCustomerExists: erp !== undefined } : {})
    })
  }

  const contacts: Array<FixtureContact> = []
  const extra = options.contacts ?? Math.ceil(options.customers / 4)
  for (let i = 0; i < extra; i++) {
    const kind = caseFor(rng, i, contactCaseNames, ["contact_customer_type", "contact_lead_gray"])
    const definition = contactCaseDefinitions[kind]
    const wxId = `wxid_${rng.hex(12)}`
    conversation(wxId, definition.type, rng.chance(0.5) ? data.personName(rng) : null, definition.signals, when())
    contacts.push({ wxId, case: kind })
  }
  return { path, customers, contacts, counts }
}
