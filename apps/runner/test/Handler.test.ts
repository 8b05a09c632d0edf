import { StoreError, StoreFenced } from "@tongbu/core"
import { describe, expect, it } from "vitest"
import { ExitCode } from "../src/Exit.js"
import { show } from "../src/Handler.js"

describe("how a store failure reads", () => {
  it("a write refused because another runner took the lease exits busy, with the store's own words", () => {
    const message = "another tongbu runner (holder b:1) took this pair's lease; this runner's writes are refused"
    expect(show(new StoreFenced({ holder: "b:1", message }))).toEqual({ exitCode: ExitCode.busy, message })
  })

  it("a failed store exits failed, saying it was the store", () => {
    expect(show(new StoreError({ message: "state store s.db: cannot save links: disk I/O error" }))).toEqual({
      exitCode: ExitCode.failed,
      message: "the state store failed: state store s.db: cannot save links: disk I/O error"
    })
  })
})
