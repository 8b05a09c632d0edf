import { existsSync } from "node:fs"
import { request } from "node:http"

// A container runtime, when one answers, runs PostgreSQL from its official image (testcontainers); otherwise the
// local server is used. The probe has a time limit of its own: a socket may exist and never answer, and
// testcontainers' own discovery would wait on it.

export type Runtime = { readonly available: true } | { readonly available: false; readonly reason: string }

/** Whether a container runtime answers: DOCKER_HOST (unix or tcp) or the default socket, within 3 s. */
export const containerRuntime = (): Promise<Runtime> => {
  const host = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock"
  const tcp = host.startsWith("tcp://") ? new URL(host.replace("tcp://", "http://")) : undefined
  const target = host.startsWith("unix://")
    ? { socketPath: host.slice("unix://".length) }
    : tcp !== undefined
      ? { host: tcp.hostname, port: Number(tcp.port || 2375) }
      : undefined
  if (target === undefined)
    return Promise.resolve({ available: false, reason: `DOCKER_HOST=${host} is neither unix:// nor tcp://` })
  if ("socketPath" in target && target.socketPath !== undefined && !existsSync(target.socketPath))
    return Promise.resolve({
      available: false,
      reason: `no container runtime: ${target.socketPath} does not exist and DOCKER_HOST is not set`
    })
  return new Promise((done) => {
    const probe = request({ ...target, path: "/_ping", timeout: 3000 }, (response) => {
      response.resume()
      done(
        response.statusCode === 200
          ? { available: true }
          : { available: false, reason: `${host} answered /_ping with ${response.statusCode}` }
      )
    })
    probe.on("timeout", () => {
      probe.destroy()
      done({ available: false, reason: `${host} did not answer /_ping within 3 s` })
    })
    probe.on("error", (error) => done({ available: false, reason: `${host}: ${error.message}` }))
    probe.end()
  })
}

export const image = "postgres:17-alpine"

/** PostgreSQL in a container, its port mapped to the host; testcontainers is loaded only when a runtime answers. */
export const startContainer = async (user: string, password: string) => {
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql")
  const started = await new PostgreSqlContainer(image).withUsername(user).withPassword(password).start()
  return {
    host: started.getHost(),
    port: started.getPort(),
    user,
    stop: async () => {
      await started.stop()
    }
  }
}
