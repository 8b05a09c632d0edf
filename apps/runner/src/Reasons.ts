/**
 * Skip, failure and rollback reasons worded per language from the rule's name and the reason's `params`. The English
 * words are the reason's own `message`; a Chinese wording that lacks a value it needs (a reason stored before it had
 * params) falls back to that message. Where the detail is another system's own error text, it is quoted as it came.
 */
import type { Reason } from "@tongbu/core"
import { Pair } from "@tongbu/pair"
import { beforeChinese } from "./Labels.js"
import type { Lang } from "./Lang.js"

/**
 * How one rule reads in Chinese: a short label (in tables) and the sentence (`undefined`: a value is missing), which
 * names the sides by the pair's Chinese labels.
 */
export interface Wording {
  readonly label: string
  readonly text: (reason: Reason, sides: Pair.SideLabels) => string | undefined
}

const param = (reason: Reason, name: string): string | undefined => {
  const value = reason.params?.[name]
  return value === undefined ? undefined : String(value)
}

/** Fills `{name}` from the reason's params; undefined when one is missing. */
const template =
  (text: string) =>
  (reason: Reason, sides: Pair.SideLabels): string | undefined => {
    let missing = false
    const filled = text.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = name === "collidingId" ? reason.collidingId : param(reason, name)
      if (value === undefined) missing = true
      return value === undefined
        ? ""
        : name === "side"
          ? sideName(value, sides)
          : name === "field"
            ? fieldName(value)
            : name === "kind"
              ? actionKindName(value)
              : value
    })
    return missing ? undefined : filled
  }

const quoting = (prefix: string) => (reason: Reason) => `${prefix}：${reason.message}`

const fixed = (text: string) => () => text

const actionKinds: Record<string, string> = { followUp: "跟进记录", assign: "分配" }
export const actionKindName = (kind: string): string => actionKinds[kind] ?? kind

/** A side as a reason's `side` param names it ("left" / "right"), by the pair's label. */
export const sideName = (side: string, sides: Pair.SideLabels): string =>
  side === "left" ? sides.left : side === "right" ? sides.right : side

const fields: Record<string, string> = {
  code: "客户编号",
  name: "名称",
  mobile: "手机号",
  wechat: "微信号",
  email: "邮箱",
  address: "地址",
  erpCategory: "客户分类",
  erpFollowLevel: "跟进级别",
  erpSource: "客户来源",
  erpValue: "价值评估"
}
export const fieldName = (field: string): string => fields[field] ?? field

const byProblem =
  (texts: Record<string, string>) =>
  (reason: Reason, sides: Pair.SideLabels): string | undefined => {
    const problem = param(reason, "problem")
    const text = problem === undefined ? undefined : texts[problem]
    return text === undefined ? undefined : template(text)(reason, sides)
  }

/** Every rule the planner, the dispatcher, rollback and the hub↔ERP policy give reasons under. */
export const zh: Record<string, Wording> = {
  // admission to the ERP (sync-rules §2) and from it
  mobile: {
    label: "手机号",
    text: byProblem({ missing: "没有已验证的手机号", invalid: "不是有效的大陆手机号：{mobile}" })
  },
  phoneVerified: { label: "手机验证", text: template("手机号 {mobile} 未验证") },
  name: {
    label: "客户名称",
    text: byProblem({
      missing: "没有客户名称",
      short: "名称太短（至少 {min} 个字）：{name}",
      formOfAddress: "名称是称呼而不是全名：{name}"
    })
  },
  companyName: { label: "公司名称", text: fixed("公司客户没有公司名称") },
  score: { label: "意向分", text: template("意向分 {score} 低于 {min}") },
  notInvalid: { label: "无效标记", text: fixed("在中台被标记为无效") },
  pullSource: { label: "客户来源", text: template("来源（ly）{source} 不在拉取范围内（policy.pull.sources）") },
  // the planner
  uniqueKey: {
    label: "唯一字段冲突",
    // a holder the sync creates (or created) is named by its source record, as the English reason does
    text: (reason, sides) =>
      template(
        reason.params?.createdFrom !== undefined
          ? `{field}“{value}”已属于同步从${sideName(reason.params?.side === "left" ? "right" : "left", sides)}记录 {createdFrom} 新建的{side}记录`
          : "{field}“{value}”已属于{side}客户 {collidingId}"
      )(reason, sides)
  },
  fillIn: {
    label: "只填空字段",
    text: (reason, sides) =>
      template(
        `{field}不一致：${beforeChinese(sides.left, "为")}“{left}”，${beforeChinese(sides.right, "为")}“{right}”；只填写空字段，两边都保留`
      )(reason, sides)
  },
  naturalKey: {
    label: "客户编号",
    text: byProblem({
      several: "客户编号“{key}”对应多条记录",
      linked: "客户编号“{key}”属于{side}记录 {collidingId}，它已关联到另一条记录 {partner}"
    })
  },
  alreadyCreated: { label: "已创建过", text: template("此记录之前已在{side}创建过（可能已回滚），不再重复创建") },
  linkUndone: { label: "关联已撤销", text: fixed("这两条记录之前的关联已被撤销，不再自动关联") },
  claimedLinkMissing: {
    label: "声明的关联记录不存在",
    text: template("此记录声明关联的{side}记录 {collidingId} 不存在；不会新建，请核对关联")
  },
  claimedLinkTaken: {
    label: "声明的关联记录已被占用",
    text: (reason, sides) =>
      template(
        reason.params?.partner === undefined
          ? "此记录声明关联的{side}记录 {collidingId} 已被另一条记录声明"
          : "此记录声明关联的{side}记录 {collidingId} 已关联到记录 {partner}"
      )(reason, sides)
  },
  claimedLinkShared: {
    label: "多条记录声明同一关联",
    text: (reason, sides) =>
      template(
        reason.params?.claimed === undefined
          ? "记录 {ids} 都声明关联{side}记录 {collidingId}；只剩一条声明之前都不关联"
          : "记录 {ids} 都声明关联本记录；只剩一条声明之前都不关联"
      )(reason, sides)
  },
  cameFromOther: {
    label: "来自对方系统",
    text: (reason, sides) =>
      template(
        reason.params?.key === undefined
          ? "此记录来自{side}，但没有可在{side}查找的客户编号；不会在{side}新建"
          : "此记录来自{side}，但{side}中没有客户编号为“{key}”的记录；不会在{side}新建"
      )(reason, sides)
  },
  linkedRecordMissing: { label: "关联记录已不存在", text: template("已关联的{side}记录 {id} 已不存在") },
  policyError: { label: "策略出错", text: quoting("策略出错") },
  manual: { label: "人工处理", text: template("{field}两边都改了，已搁置待人工选择") },
  settled: { label: "已处理过", text: fixed("之前的运行已完成、搁置或回滚，不再重复") },
  // writing
  retry: { label: "暂时失败", text: quoting("暂时失败，下次运行重试") },
  rejected: { label: "被拒绝", text: quoting("对方拒绝了写入") },
  stale: { label: "数据已变化", text: quoting("读取后记录已被修改，下次运行重新计划") },
  afterCreate: { label: "创建后动作失败", text: quoting("创建后的动作被拒绝") },
  uncertain: {
    label: "结果不确定",
    // the customer's name only when the action knew it; a reason stored before these params falls back to English
    text: (reason, sides) =>
      template(
        `可能已送达：尝试于 {at}；请在{side}记录 {id}${reason.params?.name === undefined ? "" : "（{name}）"}中查看{kind}（${reason.params?.content === "" ? "" : "{content}，"}由运行 {run} 计划）；不会自动重发：核实后，已存在则 \`tongbu actions resolve <编号> --done\`，不存在则 \`--retry\`（下次同步重发一次）`
      )(reason, sides)
  },
  // rollback
  rollbackFailed: { label: "回滚失败", text: quoting("回滚失败") },
  changedSince: { label: "此后已修改", text: template("{fields} 此后已被他人修改，予以保留") },
  withdrawn: { label: "已撤回", text: quoting("已撤回") },
  linkedSince: { label: "此后已关联", text: quoting("此后已关联，予以保留") },
  recordGone: { label: "记录已不存在", text: template("{side}记录 {id} 已不存在") },
  irreversible: { label: "不可撤销", text: template("{kind} 动作无法撤销；如有需要请在{side}手动撤销") },
  collision: { label: "冲突", text: quoting("冲突，予以保留") },
  linkShownRestored: { label: "关联显示已恢复", text: quoting("已恢复关联前的内容") },
  unlinked: { label: "已取消关联", text: quoting("已取消关联") }
}

/** A reason in words of `lang`, the sides named by the pair's labels in it. */
export const render = (reason: Reason, lang: Lang, labels: Pair.Labels): string =>
  lang === "en" ? reason.message : (zh[reason.rule]?.text(reason, Pair.labelsIn(labels, "zh")) ?? reason.message)

/** A rule's name as a table shows it. */
export const ruleLabel = (rule: string, lang: Lang): string => {
  const label = lang === "zh" ? zh[rule]?.label : undefined
  return label === undefined ? rule : `${label}（${rule}）`
}
