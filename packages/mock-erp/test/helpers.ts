import { createMockErp, type MockErp, type MockErpOptions } from "../src/index.js"

export const start = Date.UTC(2025, 0, 6, 2, 0, 0)

/** A mock on a fixed clock whose sleeps return at once (they are recorded in `slept`). */
export const makeMock = (options: MockErpOptions = {}) => {
  const slept: Array<number> = []
  const mock = createMockErp({
    now: () => start,
    sleep: async (ms) => {
      slept.push(ms)
    },
    ...options
  })
  return Object.assign(mock, { slept })
}

// biome-ignore lint/suspicious/noExplicitAny: answers are read loosely, as a client would
export type Json = any

export const datas = (fields: Readonly<Record<string, string | number>>) =>
  Object.entries(fields).map(([id, val]) => ({ id, val }))

export const post = (mock: MockErp, path: string, body: unknown, headers: Record<string, string> = {}) =>
  mock.app.request(path, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers }
  })

export const postJson = async (mock: MockErp, path: string, body: unknown, headers?: Record<string, string>) =>
  (await (await post(mock, path, body, headers)).json()) as Json

export const loginPath = "/webapi/v3/ov1/login"
export const customerPage = "/sysa/mobilephone/salesmanage/custom/add.asp"
export const listPage = "/sysa/mobilephone/salesmanage/custom/list.asp"

export const login = async (mock: MockErp, user = "admin", password = "admin123"): Promise<string> => {
  const answer = await postJson(mock, loginPath, {
    datas: datas({ user: `txt:${user}`, password: `txt:${password}`, serialnum: "txt:TEST01", rndcode: "" })
  })
  if (answer.header.status !== 0) throw new Error(`login failed: ${JSON.stringify(answer)}`)
  return answer.header.session
}

/** A V1 call: `{session, cmdkey, datas}`. */
export const v1 = (
  mock: MockErp,
  path: string,
  session: string,
  cmdkey: string,
  fields: Record<string, string | number> = {}
) => postJson(mock, path, { session, ...(cmdkey ? { cmdkey } : {}), datas: datas(fields) })

export const allocate = async (mock: MockErp, session: string, intsort: 1 | 2 = 1): Promise<number> =>
  (await v1(mock, customerPage, session, "", { intsort })).body.bill.value

export const company = (name: string, mobile: string, extra: Record<string, string | number> = {}) => ({
  name,
  sort1: "17,146",
  person_name: "张三",
  mobile,
  ...extra
})

/** Allocate then save; answers the save's message text and the ord. */
export const createCustomer = async (
  mock: MockErp,
  session: string,
  fields: Record<string, string | number>,
  intsort: 1 | 2 = 1
): Promise<{ ord: number; text: string }> => {
  const ord = await allocate(mock, session, intsort)
  const answer = await v1(mock, `${customerPage}?intsort=${intsort}`, session, "__sys_dosave", { ord, ...fields })
  return { ord, text: answer.body.message.text }
}
