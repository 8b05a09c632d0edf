/** One line of `tongbu check`: what was checked, whether it passed, what was seen, and for a failure the fix. */
export interface CheckItem {
  readonly name: string
  readonly status: "pass" | "fail" | "skipped"
  readonly seen: string
  readonly fix?: string
}

export const pass = (name: string, seen: string): CheckItem => ({ name, status: "pass", seen })
export const fail = (name: string, seen: string, fix: string): CheckItem => ({ name, status: "fail", seen, fix })
export const skipped = (name: string, because: string): CheckItem => ({ name, status: "skipped", seen: because })

/** A check passes only when every item passed: a skipped item was not checked. */
export const allPassed = (items: ReadonlyArray<CheckItem>): boolean => items.every((item) => item.status === "pass")
