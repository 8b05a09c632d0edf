import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/adapter-zhibang",
    include: ["test/**/*.test.ts"]
  }
})
