import type { AnswerKind } from "../Model.js"

/** What a page answers, before it becomes an HTTP response (faults may replace it). */
export type Answer =
  | {
      readonly type: "envelope"
      readonly kind: AnswerKind
      readonly json: unknown
      /** The message text, for the call log. */
      readonly text: string
    }
  | {
      readonly type: "v3"
      readonly kind: AnswerKind
      readonly code: 200 | 300 | 400 | 500
      readonly msg: string
      /** A list's page (`Data`), on a read that went through. */
      readonly data?: unknown
    }
  | { readonly type: "html"; readonly kind: AnswerKind; readonly status: number; readonly html: string }
  | { readonly type: "plain"; readonly kind: AnswerKind; readonly text: string }
  /** The connection is reset: no answer at all. */
  | { readonly type: "reset"; readonly kind: AnswerKind }

/** Set on the stand-in response for a reset connection; `MockErp.fetch` and `serveMockErp` turn it into a real drop. */
export const resetMarker = "x-mock-erp-reset"

const header = (status: number | string, message: string, session: string) => ({
  status,
  message,
  language: "cn",
  session
})

/** A `bill`, `report`, `source` or `init` model: the call went through. */
export const dataAnswer = (model: string, action: string, payload: unknown, session: string): Answer => ({
  type: "envelope",
  kind: "data",
  text: "",
  json: { header: header(0, "", session), body: { model, action, [model]: payload } }
})

/** A save result: status 0 whether it worked or not; only `message.text` tells. */
export const messageAnswer = (text: string, ok: boolean, session: string): Answer => ({
  type: "envelope",
  kind: ok ? "saved" : "rejected",
  text,
  json: {
    header: header(0, "", session),
    body: {
      model: "message",
      action: "",
      message: { title: "", text, url: "", wait: 0, target: "self", uitype: "", data: "" }
    }
  }
})

/** A page this installation does not have, as the ERP answers it (status 0, a message saying so). */
export const unknownPageAnswer = (session: string): Answer => ({
  ...messageAnswer("未知页面", false, session),
  kind: "notFound"
})

/** Not logged in, expired, kicked: a failure status with no body model. */
export const sessionAnswer = (status: number, message: string): Answer => ({
  type: "envelope",
  kind: "session",
  text: message,
  json: { header: header(status, message, "") }
})

/** The server's own crash envelope: note the status is the string "11". */
export const crashAnswer = (detail: string, kind: AnswerKind = "badRequest"): Answer => ({
  type: "envelope",
  kind,
  text: `服务程序发生错误:${detail}`,
  json: { header: { status: "11", message: `服务程序发生错误:${detail}` } }
})

export const v3Answer = (code: 200 | 300 | 400 | 500, msg: string): Answer => ({
  type: "v3",
  kind: code === 200 ? "saved" : code === 300 ? "rejected" : code === 400 ? "session" : "badRequest",
  code,
  msg
})

/** A V3 read that went through: `Code` 200 and the page under `Data`. */
export const v3Data = (data: unknown): Answer => ({ type: "v3", kind: "data", code: 200, msg: "", data })

/** What IIS answers for a file that does not exist. */
export const iisNotFound = (): Answer => ({
  type: "html",
  kind: "notFound",
  status: 404,
  html: `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/>
<title>404 - 找不到文件或目录。</title>
</head>
<body>
<div id="header"><h1>服务器错误</h1></div>
<div id="content">
 <div class="content-container"><fieldset>
  <h2>404 - 找不到文件或目录。</h2>
  <h3>您要查找的资源可能已被删除，已更改名称或者暂时不可用。</h3>
 </fieldset></div>
</div>
</body>
</html>
`
})

export const proxyError = (status: 502 | 504): Answer => {
  const title = status === 502 ? "502 Bad Gateway" : "504 Gateway Time-out"
  return {
    type: "html",
    kind: "fault",
    status,
    html: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  }
}

export const backendDown = (): Answer => ({
  type: "plain",
  kind: "fault",
  text: "系统【服务端】未正常启动，请检查服务器环境是否正常。"
})

export const render = (answer: Answer): Response => {
  switch (answer.type) {
    case "envelope":
      return Response.json(answer.json)
    case "v3":
      return Response.json({
        Code: answer.code,
        Msg: answer.msg,
        ...(answer.data === undefined ? {} : { Data: answer.data })
      })
    case "html":
      return new Response(answer.html, {
        status: answer.status,
        headers: { "content-type": "text/html; charset=utf-8" }
      })
    case "plain":
      return new Response(answer.text, { headers: { "content-type": "text/plain; charset=utf-8" } })
    case "reset":
      return new Response(null, { status: 502, headers: { [resetMarker]: "1" } })
  }
}

/** The message text an answer carries, for the call log. */
export const answerText = (answer: Answer): string => {
  switch (answer.type) {
    case "envelope":
    case "plain":
      return answer.text
    case "v3":
      return answer.msg
    default:
      return ""
  }
}
