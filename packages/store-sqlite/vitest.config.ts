import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/store-sqlite",
    include: ["test/**/*.test.ts"]
  }
})
