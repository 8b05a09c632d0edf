import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/mock-erp",
    include: ["test/**/*.test.ts"]
  }
})
