import { type Loose, parseLenientJson } from "./lenientJson.js"

/** A request as the ERP's pages see it: the V1 envelope `{session, cmdkey, datas:[{id,val}]}` plus the query. */
export interface ErpRequest {
  readonly method: string
  readonly path: string
  /** The path lowercased: IIS maps paths case-insensitively. */
  readonly route: string
  /** The parsed body; undefined when it is not even a JavaScript object literal. */
  readonly body: Readonly<Record<string, Loose>> | undefined
  readonly session: string
  /** `?__msgid`, else the body's `cmdkey`, else `?action`. */
  readonly command: string
  readonly datas: ReadonlyMap<string, string>
  /** A query parameter, looked up case-insensitively like ASP's Request.QueryString. */
  readonly query: (name: string) => string
  /** A `datas` value, else the query parameter of the same name. */
  readonly param: (name: string) => string
  readonly header: (name: string) => string
}

/** `val` may be a string or a number; anything else is read as its text. */
export const looseText = (value: Loose | undefined): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  return JSON.stringify(value)
}

const isRecord = (value: Loose): value is Readonly<Record<string, Loose>> =>
  value !== null && typeof value === "object" && !Array.isArray(value)

export const parseBody = (text: string): Readonly<Record<string, Loose>> | undefined => {
  if (text.trim() === "") return {}
  try {
    const value = parseLenientJson(text)
    return isRecord(value) ? value : undefined
  } catch {
    return undefined
  }
}

const readDatas = (body: Readonly<Record<string, Loose>> | undefined): ReadonlyMap<string, string> => {
  const datas = new Map<string, string>()
  const list = body?.datas
  if (!Array.isArray(list)) return datas
  for (const item of list as ReadonlyArray<Loose>) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) continue
    const entry = item as Readonly<Record<string, Loose>>
    const id = looseText(entry.id)
    if (id !== "") datas.set(id, looseText(entry.val))
  }
  return datas
}

export const readErpRequest = async (raw: Request): Promise<ErpRequest> => {
  const url = new URL(raw.url)
  const query = new Map<string, string>()
  for (const [key, value] of url.searchParams) {
    if (!query.has(key.toLowerCase())) query.set(key.toLowerCase(), value)
  }
  const text = raw.method === "GET" || raw.method === "HEAD" ? "" : await raw.text().catch(() => "")
  const body = parseBody(text)
  const datas = readDatas(body)
  const q = (name: string) => query.get(name.toLowerCase()) ?? ""
  return {
    method: raw.method,
    path: url.pathname,
    route: decodeURIComponentSafe(url.pathname).toLowerCase(),
    body,
    session: looseText(body?.session).trim(),
    command: q("__msgid") || looseText(body?.cmdkey).trim() || q("action"),
    datas,
    query: q,
    param: (name) => datas.get(name) ?? q(name),
    header: (name) => raw.headers.get(name) ?? ""
  }
}

const decodeURIComponentSafe = (path: string): string => {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}
