import { describe, expect, it } from 'vitest';
import { rowRanges } from '../../src/imports/verify-import';

describe('rowRanges', () => {
  it('covers 1..total once, in order, in near-equal contiguous ranges', () => {
    for (const [total, n] of [
      [1_000_000, 2],
      [7, 2],
      [10, 3],
      [9, 4],
      [3, 5],
      [1, 2],
    ]) {
      const ranges = rowRanges(total, n);
      expect(ranges.length).toBe(Math.min(n, total));
      expect(ranges[0].firstRow).toBe(1);
      expect(ranges.at(-1)!.lastRow).toBe(total);
      ranges.slice(1).forEach((r, i) => expect(r.firstRow).toBe(ranges[i].lastRow + 1));
      const sizes = ranges.map((r) => r.lastRow - r.firstRow + 1);
      for (const size of sizes) expect(size).toBeLessThanOrEqual(Math.ceil(total / n));
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('has no range for an empty import', () => {
    expect(rowRanges(0, 2)).toEqual([]);
  });
});
