import type { AddressInfo } from "node:net"
import { type HttpBindings, serve as honoServe } from "@hono/node-server"
import { resetMarker } from "./internal/answer.js"
import { createMockErp, type MockErp, type MockErpOptions } from "./MockErp.js"

export interface ServeOptions extends MockErpOptions {
  /** Default 46088; 0 picks a free port. */
  readonly port?: number
  /** Default 127.0.0.1: the mock is not for the network. */
  readonly host?: string
}

export interface Served {
  /** The base URL, e.g. http://127.0.0.1:46088 */
  readonly url: string
  readonly mock: MockErp
  /** Stops listening and closes the store. */
  readonly close: () => Promise<void>
}

/** Serves the mock over HTTP; resolves once it listens. */
export const serveMockErp = (options: ServeOptions = {}): Promise<Served> => {
  const mock = createMockErp(options)
  const host = options.host ?? "127.0.0.1"
  return new Promise((resolve, reject) => {
    const server = honoServe(
      {
        hostname: host,
        port: options.port ?? 46088,
        fetch: async (request, env) => {
          const response = await mock.app.fetch(request, env)
          // an ack-lost fault drops the connection after the write committed
          if (response.headers.has(resetMarker)) (env as HttpBindings).incoming.socket.destroy()
          return response
        }
      },
      (info: AddressInfo) => {
        const shown = host.includes(":") ? `[${host}]` : host
        resolve({
          url: `http://${shown}:${info.port}`,
          mock,
          close: () =>
            new Promise<void>((done) => {
              server.close(() => {
                mock.control.close()
                done()
              })
              if ("closeAllConnections" in server) server.closeAllConnections()
            })
        })
      }
    )
    server.once("error", (error) => {
      mock.control.close()
      reject(error)
    })
  })
}
