import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/runner",
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/e2e/bundle.ts"]
  }
})
