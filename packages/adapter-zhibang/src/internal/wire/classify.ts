import { Data } from "effect"
import type { RejectionReason } from "../../ZhibangError.js"
import { fieldOfCaption } from "../fields.js"
import type { Body, Envelope } from "./answer.js"

/**
 * What an answer means, before any policy: the client turns these into its errors. Texts are the ERP's own; the
 * patterns come from the vendor's server code (spec §2, §3).
 */

export type Verdict = Data.TaggedEnum<{
  /** The call went through; the body is what the page answered. */
  Ok: { readonly body: Body; readonly data?: unknown }
  /** Not logged in, session expired or kicked by a newer login: log in again, then retry. */
  SessionLost: { readonly text: string }
  /** A save refused by a business rule, with the field it names when it names one. */
  Rejected: { readonly reason: RejectionReason; readonly text: string; readonly field: string | undefined }
  /** The ERP failed on its side (crash envelope, `服务器异常`): try later (after a write, look whether it landed). */
  Failed: { readonly text: string }
  /** An answer whose meaning is unknown: a write may or may not have happened. */
  Unclear: { readonly text: string }
  /** Nothing will work until a person acts (frozen user, missing permission). */
  Fatal: { readonly text: string }
}>
export const Verdict = Data.taggedEnum<Verdict>()

const sessionPatterns = [/未登录/, /会话/, /重新登录/, /已在.*登录/, /下线/, /UniqueLogin/i]
const isFrozen = (text: string) => /冻结/.test(text)
const isPermission = (text: string) => /权限/.test(text)
const isCrash = (status: string | null | undefined, text: string) =>
  status === "11" || /^服务程序发生错误/.test(text) || /^服务器异常/.test(text)

export const isSessionText = (text: string): boolean => sessionPatterns.some((pattern) => pattern.test(text))

/** `status` compared loosely: `0`, `"0"` and a missing status all mean the call went through. */
const statusOk = (status: string | null | undefined): boolean =>
  status === undefined || status === null || Number(status) === 0

/** The envelope of any V1 page or the login: status first, then the body. */
export const classifyEnvelope = (envelope: Envelope): Verdict => {
  const status = envelope.header?.status
  const text = envelope.header?.message ?? ""
  if (!statusOk(status)) {
    if (isCrash(status, text)) return Verdict.Failed({ text: text || `status ${status}` })
    if (isFrozen(text) || isPermission(text)) return Verdict.Fatal({ text })
    if (isSessionText(text)) return Verdict.SessionLost({ text })
    return Verdict.Failed({ text: text || `status ${status}` })
  }
  return Verdict.Ok({ body: envelope.body ?? {} })
}

const rejection = (
  reason: RejectionReason,
  text: string,
  caption: string | undefined,
  learned: ReadonlyMap<string, string>
) =>
  Verdict.Rejected({
    reason,
    text,
    field: caption === undefined ? undefined : (fieldOfCaption(caption, learned) ?? caption.replace(/\s+/g, ""))
  })

/**
 * A save's `message.text` (status 0 whether it worked or not). A text that says neither success nor a known refusal
 * is `Unclear`: the caller must find out whether the write landed rather than assume either.
 */
export const classifySaveText = (text: string, learned: ReadonlyMap<string, string> = new Map()): Verdict => {
  const trimmed = text.trim()
  if (/成功/.test(trimmed) && !/不成功|未成功|失败/.test(trimmed)) return Verdict.Ok({ body: {} })
  if (isCrash(undefined, trimmed)) return Verdict.Failed({ text: trimmed })
  if (isFrozen(trimmed) || isPermission(trimmed)) return Verdict.Fatal({ text: trimmed })
  if (isSessionText(trimmed)) return Verdict.SessionLost({ text: trimmed })
  let match = /^此(.+?)【(.*)】已存在/.exec(trimmed)
  if (match) return rejection("duplicate", trimmed, match[1], learned)
  match = /^(.+?)不能为空/.exec(trimmed)
  if (match) return rejection("required", trimmed, match[1], learned)
  match = /^(.+?)(?:的?长度)?(?:不能|不得)?(?:超过|超出|大于|过长|最多)/.exec(trimmed)
  if (match) return rejection("tooLong", trimmed, match[1], learned)
  if (/已被保护/.test(trimmed)) return rejection("protected", trimmed, undefined, learned)
  if (/已被删除/.test(trimmed)) return rejection("deleted", trimmed, undefined, learned)
  match = /^(.+?)【.*】不存在/.exec(trimmed)
  if (match) return rejection("invalid", trimmed, match[1], learned)
  match = /^(.+?)(?:的值.*)?(?:无效|不是有效|必须是|格式不正确|不正确)/.exec(trimmed)
  if (match) return rejection("invalid", trimmed, match[1], learned)
  return Verdict.Unclear({ text: trimmed === "" ? "(empty message)" : trimmed })
}

/** A save answer: a `message` model whose text tells; any other shape is unclear. */
export const classifySave = (body: Body, learned?: ReadonlyMap<string, string>): Verdict => {
  const text = body.message?.text
  if (body.model !== "message" && text === undefined)
    return Verdict.Unclear({ text: `a '${body.model ?? "?"}' answer to a save` })
  return classifySaveText(text ?? "", learned)
}
