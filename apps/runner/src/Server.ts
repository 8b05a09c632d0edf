import type { AddressInfo } from "node:net"
import { serve } from "@hono/node-server"
import { Data, Effect } from "effect"
import type { Hono } from "hono"

/** The daemon's HTTP endpoint could not listen (the port is taken, the address is not this machine's). */
export class ServeError extends Data.TaggedError("ServeError")<{ readonly message: string }> {}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"])

export const isLoopback = (host: string): boolean => LOOPBACK.has(host) || host.startsWith("127.")

/** Serves `app` on host:port for the scope's life; yields the URL it listens on (port 0 picks a free one). */
export const listen = (app: Hono, host: string, port: number) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly close: () => Promise<void> }, ServeError>((resume) => {
      const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
        const shown = host.includes(":") ? `[${host}]` : host
        resume(
          Effect.succeed({
            url: `http://${shown}:${info.port}`,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done())
                if ("closeAllConnections" in server) server.closeAllConnections()
              })
          })
        )
      })
      server.once("error", (error) =>
        resume(Effect.fail(new ServeError({ message: `cannot listen on ${host}:${port}: ${error.message}` })))
      )
    }),
    (listening) => Effect.promise(listening.close)
  )
