import { type Answer, crashAnswer, messageAnswer, sessionAnswer } from "./answer.js"
import type { Ctx } from "./context.js"
import type { ErpRequest } from "./request.js"

export const loginOkMessage = "API鉴权成功."
export const badCredentialsMessage = "用户名或密码错误！"
export const badCaptchaMessage = "验证码错误！"

/** `txt:` marks plain text; without it the value is DES ciphertext, which the mock cannot read. */
const plain = (value: string): string | undefined => (value.startsWith("txt:") ? value.slice(4) : undefined)

const loginFailure = (ctx: Ctx, message: string, captcha: boolean): Answer => ({
  type: "envelope",
  kind: "loginFailed",
  text: message,
  json: {
    header: { status: ctx.config.loginFailStatus, message, language: "cn", session: "" },
    body: {
      model: "init",
      action: "fail",
      fail: {
        message,
        ...(captcha ? { newrndcode: `/sysa/mobilephone/rndcode.asp?t=${ctx.rng.int(100000, 999999)}` } : {})
      }
    }
  }
})

/** ov1/login and login.asp: a captcha (`rndcode`) is demanded once a user has failed `captchaAfter` times. */
export const loginPage = (ctx: Ctx, req: ErpRequest): Answer => {
  if (!req.body) return crashAnswer("无效的请求数据")
  const rawUser = req.param("user")
  const user = plain(rawUser) ?? rawUser
  const password = plain(req.param("password"))
  const failures = ctx.loginFailures.get(user)
  if (failures && failures.count >= ctx.config.captchaAfter) {
    if (req.param("rndcode").trim().toLowerCase() !== failures.captcha.toLowerCase()) {
      failures.count++
      return loginFailure(ctx, badCaptchaMessage, true)
    }
  }
  const account = ctx.config.accounts.find((candidate) => candidate.user === user && candidate.password === password)
  if (!account) {
    const count = (failures?.count ?? 0) + 1
    const captcha = count >= ctx.config.captchaAfter
    ctx.loginFailures.set(user, {
      count,
      captcha: failures?.captcha || (captcha ? String(ctx.rng.int(1000, 9999)) : "")
    })
    return loginFailure(ctx, badCredentialsMessage, captcha)
  }
  ctx.loginFailures.delete(user)
  const session = ctx.sessions.open(account)
  return {
    type: "envelope",
    kind: "data",
    text: loginOkMessage,
    json: {
      header: { status: 0, message: loginOkMessage, language: "cn", session, appversion: ctx.config.appVersion },
      body: {
        model: "init",
        action: "sys",
        init: {
          info: { userid: account.id, username: account.user, ratebit: Math.round(ctx.config.sessionIdleMs / 1000) }
        }
      }
    }
  }
}

/** logout.asp and ov1/logout: the session named in the body (or the V3 token header) ends. */
export const logoutPage = (ctx: Ctx, req: ErpRequest): Answer => {
  if (!req.body) return crashAnswer("无效的请求数据")
  const token = req.session || req.header("ZBAPI-Token").trim()
  const check = ctx.sessions.check(token)
  if (!check.ok) return sessionAnswer(ctx.config.sessionErrorStatus, check.message)
  ctx.sessions.close(token)
  return messageAnswer("您已安全退出系统！", true, token)
}
