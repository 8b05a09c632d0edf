import { benchPlanner } from "./planner.js"

await benchPlanner()
