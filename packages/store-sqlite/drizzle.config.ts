import { defineConfig } from "drizzle-kit"

export default defineConfig({
  dialect: "sqlite",
  schema: "./src/internal/schema.ts",
  out: "./drizzle"
})
