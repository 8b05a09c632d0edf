import { Hono } from "hono"
import { type FaultProfile, isFaultProfileName } from "../FaultProfile.js"
import type { MockControl } from "../MockControl.js"

const readJson = async (request: Request): Promise<Record<string, unknown>> => {
  const body: unknown = await request.json().catch(() => ({}))
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {}
}

const stringRecord = (value: unknown): Record<string, string> =>
  value !== null && typeof value === "object"
    ? Object.fromEntries(Object.entries(value).map(([key, field]) => [key, String(field ?? "")]))
    : {}

/** The test-only control API under /__mock: the same operations as `MockControl`, as JSON over HTTP. */
export const controlApi = (control: MockControl): Hono => {
  const api = new Hono()
  api.onError((error, c) => c.json({ error: error.message }, 400))
  api.get("/state", (c) =>
    c.json({
      now: control.now(),
      customers: control.customers(),
      contacts: control.contacts(),
      followUps: control.followUps(),
      assignments: control.assignments()
    })
  )
  api.get("/write-log", (c) => c.json(control.writeLog()))
  api.get("/call-log", (c) => c.json(control.callLog()))
  api.get("/call-counts", (c) => c.json(control.callCounts()))
  api.get("/captcha/:user", (c) => c.json({ captcha: control.captcha(c.req.param("user")) ?? null }))
  api.post("/reset", async (c) => {
    const { seed } = await readJson(c.req.raw)
    control.reset(typeof seed === "number" ? seed : undefined)
    return c.json({ ok: true })
  })
  api.post("/faults", async (c) => {
    const { profile } = await readJson(c.req.raw)
    if (typeof profile === "string" && isFaultProfileName(profile)) control.setFaults(profile)
    else if (profile !== null && typeof profile === "object") control.setFaults(profile as FaultProfile)
    else return c.json({ error: "profile: a profile name or a FaultProfile object" }, 400)
    return c.json({ ok: true })
  })
  api.post("/clock", async (c) => {
    const { advanceMs } = await readJson(c.req.raw)
    if (typeof advanceMs !== "number" || !Number.isFinite(advanceMs))
      return c.json({ error: "advanceMs: a number" }, 400)
    control.advanceClock(advanceMs)
    return c.json({ now: control.now() })
  })
  api.post("/expire-sessions", (c) => {
    control.expireSessions()
    return c.json({ ok: true })
  })
  api.post("/kick-sessions", (c) => {
    control.kickSessions()
    return c.json({ ok: true })
  })
  api.post("/customers", async (c) => {
    const { fields, intsort, user } = await readJson(c.req.raw)
    const options = {
      intsort: intsort === 2 ? (2 as const) : (1 as const),
      ...(typeof user === "string" ? { user } : {})
    }
    return c.json(control.insertCustomer(stringRecord(fields), options))
  })
  api.post("/customers/:ord", async (c) => {
    const { fields, user } = await readJson(c.req.raw)
    const options = typeof user === "string" ? { user } : {}
    return c.json(control.editCustomer(Number(c.req.param("ord")), stringRecord(fields), options))
  })
  return api
}
