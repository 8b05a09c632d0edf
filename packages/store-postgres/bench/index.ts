import { benchCopy } from "./copy.js"
import { benchOutbox } from "./outbox.js"

// TONGBU_BENCH_ONLY=outbox or copy runs one of the two.
const only = process.env.TONGBU_BENCH_ONLY
if (only !== "copy") await benchOutbox()
if (only !== "outbox") await benchCopy()
