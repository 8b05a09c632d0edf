import { benchOutbox } from "./outbox.js"
import { benchPlanner } from "./planner.js"

await benchPlanner()
await benchOutbox()
