/** The commented `hub`, `table` and `policy` sections `tongbu init --pair` writes; every value shown is the default. */
export const sections = `hub:
  # The hub's SQLite file.
  # database: /srv/hub/data/data.db
  # The zone of the hub's naive timestamps (Python writes local time).
  timeZone: Asia/Shanghai
  # Create a pending customer row for each promoted WeChat contact that has none.
  intake: false

# The customer table (see @tongbu/adapter-sql-table): its file, table, id column, the column of each field
# (code, name and mobile are needed; wechat, email, address are synced when named) and its version column.
# table:
#   path: crm.db
#   table: customers
#   idColumn: id
#   columns: { code: code, name: full_name, mobile: mobile, email: email }
#   versionColumn: row_version
#   keyColumn: sync_key

policy:
  # Per-field rule when both sides changed since they last agreed:
  # hubWins | tableWins | newestWins | manual (manual parks it: \`tongbu conflicts\`).
  conflicts:
    name: tableWins
    mobile: tableWins
    wechat: tableWins
    email: tableWins
    address: tableWins
  # Fields copied only into an empty field, never overwriting a value.
  fillIn: [wechat]`

export const next = [
  "Next: set hub.database and the table section in it (or TONGBU_HUB_DB, TONGBU_SQL_TABLE_PATH),",
  "then try `tongbu sync --dry-run`."
].join("\n")
