import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "@tongbu/adapter-wechat-hub",
    include: ["test/**/*.test.ts"]
  }
})
