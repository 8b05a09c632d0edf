import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/pair-hub-zhibang",
    include: ["test/**/*.test.ts"]
  }
})
