/** Terminal columns a character takes: CJK and full-width forms take two. */
const charWidth = (code: number): number =>
  (code >= 0x1100 && code <= 0x115f) ||
  (code >= 0x2e80 && code <= 0xa4cf) ||
  (code >= 0xac00 && code <= 0xd7a3) ||
  (code >= 0xf900 && code <= 0xfaff) ||
  (code >= 0xfe30 && code <= 0xfe4f) ||
  (code >= 0xff00 && code <= 0xff60) ||
  (code >= 0xffe0 && code <= 0xffe6) ||
  code >= 0x1f300
    ? 2
    : 1

export const displayWidth = (text: string): number => {
  let width = 0
  for (const char of text) width += charWidth(char.codePointAt(0) ?? 0)
  return width
}

const pad = (text: string, width: number, align: "left" | "right"): string => {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)))
  return align === "left" ? text + fill : fill + text
}

/** Rows as aligned columns; the first row is the header when `header` is set. Numbers align right. */
export const table = (
  rows: ReadonlyArray<ReadonlyArray<string>>,
  options: { readonly header?: boolean } = {}
): string => {
  const columns = Math.max(0, ...rows.map((row) => row.length))
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(0, ...rows.map((row) => displayWidth(row[i] ?? "")))
  )
  const lines = rows.map((row) =>
    widths
      .map((width, i) => {
        const cell = row[i] ?? ""
        return pad(cell, width, /^-?\d+(\.\d+)?%?$/.test(cell) ? "right" : "left")
      })
      .join("  ")
      .trimEnd()
  )
  if (options.header === true && lines.length > 0) {
    lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "))
  }
  return lines.join("\n")
}

/** Cuts a text to `width` columns with an ellipsis, for one-line cells. */
export const truncate = (text: string, width: number): string => {
  if (displayWidth(text) <= width) return text
  let out = ""
  for (const char of text) {
    if (displayWidth(out + char) > width - 1) break
    out += char
  }
  return `${out}…`
}

export const formatTime = (epochMs: number): string =>
  new Date(epochMs)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z")

/** The header of the column naming each row's pair, when a command lists several pairs' state. */
export const pairHeader = (lang: "en" | "zh"): string => (lang === "zh" ? "配对" : "pair")

/** `rows` (a header first) with the pair of each row before it; no column when `pairs` is none. */
export const withPairs = (
  rows: ReadonlyArray<ReadonlyArray<string>>,
  pairs: ReadonlyArray<string> | undefined,
  lang: "en" | "zh"
): ReadonlyArray<ReadonlyArray<string>> =>
  pairs === undefined ? rows : rows.map((row, i) => [i === 0 ? pairHeader(lang) : (pairs[i - 1] ?? ""), ...row])
