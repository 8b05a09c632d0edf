import type { Endpoint } from "../Model.js"
import {
  applyPage,
  approvePage,
  assignPage,
  enumPage,
  followUpPage,
  formPage,
  protectPage,
  takebackPage,
  unprotectPage
} from "./actionPages.js"
import { type Answer, crashAnswer, iisNotFound, sessionAnswer, v3Answer } from "./answer.js"
import { isUnimplementedCatalogPath } from "./catalogPaths.js"
import {
  contactDetailPage,
  contactFormPage,
  contactListPage,
  contactSavePage,
  contactSkeletonPage
} from "./contactPages.js"
import type { Ctx, Page } from "./context.js"
import { customerListPage, customerSkeletonPage } from "./customerList.js"
import { allocatePage, detailPage, isEditMode, savePage } from "./customerPages.js"
import { assignFields, followUpFields } from "./fields.js"
import { loginPage, logoutPage } from "./loginPages.js"
import type { ErpRequest } from "./request.js"
import { v3CustomerPage } from "./v3Pages.js"
import { v3UserListPage } from "./v3Users.js"

export interface Route {
  readonly endpoint: Endpoint
  readonly run: (ctx: Ctx, req: ErpRequest) => Answer
  /** The session token the call carries, if any (a session-expiry fault ends it). */
  readonly token: (req: ErpRequest) => string
}

const bodySession = (req: ErpRequest) => req.session
const v3Token = (req: ErpRequest) => req.header("ZBAPI-Token").trim()

/** A mobile page: the body must parse and carry a live session before the page runs. */
const v1 = (endpoint: Endpoint, page: Page): Route => ({
  endpoint,
  token: bodySession,
  run: (ctx, req) => {
    if (!req.body) return crashAnswer("无效的请求数据")
    const check = ctx.sessions.check(req.session)
    if (!check.ok) return sessionAnswer(ctx.config.sessionErrorStatus, check.message)
    return page(ctx, req, check.account)
  }
})

const open = (endpoint: Endpoint, run: Route["run"]): Route => ({ endpoint, token: bodySession, run })

const notImplemented = (req: ErpRequest): Answer =>
  req.route.startsWith("/webapi/")
    ? v3Answer(500, "服务器内部错误：此接口在模拟ERP中未实现。")
    : {
        type: "envelope",
        kind: "notImplemented",
        text: "此功能在模拟ERP中未实现。",
        json: { header: { status: 2, message: "此功能在模拟ERP中未实现。", language: "cn", session: "" } }
      }

const unimplementedRoute = open("unimplemented", (_ctx, req) => notImplemented(req))
const notFoundRoute = open("notFound", () => iisNotFound())

const mobile = "/sysa/mobilephone"

/** Which page (and command) a request reaches. Paths are matched case-insensitively, as IIS does. */
export const resolveRoute = (req: ErpRequest): Route => {
  const command = req.command.toLowerCase()
  const save = command === "__sys_dosave"
  const telType = req.query("datatype").toLowerCase() === "tel"
  switch (req.route) {
    case "/webapi/v3/ov1/login":
    case `${mobile}/login.asp`:
      return open("login", loginPage)
    case "/webapi/v3/ov1/logout":
    case `${mobile}/logout.asp`:
      return { endpoint: "logout", token: (r) => r.session || v3Token(r), run: logoutPage }
    case `${mobile}/salesmanage/custom/add.asp`:
      if (save) return v1("customer.save", savePage)
      if (command === "profect") return v1("pool.protect", protectPage)
      if (command === "unprofect") return v1("pool.unprotect", unprotectPage)
      return isEditMode(req) ? v1("customer.detail", detailPage) : v1("customer.allocate", allocatePage)
    case `${mobile}/salesmanage/custom/list.asp`:
      return command === "refresh"
        ? v1("customer.list", customerListPage)
        : v1("customer.skeleton", customerSkeletonPage)
    case `${mobile}/salesmanage/custom/apply.asp`:
      return v1("pool.apply", applyPage)
    case `${mobile}/salesmanage/custom/approve.asp`:
      return v1("pool.approve", approvePage)
    case `${mobile}/salesmanage/custom/takeback.asp`:
      return v1("pool.takeback", takebackPage)
    case `${mobile}/systemmanage/order.asp`:
      if (!telType) return unimplementedRoute
      return save ? v1("assign", assignPage) : v1("assign.form", formPage("order", "客户指派", assignFields))
    case `${mobile}/systemmanage/reply.asp`:
      if (!telType) return unimplementedRoute
      return save ? v1("followUp", followUpPage) : v1("followUp.form", formPage("reply", "洽谈进展", followUpFields))
    case `${mobile}/salesmanage/person/add.asp`:
      if (save) return v1("contact.save", contactSavePage)
      return isEditMode(req) ? v1("contact.detail", contactDetailPage) : v1("contact.form", contactFormPage)
    case `${mobile}/salesmanage/person/list.asp`:
      return command === "refresh" ? v1("contact.list", contactListPage) : v1("contact.skeleton", contactSkeletonPage)
    case `${mobile}/source.asp`:
      return v1("enum", enumPage)
    case "/webapi/v3/sales/customer/add":
      return { endpoint: "customer.v3add", token: v3Token, run: v3CustomerPage("customer.v3add") }
    case "/webapi/v3/orgs/user/list":
      return { endpoint: "user.list", token: v3Token, run: v3UserListPage }
    case "/webapi/v3/sales/customer/edit":
      return { endpoint: "customer.v3edit", token: v3Token, run: v3CustomerPage("customer.v3edit") }
    default:
      return isUnimplementedCatalogPath(req.route) ? unimplementedRoute : notFoundRoute
  }
}
