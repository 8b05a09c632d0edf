/** The fixed words of the text reports (headers, labels, statuses, counts), per language. */
import type { Pair } from "@tongbu/pair"
import { beforeChinese, header } from "./Labels.js"
import type { Lang } from "./Lang.js"

export interface Texts {
  readonly run: string
  readonly dryRun: string
  readonly notRecorded: string
  readonly nothingWritten: string
  readonly topReasons: string
  readonly stopped: string
  readonly error: string
  readonly noOutcomes: string
  readonly noRuns: string
  /** Headers naming the sides take the pair's labels in the report's language (`Pair.labelsIn`). */
  readonly itemHeader: (sides: Pair.SideLabels) => ReadonlyArray<string>
  readonly runHeader: ReadonlyArray<string>
  readonly dry: string
  readonly full: string
  readonly rollbackPreview: (target: string, undone: number, kept: number) => string
  readonly rollbackDone: (id: string, target: string, status: string, undone: number, kept: number) => string
  readonly performing: string
  readonly conflictHeader: (sides: Pair.SideLabels) => ReadonlyArray<string>
  readonly noConflicts: string
  readonly actionHeader: ReadonlyArray<string>
  readonly noActions: string
  /** Under the parked actions: how a person settles each. */
  readonly actionsHint: string
  readonly empty: string
  readonly alertHeader: ReadonlyArray<string>
  readonly firing: string
  readonly ok: string
  /** Counts, statuses, outcomes, operations, kinds and directions; a word not here is shown as it is. */
  readonly words: Readonly<Record<string, string>>
}

export const en: Texts = {
  run: "Run",
  dryRun: "Dry run",
  notRecorded: "(not recorded)",
  nothingWritten: " — nothing was written",
  topReasons: "Top reasons:",
  stopped: "Stopped",
  error: "error",
  noOutcomes: "(no per-record outcomes)",
  noRuns: "No runs yet.",
  itemHeader: (s) => [header(s.left), header(s.right), "operation", "outcome", "reason"],
  runHeader: ["run", "kind", "direction", "status", "started", "created", "updated", "skipped", "conflicts", "failed"],
  dry: "dry",
  full: "full",
  rollbackPreview: (target, undone, kept) =>
    `Rolling back run ${target} would undo ${undone} operation(s); ${kept} cannot be restored:`,
  rollbackDone: (id, target, status, undone, kept) =>
    `Rollback ${id} of run ${target}: ${status}; ${undone} undone, ${kept} not restored:`,
  performing: "Performing it now…",
  conflictHeader: (s) => {
    const [left, right] = [header(s.left), header(s.right)]
    return ["id", left, right, "field", `${left} value`, `${right} value`, `baseline (${left} / ${right})`, "since"]
  },
  noConflicts: "No open conflicts.",
  actionHeader: ["id", "run", "side", "record", "name", "kind", "content", "parked"],
  noActions: "No parked actions: every follow-up and assignment was delivered or is still to be sent.",
  actionsHint:
    "Check each record for the action, then `tongbu actions resolve <id> --done` if it is there (never sent again) or `--retry` if not (the next sync sends it once).",
  empty: "(empty)",
  alertHeader: ["rule", "severity", "state", "detail"],
  firing: "FIRING",
  ok: "ok",
  words: {}
}

export const zh: Texts = {
  run: "运行",
  dryRun: "试运行",
  notRecorded: "（未记录）",
  nothingWritten: "——未写入任何内容",
  topReasons: "主要原因：",
  stopped: "已停止",
  error: "错误",
  noOutcomes: "（没有逐条结果）",
  noRuns: "还没有运行记录。",
  itemHeader: (s) => [s.left, s.right, "操作", "结果", "原因"],
  runHeader: ["运行", "类型", "方向", "状态", "开始时间", "新建", "更新", "跳过", "冲突", "失败"],
  dry: "试运行",
  full: "全量",
  rollbackPreview: (target, undone, kept) => `回滚运行 ${target} 将撤销 ${undone} 项操作；${kept} 项无法恢复：`,
  rollbackDone: (id, target, status, undone, kept) =>
    `运行 ${target} 的回滚 ${id}：${status}；已撤销 ${undone} 项，${kept} 项未恢复：`,
  performing: "现在执行回滚…",
  conflictHeader: (s) => [
    "编号",
    s.left,
    s.right,
    "字段",
    beforeChinese(s.left, "的值"),
    beforeChinese(s.right, "的值"),
    `共同基线（${s.left} / ${s.right}）`,
    "发生时间"
  ],
  noConflicts: "没有待处理的冲突。",
  actionHeader: ["编号", "运行", "系统", "记录", "名称", "类型", "内容", "搁置时间"],
  noActions: "没有搁置的动作：每条跟进和分配都已送达或仍在待发送中。",
  actionsHint:
    "请在对应记录中核实该动作：已存在则 `tongbu actions resolve <编号> --done`（不再发送），不存在则 `--retry`（下次同步重发一次）。",
  empty: "（空）",
  alertHeader: ["规则", "级别", "状态", "详情"],
  firing: "告警中",
  ok: "正常",
  words: {
    // counts and outcomes
    created: "新建",
    updated: "更新",
    linked: "关联",
    unchanged: "未变",
    skipped: "跳过",
    conflicts: "冲突",
    conflict: "冲突",
    actions: "动作",
    failed: "失败",
    performed: "已执行",
    rolledBack: "已回滚",
    kept: "保留",
    // run statuses
    running: "运行中",
    completed: "完成",
    interrupted: "已中断",
    // operations
    create: "新建",
    update: "更新",
    link: "关联",
    skip: "跳过",
    intake: "接收",
    "action:assign": "分配",
    "action:followUp": "跟进记录",
    "rollback:create": "回滚新建",
    "rollback:update": "回滚更新",
    "rollback:link": "回滚关联",
    "rollback:intake": "回滚接收",
    "rollback:action:assign": "回滚分配",
    "rollback:action:followUp": "回滚跟进记录",
    // kinds and directions
    sync: "同步",
    rollback: "回滚",
    push: "推送",
    pull: "拉取",
    both: "双向",
    // alerts
    successRate: "成功率",
    failures: "失败数",
    noSuccess: "无成功运行",
    critical: "严重",
    warning: "警告",
    info: "提示"
  }
}

export const textsOf = (lang: Lang): Texts => (lang === "zh" ? zh : en)

/** A word of `texts`, or itself when it has none. */
export const word = (texts: Texts, value: string): string => texts.words[value] ?? value
