/**
 * The hub's DDL as the Python hub creates it (SQLAlchemy for `customers_unified`, hand-written SQL for the WeChat
 * tables). Only the fixture generator runs it, on files it creates; the adapter never runs DDL on a hub file.
 */
const source = (column: string) => `${column}_source VARCHAR(20) DEFAULT 'unknown'`

export const hubDdl = `
CREATE TABLE customers_unified (
  id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  erp_customer_id INTEGER UNIQUE,
  erp_customer_code VARCHAR(50),
  wechat_id VARCHAR(100) UNIQUE,
  company_name VARCHAR(200),
  ${source("company_name")},
  company_name_verified BOOLEAN DEFAULT 0,
  company_name_verified_at DATETIME,
  real_name VARCHAR(100),
  ${source("real_name")},
  phone VARCHAR(20),
  ${source("phone")},
  phone_verified BOOLEAN DEFAULT 0,
  phone_verified_at DATETIME,
  email VARCHAR(100),
  ${source("email")},
  email_verified BOOLEAN DEFAULT 0,
  address TEXT,
  ${source("address")},
  wechat_nickname VARCHAR(200),
  wechat_avatar VARCHAR(500),
  wechat_remark VARCHAR(200),
  erp_customer_type INTEGER DEFAULT 1,
  erp_customer_category VARCHAR(100),
  erp_follow_level VARCHAR(50),
  erp_source VARCHAR(50),
  erp_value_assessment VARCHAR(50),
  erp_industry VARCHAR(50),
  erp_region VARCHAR(50),
  extracted_company_info TEXT,
  extracted_product_interest TEXT,
  extracted_needs TEXT,
  business_license_info TEXT,
  business_license_path VARCHAR(500),
  business_license_verified BOOLEAN DEFAULT 0,
  intent_score FLOAT DEFAULT 0.0,
  intent_level VARCHAR(20),
  intent_signals TEXT,
  intent_updated_at DATETIME,
  message_count INTEGER DEFAULT 0,
  conversation_days INTEGER DEFAULT 0,
  first_contact_time DATETIME,
  last_contact_time DATETIME,
  last_message_content TEXT,
  has_order BOOLEAN DEFAULT 0,
  has_contract BOOLEAN DEFAULT 0,
  has_payment BOOLEAN DEFAULT 0,
  marked_as_important BOOLEAN DEFAULT 0,
  marked_as_invalid BOOLEAN DEFAULT 0,
  has_quote_request BOOLEAN DEFAULT 0,
  data_quality_score FLOAT DEFAULT 0.0,
  data_completeness FLOAT DEFAULT 0.0,
  quality_issues TEXT,
  erp_sync_status VARCHAR(20) DEFAULT 'pending',
  erp_sync_action VARCHAR(20),
  erp_sync_rule VARCHAR(100),
  erp_sync_confidence FLOAT,
  erp_sync_error TEXT,
  erp_last_pulled DATETIME,
  erp_last_pushed DATETIME,
  local_updated_at DATETIME,
  erp_updated_at DATETIME,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  created_by VARCHAR(100),
  updated_by VARCHAR(100) DEFAULT 'system'
);
CREATE INDEX ix_customers_unified_erp_customer_id ON customers_unified (erp_customer_id);
CREATE INDEX ix_customers_unified_wechat_id ON customers_unified (wechat_id);
CREATE INDEX ix_customers_unified_phone ON customers_unified (phone);
CREATE INDEX ix_customers_unified_erp_sync_status ON customers_unified (erp_sync_status);
CREATE INDEX ix_customers_unified_data_quality_score ON customers_unified (data_quality_score);
CREATE INDEX ix_customers_unified_intent_score ON customers_unified (intent_score);
CREATE TRIGGER update_customers_unified_timestamp
  AFTER UPDATE ON customers_unified FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE customers_unified SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;

CREATE TABLE IF NOT EXISTS contacts (
  id TEXT PRIMARY KEY,
  wx_id TEXT UNIQUE NOT NULL,
  remark TEXT,
  k_code TEXT,
  source TEXT NOT NULL DEFAULT 'wechat',
  type TEXT NOT NULL DEFAULT 'unknown',
  confidence INTEGER NOT NULL DEFAULT 0,
  owner TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS threads (
  id TEXT PRIMARY KEY,
  contact_id TEXT NOT NULL REFERENCES contacts(id),
  last_speaker TEXT NOT NULL,
  last_msg_at DATETIME NOT NULL,
  status TEXT NOT NULL,
  bucket TEXT NOT NULL,
  sla_at DATETIME,
  snooze_at DATETIME,
  follow_up_at DATETIME,
  topic TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
  updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_threads_contact_id ON threads (contact_id);
CREATE TABLE IF NOT EXISTS signals (
  id TEXT PRIMARY KEY,
  thread_id TEXT NOT NULL REFERENCES threads(id),
  keyword_hits TEXT,
  file_types TEXT,
  worktime_score INTEGER,
  kb_match_score INTEGER,
  total_score INTEGER NOT NULL DEFAULT 0,
  bucket TEXT NOT NULL,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_signals_thread_id ON signals (thread_id);
`
