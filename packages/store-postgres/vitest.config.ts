import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/store-postgres",
    include: ["test/**/*.test.ts"]
  }
})
