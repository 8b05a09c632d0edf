import type { Rng } from "./rng.js"

export interface Account {
  readonly user: string
  readonly password: string
  readonly id: number
}

type SessionState = "live" | "kicked" | "loggedOut" | "expired"

interface Session {
  readonly token: string
  readonly account: Account
  lastSeen: number
  state: SessionState
}

export type SessionCheck =
  | { readonly ok: true; readonly account: Account }
  | { readonly ok: false; readonly message: string }

/** The ERP's own wording for each way a session can be unusable. */
export const sessionMessages = {
  missing: "非法访问，未登录系统。",
  unknown: "会话非法",
  expired: "会话超时，请您重新登录。",
  kicked: "您的账号已在其它设备上登录，请您重新登录。",
  loggedOut: "您的账号已经下线退出。"
} as const

export interface SessionsConfig {
  readonly now: () => number
  readonly idleMs: number
  readonly kickOnRelogin: boolean
  readonly rng: Rng
}

/** Login sessions: idle expiry, and a newer login of the same user kicking the older sessions. */
export const makeSessions = (config: SessionsConfig) => {
  const sessions = new Map<string, Session>()
  const newToken = () => {
    let token = config.now().toString(16)
    while (token.length < 40) token += config.rng.int(0, 15).toString(16)
    return token.toUpperCase()
  }
  return {
    open: (account: Account): string => {
      // forget sessions long dead, so that a long-running mock does not grow without end
      for (const [token, session] of sessions) {
        if (config.now() - session.lastSeen > 2 * config.idleMs) sessions.delete(token)
      }
      if (config.kickOnRelogin) {
        for (const session of sessions.values()) {
          if (session.account.user === account.user && session.state === "live") session.state = "kicked"
        }
      }
      const token = newToken()
      sessions.set(token, { token, account, lastSeen: config.now(), state: "live" })
      return token
    },
    check: (token: string): SessionCheck => {
      if (token === "") return { ok: false, message: sessionMessages.missing }
      const session = sessions.get(token)
      if (!session) return { ok: false, message: sessionMessages.unknown }
      if (session.state === "live" && config.now() - session.lastSeen > config.idleMs) session.state = "expired"
      if (session.state !== "live") return { ok: false, message: sessionMessages[session.state] }
      session.lastSeen = config.now()
      return { ok: true, account: session.account }
    },
    /** Whose session a token is, whatever its state; no side effect. */
    userOf: (token: string): string | null => sessions.get(token)?.account.user ?? null,
    close: (token: string) => {
      const session = sessions.get(token)
      if (session) session.state = "loggedOut"
    },
    /** Ends one session as if it had been idle too long. */
    expire: (token: string) => {
      const session = sessions.get(token)
      if (session?.state === "live") session.state = "expired"
    },
    expireAll: () => {
      for (const session of sessions.values()) if (session.state === "live") session.state = "expired"
    },
    kickAll: () => {
      for (const session of sessions.values()) if (session.state === "live") session.state = "kicked"
    },
    clear: () => sessions.clear()
  }
}

export type Sessions = ReturnType<typeof makeSessions>
