/**
 * The commented `erp`, `hub`, `policy` and `mapping` sections `tongbu init` writes for this pair. Every value shown is
 * the default (sync-rules.md), so the file is valid as written; a test keeps it in step with the sections' schema.
 */
export const sections = `erp:
  # The ERP's base URL (the IIS host and port, no path).
  # url: http://erp.example.com:46088
  # A dedicated API account limited to customer and contact management is enough (sync-rules §10).
  # user: api-sync
  # The password is never written here: set TONGBU_ERP_PASSWORD, or name a file that holds it.
  # passwordFile: /run/secrets/tongbu-erp-password
  # ERP calls in flight at once, and the most calls per second.
  concurrency: 5
  requestsPerSecond: 10
  timeoutSeconds: 30

hub:
  # The hub's SQLite file (the hub keeps writing it while the sync runs).
  # database: /srv/hub/data/data.db
  # The zone of the hub's naive timestamps (Python writes local time).
  timeZone: Asia/Shanghai
  # Create a pending customer row for each promoted WeChat contact that has none.
  intake: true
  # The language of erp_sync_error, which the hub's sales staff read: en or zh.
  # Default: the reports' language (--lang, else TONGBU_LANG, else the locale).
  # language: zh

policy:
  # Per-field conflict rule when both sides changed since they last agreed:
  # erpWins | hubWins | newestWins | manual (manual parks it: \`tongbu conflicts\`).
  conflicts:
    name: erpWins
    mobile: erpWins
    wechat: erpWins
    email: erpWins
    address: erpWins
    erpCategory: erpWins
    erpFollowLevel: erpWins
    erpSource: erpWins
    erpValue: erpWins
  # Fields copied only into an empty field, never overwriting a value (the WeChat-id rule).
  fillIn: [wechat, email, address]
  # Fields the ERP's duplicate check (查重, its 策略 settings) refuses twice: a create or update that would repeat
  # one is skipped, naming the ERP customer that holds it, instead of being refused by the ERP on every run.
  erpUnique: [name, mobile]
  # Which hub customers may be pushed to the ERP (each failed check is reported as a skip reason).
  admission:
    requireMobile: true          # a valid 11-digit mainland mobile
    requireVerifiedPhone: true   # phone_verified = 1
    minNameLength: 3             # shortest customer name accepted, after trimming
    rejectFormsOfAddress: true   # 张先生, 王老板 are not names
    formsOfAddress: [先生, 女士, 小姐, 老板, 老总, 总, 经理, 老师, 师傅, 阿姨, 大哥, 大姐, 哥, 姐, 姨, 叔]
    minScore: 60                 # intent_score, or the latest signal score when it is 0
    requireCompanyName: true     # company customers (erp_customer_type = 1) need a company name
    rejectMarkedInvalid: true
  pull:
    # Pull only ERP customers of these sources (ly ids, e.g. [171]); empty = every customer.
    sources: []
  # New conversation summaries of linked customers become ERP follow-up records (洽谈进展).
  followUps: true
  # The conversation history of hub rows already linked to an ERP customer (by the hub itself, or by a tongbu whose
  # state was lost) is not pushed when a run adopts their link, as whoever linked them may have pushed it already;
  # only content after the adoption is. true pushes that history too (set it before the run that adopts them).
  backfillAdopted: false

mapping:
  # The ERP code (khid) of a hub-born customer: this prefix and the hub id (WX1024).
  khidPrefix: WX
  # ly of customers created from the hub (171 = 网站注册, the WeChat channel).
  ly: 171
  # sort1 of created customers ("category,follow-level"; the ERP requires one).
  sort1: "17,146"
  # Score -> jz (价值评估): the first step whose min the score reaches.
  jzScale:
    - { min: 90, jz: 175 }
    - { min: 75, jz: 289 }
    - { min: 60, jz: 176 }
    - { min: 45, jz: 177 }
    - { else: 290 }
  # Conversation summaries -> follow-up records (洽谈进展): the first template whose keyword the text holds.
  followUp:
    templates:
      - { id: 106, keywords: [很好, 发合同, 签约] }
      - { id: 107, keywords: [无人接听, 未接] }
      - { id: 108, keywords: [还没考虑, 再等等] }
      - { id: 109, keywords: [面谈, 见面] }
      - { id: 120, keywords: [考虑中, 研究一下] }
    defaultTemplate: 120
    sort: 484      # follow-up method: 481 phone, 482 mail, 483 visit, 484 other
    plantype: 0
  # Who gets a customer created from the hub: ERP user ids. A tier without salespeople falls through;
  # below every tier (or with none configured) the customer goes to the public pool.
  assignment:
    top: { minScore: 80, salespeople: [] }       # assigned to all of them
    general: { minScore: 60, salespeople: [] }   # assigned to one of them, in turn`

export const next = [
  "Next: set erp.url, erp.user and hub.database in it (or TONGBU_ERP_URL, TONGBU_ERP_USER, TONGBU_HUB_DB),",
  "export TONGBU_ERP_PASSWORD, then try `tongbu sync --dry-run`."
].join("\n")
