import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, List, Logger, LogLevel, Option, Ref, TestClock } from "effect"
import { ZhibangClient } from "../src/index.js"
import type { ZhibangClientConfig } from "../src/ZhibangConfig.js"
import type { Script } from "./fakeErp.js"
import {
  backendDown,
  bill,
  crash,
  isLogin,
  json,
  loginFail,
  loginOk,
  proxy502,
  saveText,
  scripted,
  sessionLost,
  table,
  text
} from "./fakeErp.js"
import { httpOn, testConfig } from "./helpers.js"

/** Lets forked calls run (their fetches are promises) until `done` holds. */
const until = (done: () => boolean): Effect.Effect<void> =>
  Effect.promise(() => new Promise((resolve) => setImmediate(resolve))).pipe(
    Effect.repeat({ until: done }),
    Effect.asVoid
  )

type Erp = ReturnType<typeof scripted>

const run = <A, E>(
  script: Script,
  effect:
    | Effect.Effect<A, E, ZhibangClient.ZhibangClient>
    | ((erp: Erp) => Effect.Effect<A, E, ZhibangClient.ZhibangClient>),
  config: Partial<ZhibangClientConfig> = {}
) => {
  const erp = scripted(script)
  const layer = ZhibangClient.layer({ ...testConfig, ...config }).pipe(Layer.provide(httpOn(erp.fetch)))
  return { erp, effect: Effect.provide(typeof effect === "function" ? effect(erp) : effect, layer) }
}

const client = ZhibangClient.ZhibangClient
const list = Effect.flatMap(client, (c) => c.listCustomers({ pageIndex: 1, pageSize: 20 }))
const rows = () => table(["name", "ord"], [["甲公司", "7"]])
/** The calls to pages: neither the login nor the logout at the end. */
const pages = <C extends { path: string }>(calls: ReadonlyArray<C>) =>
  calls.filter((call) => call.path !== "/webapi/v3/ov1/login" && call.path !== "/sysa/mobilephone/logout.asp")
const logins = (calls: ReadonlyArray<{ path: string }>) =>
  calls.filter((call) => call.path === "/webapi/v3/ov1/login").length

describe("ZhibangClient: the V1 envelope and the login", () => {
  it.effect("logs in once with txt: values and sends the session, cmdkey and datas pairs in every call", () => {
    const { erp, effect } = run((call) => (isLogin(call) ? loginOk() : rows()), Effect.zipRight(list, list))
    return Effect.gen(function* () {
      const page = yield* effect
      expect(page.rows).toEqual([{ name: "甲公司", ord: "7" }])
      expect(erp.calls[0]!.body).toEqual({
        datas: [
          { id: "user", val: "txt:admin" },
          { id: "password", val: "txt:admin123" },
          { id: "serialnum", val: "txt:tongbusync" },
          { id: "rndcode", val: "" }
        ]
      })
      expect(erp.calls.map((c) => c.path)).toEqual([
        "/webapi/v3/ov1/login",
        "/sysa/mobilephone/salesmanage/custom/list.asp",
        "/sysa/mobilephone/salesmanage/custom/list.asp",
        "/sysa/mobilephone/logout.asp"
      ])
      expect(erp.calls[1]!.body).toEqual({
        session: "TOKEN-1",
        cmdkey: "refresh",
        datas: [
          { id: "pageindex", val: 1 },
          { id: "pagesize", val: 20 }
        ]
      })
    })
  })

  it.effect(
    "stops on bad credentials with a message naming the account, never the password, and never tries again",
    () => {
      const { erp, effect } = run(
        (call) => (isLogin(call) ? loginFail() : rows()),
        Effect.zip(Effect.flip(list), Effect.flip(list))
      )
      return Effect.gen(function* () {
        const [first, second] = yield* effect
        expect(first._tag).toBe("ZhibangFatalError")
        expect(first.message).toContain("'admin'")
        expect(first.message).toContain("用户名或密码错误")
        expect(first.message).not.toContain("admin123")
        expect(second).toEqual(first)
        expect(logins(erp.calls)).toBe(1)
      })
    }
  )

  it.effect("reads a failed login signalled only by body.action = fail (status 0)", () => {
    const failing = json({
      header: { status: 0, message: "" },
      body: { model: "init", action: "fail", fail: { message: "密码错误" } }
    })
    const { effect } = run((call) => (isLogin(call) ? failing : rows()), Effect.flip(list))
    return Effect.map(effect, (error) =>
      expect(error).toMatchObject({ _tag: "ZhibangFatalError", message: expect.stringContaining("密码错误") })
    )
  })

  it.effect("stops when the ERP demands a captcha, and says what a person must do", () => {
    const { erp, effect } = run(
      (call) => (isLogin(call) ? loginFail("验证码错误", { newrndcode: "/sysa/code.asp?r=1" }) : rows()),
      Effect.flip(list)
    )
    return Effect.gen(function* () {
      const error = yield* effect
      expect(error._tag).toBe("ZhibangFatalError")
      expect(error.message).toContain("demands a captcha")
      expect(error.message).toContain("log in once")
      expect(logins(erp.calls)).toBe(1)
    })
  })

  it.effect("stops on a frozen user, at login or on a page", () => {
    const atLogin = run((call) => (isLogin(call) ? loginFail("用户被冻结。") : rows()), Effect.flip(list))
    const onPage = run((call) => (isLogin(call) ? loginOk() : sessionLost("用户被冻结。")), Effect.flip(list))
    return Effect.gen(function* () {
      expect((yield* atLogin.effect).message).toContain("frozen")
      expect((yield* onPage.effect)._tag).toBe("ZhibangFatalError")
      expect(logins(onPage.erp.calls)).toBe(1)
    })
  })
})

describe("ZhibangClient: sessions", () => {
  it.effect("concurrent calls that lose the session share one new login (single-flight)", () => {
    let logins = 0
    const { erp, effect } = run(
      (call) => {
        if (isLogin(call)) return loginOk(`TOKEN-${++logins}`)
        return call.body.session === "TOKEN-2" ? rows() : sessionLost("您的账号已在其它设备上登录，请您重新登录。")
      },
      Effect.all(
        Array.from({ length: 8 }, () => list),
        { concurrency: "unbounded" }
      )
    )
    return Effect.gen(function* () {
      const answers = yield* effect
      expect(answers).toHaveLength(8)
      expect(logins).toBe(2)
      expect(pages(erp.calls).filter((c) => c.body.session === "TOKEN-2")).toHaveLength(8)
    })
  })

  it.effect("a session lost again right after a new login is reported once, not looped on", () => {
    const { erp, effect } = run((call) => (isLogin(call) ? loginOk() : sessionLost()), Effect.flip(list))
    return Effect.gen(function* () {
      const error = yield* effect
      expect(error).toMatchObject({ _tag: "ZhibangTransientError", uncertain: false })
      expect(error.message).toContain("another program")
      expect(logins(erp.calls)).toBe(2)
      expect(pages(erp.calls)).toHaveLength(2)
    })
  })

  it.effect("a save that finds the session lost is sent again after the new login (nothing was saved)", () => {
    let saves = 0
    let tokens = 0
    const { erp, effect } = run(
      (call) => {
        if (isLogin(call)) return loginOk(`TOKEN-${++tokens}`)
        if (pages([call]).length === 0) return json({})
        return ++saves === 1 ? sessionLost("会话已失效,UniqueLogin队列中无记录。", "1") : saveText("保存成功")
      },
      Effect.flatMap(client, (c) => c.saveCustomer({ ord: 5, name: "甲" }, 1))
    )
    return Effect.map(effect, () => {
      expect(saves).toBe(2)
      expect(pages(erp.calls).map((c) => c.body.session)).toEqual(["TOKEN-1", "TOKEN-2"])
    })
  })

  it.effect("logs out when its scope closes", () => {
    const { erp, effect } = run((call) => (isLogin(call) ? loginOk() : rows()), list)
    return Effect.map(effect, () =>
      expect(erp.calls.at(-1)).toMatchObject({ path: "/sysa/mobilephone/logout.asp", body: { session: "TOKEN-1" } })
    )
  })
})

describe("ZhibangClient: failures", () => {
  const flaky = (failures: ReadonlyArray<() => Response>) => (call: Parameters<Script>[0], index: number) =>
    isLogin(call) ? loginOk() : (failures[index - 1] ?? rows)()

  it.effect("retries a read through a proxy 502, the backend-down notice and the crash envelope", () => {
    const { erp, effect } = run(flaky([proxy502, backendDown, crash]), list)
    return Effect.map(effect, (page) => {
      expect(page.rows).toHaveLength(1)
      expect(pages(erp.calls)).toHaveLength(4)
    })
  })

  it.effect("gives up on a read after the configured retries, with a transient error showing the page", () => {
    const { erp, effect } = run(flaky(Array.from({ length: 10 }, () => proxy502)), Effect.flip(list), {
      readRetries: 2
    })
    return Effect.map(effect, (error) => {
      expect(error).toMatchObject({ _tag: "ZhibangTransientError", uncertain: false })
      expect(error.message).toContain("HTTP 502")
      expect(error.message).toContain("502 Bad Gateway")
      expect(pages(erp.calls)).toHaveLength(3)
    })
  })

  it.effect("never retries a write: a failed save is transient and uncertain", () => {
    const { erp, effect } = run(
      flaky([crash]),
      Effect.flip(Effect.flatMap(client, (c) => c.saveCustomer({ ord: 5, name: "甲" }, 1)))
    )
    return Effect.map(effect, (error) => {
      expect(error).toMatchObject({ _tag: "ZhibangTransientError", uncertain: true })
      expect(pages(erp.calls)).toHaveLength(1)
    })
  })

  it.effect("a save answered with an unknown text is uncertain, never taken for success", () => {
    const { effect } = run(
      flaky([() => saveText("处理完毕")]),
      Effect.flip(Effect.flatMap(client, (c) => c.saveCustomer({ ord: 5 }, 1)))
    )
    return Effect.map(effect, (error) =>
      expect(error).toMatchObject({ _tag: "ZhibangTransientError", uncertain: true })
    )
  })

  it.effect("a 404 is fatal: the base URL or the ERP version is wrong", () => {
    const { effect } = run(flaky([() => text("<h1>404</h1>", 404, "text/html")]), Effect.flip(list))
    return Effect.map(effect, (error) => {
      expect(error._tag).toBe("ZhibangFatalError")
      expect(error.message).toContain("http://erp.test:8088")
    })
  })

  it.effect("a network failure is transient", () => {
    const { effect } = run(
      (call) => (isLogin(call) ? loginOk() : Promise.reject(new TypeError("fetch failed"))),
      Effect.flip(list),
      {
        readRetries: 0
      }
    )
    return Effect.map(effect, (error) =>
      expect(error).toMatchObject({ _tag: "ZhibangTransientError", message: expect.stringContaining("cannot reach") })
    )
  })

  it.effect("a request without an answer within the time limit is transient", () => {
    const { effect } = run(
      (call) => (isLogin(call) ? loginOk() : pages([call]).length === 0 ? json({}) : new Promise<Response>(() => {})),
      (erp) =>
        Effect.gen(function* () {
          const fiber = yield* Effect.fork(Effect.flip(list))
          yield* until(() => pages(erp.calls).length === 1)
          yield* TestClock.adjust("31 seconds")
          return yield* Fiber.join(fiber)
        }),
      { readRetries: 0 }
    )
    return Effect.map(effect, (error) => expect(error.message).toContain("did not answer within"))
  })

  it.effect("a logout without an answer within the time limit still lets the client's scope close", () =>
    Effect.gen(function* () {
      const erp = scripted((call) =>
        isLogin(call) ? loginOk() : call.path.endsWith("logout.asp") ? new Promise<Response>(() => {}) : rows()
      )
      const layer = ZhibangClient.layer(testConfig).pipe(Layer.provide(httpOn(erp.fetch)))
      // the logout runs in the layer's finalizer, an uninterruptible region: its time limit must still end it
      const fiber = yield* Effect.fork(Effect.provide(list, layer))
      yield* until(() => erp.calls.some((call) => call.path === "/sysa/mobilephone/logout.asp"))
      yield* TestClock.adjust("31 seconds")
      const exit = yield* Fiber.await(fiber)
      expect(exit._tag).toBe("Success")
    })
  )

  it.effect("the rejection of a duplicate names the field and masks the mobile", () => {
    const { effect } = run(
      flaky([() => saveText("此手 机【13800138000】已存在！")]),
      Effect.flip(Effect.flatMap(client, (c) => c.saveCustomer({ ord: 5, mobile: "13800138000" }, 1)))
    )
    return Effect.map(effect, (error) => {
      expect(error).toMatchObject({ _tag: "ZhibangRejectedError", reason: "duplicate", field: "mobile" })
      expect(error.message).toBe("此手 机【138****8000】已存在！")
    })
  })

  it.effect("refuses an over-long field before sending, naming the field, its limit and the length", () => {
    const { erp, effect } = run(
      flaky([]),
      Effect.flip(Effect.flatMap(client, (c) => c.saveCustomer({ ord: 5, name: "名".repeat(101) }, 1)))
    )
    return Effect.map(effect, (error) => {
      expect(error).toMatchObject({ _tag: "ZhibangRejectedError", reason: "tooLong", field: "name" })
      expect(error.message).toContain("101")
      expect(error.message).toContain("100")
      expect(erp.calls).toHaveLength(0)
    })
  })
})

describe("ZhibangClient: pages", () => {
  it.effect("a detail reads the bill; a deleted customer is none", () => {
    const { effect } = run(
      (call) =>
        isLogin(call)
          ? loginOk()
          : pages([call]).length === 0
            ? json({})
            : call.datas.ord === 1
              ? bill(1, [
                  { id: "name", caption: "客户名称", text: "甲", value: "甲", notnull: true },
                  { id: "person_name", caption: "联系人姓名", text: "张三", value: "张三", notnull: true }
                ])
              : saveText("抱歉，您访问的单据已被删除！"),
      Effect.flatMap(client, (c) => Effect.all([c.customerDetail(1), c.customerDetail(2)]))
    )
    return Effect.map(effect, ([found, deleted]) => {
      expect(found).toEqual(
        Option.some({
          ord: 1,
          intsort: 1,
          fields: { name: "甲", person_name: "张三" },
          required: ["name", "person_name"]
        })
      )
      expect(deleted).toEqual(Option.none())
    })
  })

  it.effect("creates one at a time: allocate→save never interleave for the account", () => {
    let ord = 100
    const { erp, effect } = run(
      async (call) => {
        await new Promise((resolve) => setImmediate(resolve))
        if (isLogin(call)) return loginOk()
        return call.body.cmdkey === "__sys_dosave" ? saveText("保存成功") : bill(++ord, [])
      },
      Effect.flatMap(client, (c) =>
        Effect.all(
          [1, 2, 3].map((i) =>
            c.createCustomer({ intsort: 1, fields: { name: `客户${i}` }, beforeSave: () => Effect.void })
          ),
          { concurrency: "unbounded" }
        )
      ),
      { maxInFlight: 5 }
    )
    return Effect.map(effect, (ords) => {
      expect([...ords].sort()).toEqual([101, 102, 103])
      const steps = pages(erp.calls).map((c) => (c.body.cmdkey === "__sys_dosave" ? `save ${c.datas.ord}` : "allocate"))
      expect(steps).toEqual(["allocate", "save 101", "allocate", "save 102", "allocate", "save 103"])
    })
  })

  it.effect("V3 calls carry the token in the ZBAPI-Token header and read Code 200/300/400/500", () => {
    const codes = [
      { Code: 400, Msg: "token无效" },
      { Code: 200 },
      { Code: "300", Msg: "此客户名称【甲】已存在！" },
      { Code: 500, Msg: "boom" }
    ]
    let logins = 0
    const { erp, effect } = run(
      (call, index) => (isLogin(call) ? loginOk(`TOKEN-${++logins}`) : json(codes[index - logins] ?? {})),
      Effect.flatMap(client, (c) =>
        Effect.all([
          Effect.either(c.v3Customer("add", { name: "甲", sort2: 1 })),
          Effect.either(c.v3Customer("add", { name: "甲" })),
          Effect.either(c.v3Customer("edit", { ord: 3 }))
        ])
      )
    )
    return Effect.map(effect, ([ok, duplicate, failed]) => {
      expect(ok._tag).toBe("Right")
      expect(duplicate).toMatchObject({ left: { _tag: "ZhibangRejectedError", reason: "duplicate", field: "name" } })
      expect(failed).toMatchObject({ left: { _tag: "ZhibangTransientError", uncertain: true } })
      const v3 = pages(erp.calls)
      expect(v3.map((c) => [c.path, c.headers.get("ZBAPI-Token")])).toEqual([
        ["/webapi/v3/sales/customer/add", "TOKEN-1"],
        ["/webapi/v3/sales/customer/add", "TOKEN-2"],
        ["/webapi/v3/sales/customer/add", "TOKEN-2"],
        ["/webapi/v3/sales/customer/edit", "TOKEN-2"]
      ])
      expect(v3[0]!.body).toEqual({ name: "甲", sort2: 1 })
    })
  })
})

describe("ZhibangClient: the account list (V3)", () => {
  it.effect("reads Data's rows by column id, positional or keyed; a page it cannot read is a transient error", () => {
    const answers = [
      { Code: 200, Data: { Page: { RecordCount: "2" }, Cols: [{ id: "name" }, { id: "ord" }], Rows: [["甲", "7"]] } },
      { Code: 200, Data: { Cols: ["ord", "name"], Rows: [{ ord: 8, name: "乙" }] } },
      { Code: 200, Data: { Rows: "none" } }
    ]
    let logins = 0
    const { erp, effect } = run(
      (call, index) => (isLogin(call) ? loginOk(`TOKEN-${++logins}`) : json(answers[index - logins] ?? {})),
      Effect.flatMap(client, (c) =>
        Effect.all([
          c.users({ pageIndex: 1, pageSize: 1 }),
          c.users({ pageIndex: 2, pageSize: 1 }),
          Effect.flip(c.users({ pageIndex: 3, pageSize: 1 }))
        ])
      ),
      { readRetries: 0 }
    )
    return Effect.map(effect, ([positional, keyed, unreadable]) => {
      expect(positional).toEqual({ recordCount: 2, users: [{ id: "7", name: "甲", username: "" }] })
      expect(keyed).toEqual({ recordCount: null, users: [{ id: "8", name: "乙", username: "" }] })
      expect(unreadable).toMatchObject({ _tag: "ZhibangTransientError", operation: "list users (page 3)" })
      expect(unreadable.message).toContain("the ERP's account list is not understood")
      const calls = pages(erp.calls)
      expect(calls[0]).toMatchObject({ path: "/webapi/v3/orgs/user/list", body: { page_index: 1, page_size: 1 } })
      expect(calls[0]!.headers.get("ZBAPI-Token")).toBe("TOKEN-1")
    })
  })
})

describe("ZhibangClient: limits", () => {
  it.effect("starts at most requestsPerSecond requests per second (Effect's RateLimiter, on the TestClock)", () => {
    const { erp, effect } = run(
      (call) => (isLogin(call) ? loginOk() : rows()),
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(
          Effect.all(
            Array.from({ length: 24 }, () => list),
            { concurrency: "unbounded" }
          )
        )
        const seen: Array<number> = []
        for (let second = 0; second < 3; second++) {
          yield* TestClock.adjust("1 second")
          seen.push(erp.calls.length)
        }
        yield* Fiber.join(fiber)
        return seen
      }),
      { requestsPerSecond: 10, maxInFlight: 100 }
    )
    return Effect.map(effect, (seen) => expect(seen).toEqual([20, 25, 25]))
  })

  it.effect("keeps at most maxInFlight requests in flight", () => {
    let active = 0
    let peak = 0
    const { effect } = run(
      async (call) => {
        active++
        peak = Math.max(peak, active)
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
        active--
        return isLogin(call) ? loginOk() : rows()
      },
      Effect.all(
        Array.from({ length: 12 }, () => list),
        { concurrency: "unbounded" }
      ),
      { maxInFlight: 3 }
    )
    return Effect.map(effect, () => expect(peak).toBe(3))
  })
})

describe("ZhibangClient: traces", () => {
  it.effect("traces requests and answers at debug level without the password, the session or a whole mobile", () =>
    Effect.gen(function* () {
      const lines = yield* Ref.make(List.empty<string>())
      const logger = Logger.make(({ message, annotations }) => {
        Effect.runSync(
          Ref.update(lines, List.prepend(JSON.stringify({ message, annotations: Object.fromEntries(annotations) })))
        )
      })
      const { effect } = run(
        (call) =>
          isLogin(call) ? loginOk("SECRET-SESSION") : saveText("此手机【13800138000】已存在！", "SECRET-SESSION"),
        Effect.flip(
          Effect.flatMap(client, (c) =>
            c.saveCustomer({ ord: 5, name: "张三", mobile: "13800138000", phone: "010-88886666" }, 2)
          )
        )
      )
      yield* effect.pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.Debug)
      )
      const output = List.toArray(yield* Ref.get(lines)).join("\n")
      expect(output).toContain("zhibang →")
      expect(output).toContain("138****8000")
      expect(output).toContain("010-****6666")
      for (const secret of ["admin123", "SECRET-SESSION", "13800138000", "张三", "88886666"])
        expect(output).not.toContain(secret)
    })
  )
})
