export * as Cli from "./Cli.js"
export * as Config from "./Config.js"
export * from "./DefaultPair.js"
export * as Runner from "./Runner.js"
