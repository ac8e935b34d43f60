import type { Field, Reason } from './pair-score';

export interface ScoredPair {
  leftId: number;
  rightId: number;
  score: number;
  reasons: Reason[];
}

/** Per field, on how many of the group's links it agreed and its strongest weight there. */
export interface GroupReason {
  field: Field;
  agreement: 'exact' | 'similar';
  links: number;
  weight: number;
}

export interface Group {
  customerIds: number[];
  /** The weakest link that holds the group together: a group is as sure as its least sure pair. */
  score: number;
  reasons: GroupReason[];
}

/**
 * Connected components of the matching pairs, strongest pairs first, no component above `maxSize`:
 * a pair that would join two components past the cap is left out, so a chain of weak links through a
 * shared office phone cannot pull hundreds of customers into one group.
 */
export function connectedGroups(pairs: readonly ScoredPair[], maxSize: number): Group[] {
  const parent = new Map<number, number>();
  const size = new Map<number, number>();
  const root = (id: number): number => {
    let r = id;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(id, r);
    return r;
  };
  const used: ScoredPair[] = [];
  const ordered = [...pairs].sort((a, b) => b.score - a.score || a.leftId - b.leftId || a.rightId - b.rightId);
  for (const pair of ordered) {
    const [a, b] = [root(pair.leftId), root(pair.rightId)];
    if (a === b) continue;
    const joined = (size.get(a) ?? 1) + (size.get(b) ?? 1);
    if (joined > maxSize) continue;
    parent.set(a, a);
    parent.set(b, a);
    size.set(a, joined);
    used.push(pair);
  }
  const byRoot = new Map<number, { ids: Set<number>; links: ScoredPair[] }>();
  for (const pair of used) {
    const r = root(pair.leftId);
    const g = byRoot.get(r) ?? { ids: new Set<number>(), links: [] };
    g.ids.add(pair.leftId).add(pair.rightId);
    g.links.push(pair);
    byRoot.set(r, g);
  }
  return [...byRoot.values()]
    .map((g) => ({
      customerIds: [...g.ids].sort((x, y) => x - y),
      score: Math.min(...g.links.map((l) => l.score)),
      reasons: groupReasons(g.links),
    }))
    .sort((x, y) => y.score - x.score || x.customerIds[0]! - y.customerIds[0]!);
}

function groupReasons(links: readonly ScoredPair[]): GroupReason[] {
  const byField = new Map<Field, GroupReason>();
  for (const link of links) {
    for (const r of link.reasons) {
      if (r.agreement === 'different') continue;
      const seen = byField.get(r.field);
      if (!seen) byField.set(r.field, { field: r.field, agreement: r.agreement, links: 1, weight: r.weight });
      else
        byField.set(r.field, {
          ...seen,
          agreement: seen.agreement === 'exact' ? 'exact' : r.agreement,
          links: seen.links + 1,
          weight: Math.max(seen.weight, r.weight),
        });
    }
  }
  return [...byField.values()].sort((a, b) => b.weight - a.weight);
}
