/**
 * How the reports name the pair's two sides (`Pair.labels`): in prose as the pair gives them ("hub 12 / ERP 34"), in the
 * English tables' headers in lower case like every header ("hub", "erp"), and in `--json` by name ("hubId", "erpId")
 * beside the names every pair has ("leftId", "rightId").
 */
import { Pair } from "@tongbu/pair"
import { Option } from "effect"
import type { Lang } from "./Lang.js"

export type Side = "left" | "right"

/** A header of an English table: the label in lower case. */
export const header = (label: string): string => label.toLowerCase()

/**
 * `label` followed by Chinese text, with a space between them after a Latin letter or a digit, as Chinese text sets
 * Latin words apart ("ERP 的值", "中台的值").
 */
export const beforeChinese = (label: string, text: string): string =>
  /[A-Za-z0-9]$/.test(label) ? `${label} ${text}` : `${label}${text}`

const nameOf = (label: string) => label.toLowerCase().replace(/[^a-z0-9]/g, "")

/**
 * The names `--json` gives the sides, from the English labels: lower case, letters and digits only ("ERP" → "erp").
 * None when the labels give no two distinct names that cannot be taken for the other side ("left" for the right).
 */
export const jsonNames = (labels: Pair.Labels): Option.Option<Pair.SideLabels> => {
  const left = nameOf(labels.left)
  const right = nameOf(labels.right)
  const usable = /^[a-z]/.test(left) && /^[a-z]/.test(right) && left !== right && left !== "right" && right !== "left"
  return usable ? Option.some({ left, right }) : Option.none()
}

/** How `--json` names one side in a value (`"resolution": "hub"`): its name, else "left" / "right". */
export const sideName = (labels: Pair.Labels, side: Side): string =>
  Option.match(jsonNames(labels), { onNone: () => side, onSome: (names) => names[side] })

/**
 * A side's value under both its keys: `left<Suffix>` / `right<Suffix>` always, and `<name><Suffix>` where the labels
 * give names (`suffix` "Id": `leftId`, `hubId`). An empty suffix gives `left` / `hub`.
 */
export const keyed = <A>(labels: Pair.Labels, suffix: string, left: A, right: A): Record<string, A> => {
  const names = jsonNames(labels)
  return {
    [`left${suffix}`]: left,
    [`right${suffix}`]: right,
    ...Option.match(names, {
      onNone: () => ({}),
      onSome: (n) => ({ [`${n.left}${suffix}`]: left, [`${n.right}${suffix}`]: right })
    })
  }
}

/** The side a person named (`--take hub`): a name `--json` gives it, or "left" / "right". */
export const parseSide = (labels: Pair.Labels, given: string): Option.Option<Side> => {
  const value = given.toLowerCase()
  if (value === "left" || value === "right") return Option.some(value)
  return Option.flatMap(jsonNames(labels), (names) =>
    value === names.left ? Option.some("left" as const) : value === names.right ? Option.some("right") : Option.none()
  )
}

/** The words a person may give for a side, for a message: "hub, erp, left or right". */
export const sideChoices = (labels: Pair.Labels): string =>
  Option.match(jsonNames(labels), {
    onNone: () => "left or right",
    onSome: (names) => `${names.left}, ${names.right}, left or right`
  })

/** A side's label in `lang`. */
export const labelOf = (labels: Pair.Labels, side: Side, lang: Lang): string => Pair.labelsIn(labels, lang)[side]

/** The labels of a table over several pairs: theirs when they all agree, else "left" / "right". */
export const common = (labels: ReadonlyArray<Pair.Labels>): Pair.Labels => {
  const [first, ...others] = labels
  const same = (a: Pair.Labels, b: Pair.Labels) =>
    a.left === b.left && a.right === b.right && a.zh?.left === b.zh?.left && a.zh?.right === b.zh?.right
  return first !== undefined && others.every((other) => same(first, other)) ? first : { left: "left", right: "right" }
}
