export * as PostgresStore from "./PostgresStore.js"
