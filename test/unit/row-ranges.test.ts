import { describe, expect, it } from 'vitest';
import { rowsIn, splitRange, uncoveredRanges } from '../../src/domain/row-ranges';

describe('splitRange', () => {
  it('covers 1..total once, in order, in near-equal contiguous ranges', () => {
    for (const [total, n] of [
      [1_000_000, 2],
      [7, 2],
      [10, 3],
      [9, 4],
      [3, 5],
      [1, 2],
    ]) {
      const ranges = splitRange({ firstRow: 1, lastRow: total }, n);
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
    expect(splitRange({ firstRow: 1, lastRow: 0 }, 2)).toEqual([]);
  });

  it('splits a range that does not start at row 1', () => {
    expect(splitRange({ firstRow: 11, lastRow: 15 }, 2)).toEqual([
      { firstRow: 11, lastRow: 12 },
      { firstRow: 13, lastRow: 15 },
    ]);
  });
});

describe('uncoveredRanges', () => {
  const within = { firstRow: 1, lastRow: 100 };

  it('is the whole range when nothing is covered', () => {
    expect(uncoveredRanges([], within)).toEqual([within]);
  });

  it('leaves the gaps between, before and after covered ranges, whatever their order', () => {
    const covered = [
      { firstRow: 41, lastRow: 60 },
      { firstRow: 5, lastRow: 20 },
    ];
    expect(uncoveredRanges(covered, within)).toEqual([
      { firstRow: 1, lastRow: 4 },
      { firstRow: 21, lastRow: 40 },
      { firstRow: 61, lastRow: 100 },
    ]);
  });

  it('merges overlapping and touching ranges, and ignores what lies outside', () => {
    const covered = [
      { firstRow: 1, lastRow: 30 },
      { firstRow: 31, lastRow: 50 },
      { firstRow: 40, lastRow: 45 },
      { firstRow: 90, lastRow: 200 },
    ];
    expect(uncoveredRanges(covered, within)).toEqual([{ firstRow: 51, lastRow: 89 }]);
    expect(uncoveredRanges([{ firstRow: 1, lastRow: 100 }], within)).toEqual([]);
  });

  it('gives exactly the rows not covered, checked row by row', () => {
    const covered = [
      { firstRow: 3, lastRow: 9 },
      { firstRow: 7, lastRow: 12 },
      { firstRow: 20, lastRow: 20 },
      { firstRow: 25, lastRow: 40 },
    ];
    const range = { firstRow: 2, lastRow: 30 };
    const gaps = uncoveredRanges(covered, range);
    const inGap = (row: number) => gaps.some((g) => g.firstRow <= row && row <= g.lastRow);
    for (let row = range.firstRow; row <= range.lastRow; row++)
      expect(inGap(row)).toBe(!covered.some((c) => c.firstRow <= row && row <= c.lastRow));
    expect(rowsIn(gaps)).toBe(gaps.reduce((n, g) => n + g.lastRow - g.firstRow + 1, 0));
    expect(rowsIn(gaps)).toBe(1 + 7 + 4);
  });
});
