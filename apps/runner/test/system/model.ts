/**
 * What the suite expects of the two systems, kept apart from the system under test: for every linked pair, what each
 * side held the last time the two agreed on each field (a person's edit since is a change of that side). The last
 * sync and whether anything was edited since are the harness's (`History`).
 */
import type { Fields, FieldValue, LinkState } from "@tongbu/core"
import type { LastSync as AnyLastSync } from "../../src/testing.js"
import type { FieldRule } from "./rules.js"
import type { Snapshot } from "./snapshot.js"

export interface Baseline {
  readonly hub: Map<string, FieldValue>
  readonly erp: Map<string, FieldValue>
}

export type LastSync = AnyLastSync<Snapshot>

export const pairKey = (link: Pick<LinkState, "leftId" | "rightId">): string => `${link.leftId}↔${link.rightId}`

export class Model {
  readonly base = new Map<string, Baseline>()
  /**
   * Canonical fields a person changed since the last clean full sync through an ERP field the ERP's customer list
   * does not show, by ERP customer: an incremental run cannot see such an edit (see `listedErpField`), so the pair may
   * stay apart on it until a full run.
   */
  readonly unlistedErpEdits = new Map<string, Set<string>>()

  noteUnlistedErpEdit(ord: string, fields: ReadonlyArray<string>): void {
    this.unlistedErpEdits.set(ord, new Set([...(this.unlistedErpEdits.get(ord) ?? []), ...fields]))
  }

  /** Whether an incremental run may not have seen a person's edit of this ERP customer's canonical `field`. */
  unseenErpEdit(ord: string, field: string): boolean {
    return this.unlistedErpEdits.get(ord)?.has(field) ?? false
  }

  constructor(readonly rules: ReadonlyArray<FieldRule>) {}

  baseOf(link: Pick<LinkState, "leftId" | "rightId">): Baseline | undefined {
    return this.base.get(pairKey(link))
  }

  private pairs(snapshot: Snapshot): Array<readonly [LinkState, Fields, Fields]> {
    return snapshot.store.links.flatMap((link) => {
      const hub = snapshot.canonical.hub.get(link.leftId)
      const erp = snapshot.canonical.erp.get(link.rightId)
      return hub === undefined || erp === undefined ? [] : [[link, hub, erp] as const]
    })
  }

  /** After a sync: a field both sides now hold alike is their new common baseline; others keep theirs. */
  agreeWhereEqual(snapshot: Snapshot): void {
    const linked = new Set<string>()
    for (const [link, hub, erp] of this.pairs(snapshot)) {
      linked.add(pairKey(link))
      const base = this.base.get(pairKey(link)) ?? { hub: new Map(), erp: new Map() }
      for (const rule of this.rules) {
        const h = hub[rule.name] ?? null
        if (h === (erp[rule.name] ?? null)) {
          base.hub.set(rule.name, h)
          base.erp.set(rule.name, h)
        }
      }
      this.base.set(pairKey(link), base)
    }
    for (const key of this.base.keys()) if (!linked.has(key)) this.base.delete(key)
  }

  /**
   * After a rollback: on the pairs whose updates it restored, each side's value as it now stands is that side's
   * baseline (the core records the restored value on the side it restored and keeps the other side's), so the two may
   * differ until a person changes one of them. Other pairs are as after any run.
   */
  takeAsTheyAre(snapshot: Snapshot, restored: ReadonlySet<string>): void {
    this.agreeWhereEqual(snapshot)
    for (const [link, hub, erp] of this.pairs(snapshot)) {
      if (!restored.has(pairKey(link))) continue
      const base: Baseline = { hub: new Map(), erp: new Map() }
      for (const rule of this.rules) {
        base.hub.set(rule.name, hub[rule.name] ?? null)
        base.erp.set(rule.name, erp[rule.name] ?? null)
      }
      this.base.set(pairKey(link), base)
    }
  }
}
