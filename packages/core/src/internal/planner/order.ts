/** Ids in a stable order that reads naturally for numeric ids ("9" before "10"). */
export const compareIds = (a: string, b: string): number =>
  a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0
