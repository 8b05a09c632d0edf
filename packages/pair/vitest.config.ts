import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/pair",
    include: ["test/**/*.test.ts"]
  }
})
