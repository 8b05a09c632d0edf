import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/adapter-sql-table",
    include: ["test/**/*.test.ts"]
  }
})
