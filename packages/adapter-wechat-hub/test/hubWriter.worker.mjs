// The hub's Python process, as far as the sync can tell: it keeps editing customers in short write transactions
// until told to stop, then reports the last value it wrote to each row. It says when it has begun writing.
import { parentPort, workerData } from "node:worker_threads"
import Database from "better-sqlite3"

const { path, ids, holdMs, gapMs, stop } = workerData
const flag = new Int32Array(stop)
const pause = new Int32Array(new SharedArrayBuffer(4))
const db = new Database(path, { timeout: 5000 })
const edit = db.prepare("UPDATE customers_unified SET wechat_nickname = ? WHERE id = ?")
const last = {}
let round = 0
while (Atomics.load(flag, 0) === 0) {
  const id = ids[round % ids.length]
  db.exec("BEGIN IMMEDIATE")
  edit.run(`hub edit ${round}`, id)
  Atomics.wait(pause, 0, 0, holdMs)
  db.exec("COMMIT")
  last[id] = `hub edit ${round}`
  if (round === 0) parentPort.postMessage({ type: "writing" })
  round++
  Atomics.wait(pause, 0, 0, gapMs)
}
db.close()
parentPort.postMessage({ type: "stopped", last, rounds: round })
