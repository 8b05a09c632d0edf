import { benchOutbox } from "./outbox.js"

await benchOutbox()
