import { type Answer, v3Answer, v3Data } from "./answer.js"
import type { Ctx } from "./context.js"
import { type ErpRequest, looseText } from "./request.js"

/** The account list's columns, as the vendor's catalog names them (账号列表). */
const columns = ["ord", "username", "ygid", "name", "status", "orgsid", "partname"] as const

const pageNumber = (value: string, fallback: number) => {
  const n = Number(value)
  return Number.isInteger(n) && n > 0 ? n : fallback
}

/**
 * /webapi/v3/orgs/user/list: the ERP's accounts, the API's own and the salespeople customers are assigned to, one
 * page of them. `ZBAPI-Token` header, plain JSON body (`page_size`, `page_index`, filters `name`, `username`); the
 * answer's page is under `Data` as `Page`, `Cols` and positional `Rows` of strings, as the V1 lists have them.
 */
export const v3UserListPage = (ctx: Ctx, req: ErpRequest): Answer => {
  const check = ctx.sessions.check(req.header("ZBAPI-Token").trim())
  if (!check.ok) return v3Answer(400, check.message)
  const body = req.body ?? {}
  const text = (key: string) => looseText(body[key]).trim()
  const pageSize = pageNumber(text("page_size"), 20)
  const pageIndex = pageNumber(text("page_index"), 1)
  const users = [
    ...ctx.config.accounts.map((account) => ({ ord: account.id, username: account.user, name: account.user })),
    ...ctx.config.salespeople.map((person) => ({ ord: person.id, username: `user${person.id}`, name: person.name }))
  ]
    .filter((user) => text("name") === "" || user.name.includes(text("name")))
    .filter((user) => text("username") === "" || user.username.includes(text("username")))
    .sort((a, b) => a.ord - b.ord)
  const rows = users
    .slice((pageIndex - 1) * pageSize, pageIndex * pageSize)
    .map((user) => [String(user.ord), user.username, "", user.name, "正常", "1", "销售部"])
  return v3Data({
    Page: {
      RecordCount: users.length,
      PageSize: pageSize,
      PageIndex: pageIndex,
      PageCount: Math.max(1, Math.ceil(users.length / pageSize))
    },
    Cols: columns,
    Rows: rows
  })
}
