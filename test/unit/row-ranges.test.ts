import { describe, expect, it } from 'vitest';
import { rowRanges } from '../../src/imports/verify-import';

describe('rowRanges', () => {
  it('covers 1..total once, in order, in near-equal contiguous ranges', () => {
    for (const [total, n] of [[1_000_000, 2], [7, 2], [10, 3], [3, 5], [1, 2]]) {
      const ranges = rowRanges(total, n);
      expect(ranges.length).toBe(Math.min(n, total));
      expect(ranges[0].firstRow).toBe(1);
      expect(ranges.at(-1)!.lastRow).toBe(total);
      ranges.slice(1).forEach((r, i) => expect(r.firstRow).toBe(ranges[i].lastRow + 1));
      for (const r of ranges) expect(r.lastRow - r.firstRow + 1).toBeLessThanOrEqual(Math.ceil(total / n));
    }
  });

  it('has no range for an empty import', () => {
    expect(rowRanges(0, 2)).toEqual([]);
  });
});
