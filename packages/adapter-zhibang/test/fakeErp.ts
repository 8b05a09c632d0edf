/**
 * A scripted ERP for the client's unit tests: each answer is written by hand from zhibang-wire.md's examples, so the
 * client is checked against the spec itself as well as against the mock.
 */

export interface Call {
  readonly path: string
  readonly query: URLSearchParams
  readonly headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read loosely, as the ERP does
  readonly body: any
  /** The `datas` pairs as an object. */
  readonly datas: Record<string, string | number>
}

export type Script = (call: Call, index: number) => Response | Promise<Response>

export const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { "content-type": "application/json; charset=utf-8" } })

export const text = (value: string, status = 200, type = "text/plain; charset=utf-8") =>
  new Response(value, { status, headers: { "content-type": type } })

export const loginOk = (session = "TOKEN-1") =>
  json({
    header: { status: 0, message: "API鉴权成功.", session, appversion: "32.17" },
    body: { model: "init", action: "sys" }
  })

export const loginFail = (message = "用户名或密码错误！", extra: Record<string, unknown> = {}) =>
  json({ header: { status: 1, message }, body: { model: "init", action: "fail", fail: { message, ...extra } } })

export const saveText = (messageText: string, session = "TOKEN-1") =>
  json({
    header: { status: 0, message: "", session },
    body: {
      model: "message",
      action: "",
      message: { title: "", text: messageText, url: "", wait: 0, target: "self", uitype: "", data: "" }
    }
  })

export const sessionLost = (message = "会话超时，请您重新登录。", status: number | string = 1) =>
  json({ header: { status, message } })

export const crash = () => json({ header: { status: "11", message: "服务程序发生错误:对象关闭时，不允许操作。" } })

export const backendDown = () => text("系统【服务端】未正常启动，请检查服务器环境是否正常。")

export const proxy502 = () =>
  text(
    "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
    502,
    "text/html"
  )

export const bill = (value: number, fields: ReadonlyArray<Record<string, unknown>>) =>
  json({
    header: { status: 0, message: "", session: "TOKEN-1" },
    body: {
      model: "bill",
      action: "init",
      bill: {
        id: "custom",
        caption: "客户",
        uitype: "billpage",
        value,
        tools: [],
        groups: [{ id: "base", caption: "基本信息", fields }]
      }
    }
  })

export const table = (
  cols: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>,
  page = { pageindex: 1, pagesize: 20 }
) =>
  json({
    header: { status: 0, message: "", session: "TOKEN-1" },
    body: {
      model: "source",
      action: "table",
      source: {
        type: "table",
        table: {
          page: { recordcount: rows.length, pagecount: Math.max(1, Math.ceil(rows.length / page.pagesize)), ...page },
          cols: cols.map((id) => ({ id, dbtype: "string" })),
          rows
        }
      }
    }
  })

/** A fetch that answers by script and records every call. */
export const scripted = (script: Script) => {
  const calls: Array<Call> = []
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const raw =
      typeof init?.body === "string"
        ? init.body
        : init?.body instanceof Uint8Array
          ? new TextDecoder().decode(init.body)
          : "{}"
    const body = JSON.parse(raw)
    const datas = Object.fromEntries(
      ((body.datas ?? []) as Array<{ id: string; val: string | number }>).map((d) => [d.id, d.val])
    )
    const call: Call = { path: url.pathname, query: url.searchParams, headers: new Headers(init?.headers), body, datas }
    calls.push(call)
    return script(call, calls.length - 1)
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

export const isLogin = (call: Call) => call.path === "/webapi/v3/ov1/login"
