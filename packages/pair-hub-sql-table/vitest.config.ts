import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/pair-hub-sql-table",
    include: ["test/**/*.test.ts"]
  }
})
