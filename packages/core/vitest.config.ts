import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/core",
    include: ["test/**/*.test.ts"]
  }
})
