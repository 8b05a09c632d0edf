export * as SqlTableAdapter from "./SqlTableAdapter.js"
export * from "./SqlTableConfig.js"
export * from "./SqlTableDatabase.js"
