import { benchOutbox } from "/work/main/packages/core/bench/outbox.ts"
await benchOutbox()
