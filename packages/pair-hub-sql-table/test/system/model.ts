/**
 * What the hub↔sql-table suite expects beyond "both sides agree": what each linked pair must hold after a conflict
 * the table wins, and which pairs a rollback left apart.
 */
import type { FieldValue, LinkState } from "@tongbu/core"

export const pairKey = (link: Pick<LinkState, "leftId" | "rightId">) => `${link.leftId}↔${link.rightId}`

export class Model {
  /** A conflict the table won: the table's value, by pair and field, until a person edits either record again. */
  private readonly expected = new Map<string, Map<string, FieldValue>>()
  /** Pairs a rollback restored: each side keeps its value (by field) until a person changes it. */
  private readonly apart = new Map<string, Map<string, readonly [FieldValue, FieldValue]>>()

  expect(link: LinkState, field: string, value: FieldValue): void {
    this.expected.set(pairKey(link), new Map([...(this.expected.get(pairKey(link)) ?? []), [field, value]]))
  }

  /** A person edited a record: what was expected of its pair no longer is. */
  edited(side: "left" | "right", id: string): void {
    const at = side === "left" ? 0 : 1
    for (const key of [...this.expected.keys()]) if (key.split("↔")[at] === id) this.expected.delete(key)
  }

  expectations(): ReadonlyMap<string, ReadonlyMap<string, FieldValue>> {
    return this.expected
  }

  clearExpectations(): void {
    this.expected.clear()
  }

  keepApart(link: LinkState, field: string, values: readonly [FieldValue, FieldValue]): void {
    this.apart.set(pairKey(link), new Map([...(this.apart.get(pairKey(link)) ?? []), [field, values]]))
  }

  keptApart(link: LinkState, field: string, left: FieldValue, right: FieldValue): boolean {
    const kept = this.apart.get(pairKey(link))?.get(field)
    return kept !== undefined && kept[0] === left && kept[1] === right
  }
}
