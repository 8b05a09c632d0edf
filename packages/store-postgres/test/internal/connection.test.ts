import { Redacted } from "effect"
import pg from "pg"
import { describe, expect, it } from "vitest"
import { connection, describe as describeError } from "../../src/internal/connection.js"
import * as TestServer from "../../src/testing.js"

describe("the store's connection settings", () => {
  it("reads the URL, an explicit password winning over one inline; never shows the password", () => {
    const target = connection(
      "postgres://tongbu:in%40line@db.example:6543/state?sslmode=require",
      Redacted.make("given"),
      4,
      true
    )
    expect(target).toMatchObject({
      where: "postgres://tongbu:***@db.example:6543/state?sslmode=require",
      pool: { host: "db.example", port: 6543, user: "tongbu", database: "state", password: "given", max: 4 }
    })
    expect(connection("postgresql://tongbu@db.example/state", undefined, 2, true)).toMatchObject({
      pool: { port: 5432, database: "state" }
    })
    expect(connection("postgres://tongbu@db.example/", undefined, 2, true)).toEqual({
      invalid: "the state URL postgres://tongbu@db.example/ names no database (postgres://…/database)"
    })
    expect(connection("not a url with secret", undefined, 2, true)).toEqual({
      invalid: "the state URL is not a URL (expected postgres://user@host:port/database)"
    })
  })

  it("masks every form of the password in what the driver says, several errors at once included", () => {
    const target = connection("postgres://tongbu:p%40ss@db.example/state", undefined, 1, true)
    if ("invalid" in target) throw new Error(target.invalid)
    const error = new AggregateError([new Error("auth p@ss refused"), new Error("p%40ss again")], "")
    expect(describeError(error, target.secrets)).toBe("auth *** refused; *** again")
  })

  it("synchronousCommit: false turns synchronous_commit off for the store's sessions", async () => {
    const server = await TestServer.start()
    try {
      const target = connection(server.database, server.password, 1, false)
      if ("invalid" in target) throw new Error(target.invalid)
      const client = new pg.Client(target.pool)
      await client.connect()
      const { rows } = await client.query("select current_setting('synchronous_commit') as setting")
      await client.end()
      expect(rows).toEqual([{ setting: "off" }])
    } finally {
      await server.stop()
    }
  }, 120_000)
})
