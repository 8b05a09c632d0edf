import { type FaultProfile, resolveFaultProfile } from "../FaultProfile.js"
import type { MockControl } from "../MockControl.js"
import type { CallLogEntry, Endpoint, Intsort } from "../Model.js"
import { type Answer, answerText, crashAnswer, render } from "./answer.js"
import type { Config, Ctx } from "./context.js"
import { customerView, liveCustomer, saveCustomer } from "./customers.js"
import { ackLostAnswer, drawFaults, transientAnswer } from "./faults.js"
import { withIndexes } from "./indexes.js"
import { readErpRequest } from "./request.js"
import { makeRng } from "./rng.js"
import { resolveRoute } from "./router.js"
import { seedStore } from "./seed.js"
import { makeSessions } from "./sessions.js"
import type { Store } from "./store.js"

export interface RuntimeOptions {
  readonly config: Config
  readonly store: Store
  readonly now: () => number
  readonly sleep: (ms: number) => Promise<void>
  readonly faults: FaultProfile
  readonly faultSeed: number
  readonly seed: { readonly customers: number; readonly seed: number } | undefined
}

const maxCallLog = 100_000

/** The mock's moving parts: the request pipeline (faults, page, call log) and the control handle. */
export const makeRuntime = (options: RuntimeOptions) => {
  const { config } = options
  const { store, indexes } = withIndexes(options.store, config.uniqueFields)
  let clockOffset = 0
  const now = () => options.now() + clockOffset
  const ctxRng = makeRng(options.faultSeed ^ 0x5eed)
  const ctx: Ctx = {
    config,
    store,
    indexes,
    now,
    rng: ctxRng,
    sessions: makeSessions({ now, idleMs: config.sessionIdleMs, kickOnRelogin: config.kickOnRelogin, rng: ctxRng }),
    loginFailures: new Map()
  }
  let faults = options.faults
  let faultRng = makeRng(options.faultSeed)
  const callLog: Array<CallLogEntry> = []
  const callCounts = new Map<Endpoint, number>()
  let callSeq = 0
  const seedUser = config.accounts[0]?.user ?? "admin"

  const seedIfEmpty = (seed: number | undefined) => {
    const customers = options.seed?.customers ?? 0
    // a reopened SQLite store keeps its data: seed only a store that has never been written
    if (customers > 0 && store.customers.all().length === 0 && store.writeLog.all().length === 0) {
      seedStore(ctx, customers, seed ?? options.seed?.seed ?? 0, seedUser)
    }
  }
  seedIfEmpty(undefined)

  const handle = async (raw: Request): Promise<Response> => {
    const req = await readErpRequest(raw)
    const route = resolveRoute(req)
    const plan = drawFaults(faults, route.endpoint, faultRng)
    if (plan.latencyMs > 0) await options.sleep(plan.latencyMs)
    let answer: Answer
    if (plan.transient) answer = transientAnswer(plan.transient)
    else {
      if (plan.sessionExpiry) ctx.sessions.expire(route.token(req))
      try {
        answer = route.run(ctx, req)
      } catch (error) {
        answer = crashAnswer(error instanceof Error ? error.message : String(error))
      }
      if (plan.ackLost) answer = ackLostAnswer(plan.ackLost)
      if (plan.slowMs > 0) await options.sleep(plan.slowMs)
    }
    callCounts.set(route.endpoint, (callCounts.get(route.endpoint) ?? 0) + 1)
    // a long-running mock keeps the latest calls only; the counts stay exact
    if (callLog.length >= maxCallLog) callLog.splice(0, callLog.length - maxCallLog + 1)
    callLog.push({
      seq: ++callSeq,
      at: now(),
      method: req.method,
      path: req.path,
      command: req.command,
      endpoint: route.endpoint,
      user: route.endpoint === "login" ? null : ctx.sessions.userOf(route.token(req)),
      session: route.endpoint === "login" ? null : (route.token(req) ?? null),
      faults: plan.kinds,
      answer: answer.kind,
      message: answerText(answer)
    })
    return render(answer)
  }

  const uiSave = (
    ord: number | undefined,
    fields: Readonly<Record<string, string>>,
    intsort: Intsort | undefined,
    user: string
  ) => {
    const result = saveCustomer(ctx, { ord, intsort, values: fields, user, endpoint: "ui", create: ord === undefined })
    if (!result.ok) throw new Error(result.message)
    return customerView(ctx, store.customers.get(result.ord)!)
  }

  const control: MockControl = {
    reset: (seed) => {
      store.clear()
      ctx.sessions.clear()
      ctx.loginFailures.clear()
      callLog.length = 0
      callCounts.clear()
      callSeq = 0
      faultRng = makeRng(options.faultSeed)
      seedIfEmpty(seed)
    },
    setFaults: (profile) => {
      faults = resolveFaultProfile(profile)
    },
    advanceClock: (ms) => {
      clockOffset += ms
    },
    now,
    customers: () => indexes.liveOrds().map((ord) => customerView(ctx, store.customers.get(ord)!)),
    contacts: () => store.contacts.all().filter((contact) => liveCustomer(ctx, contact.company)),
    followUps: () => store.followUps.all(),
    assignments: () => store.assignments.all(),
    writeLog: () => store.writeLog.all(),
    callLog: () => [...callLog],
    callCounts: () => Object.fromEntries(callCounts),
    insertCustomer: (fields, insert) => uiSave(undefined, fields, insert?.intsort ?? 1, insert?.user ?? seedUser),
    editCustomer: (ord, fields, edit) => {
      if (!liveCustomer(ctx, ord)) throw new Error("抱歉，您访问的单据已被删除！")
      return uiSave(ord, fields, undefined, edit?.user ?? seedUser)
    },
    expireSessions: () => ctx.sessions.expireAll(),
    kickSessions: () => ctx.sessions.kickAll(),
    captcha: (user) => ctx.loginFailures.get(user)?.captcha || undefined,
    close: () => store.close()
  }

  return { handle, control }
}
