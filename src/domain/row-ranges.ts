/** Rows firstRow..lastRow of an import, both included, counted from 1 like import_rows.row_number. */
export interface RowRange {
  firstRow: number;
  lastRow: number;
}

/** Past every row number an import can have (row_number is a PostgreSQL integer). */
export const LAST_POSSIBLE_ROW = 2_147_483_647;

/** A range in n contiguous parts whose sizes differ by at most one (fewer when it holds fewer rows). */
export function splitRange({ firstRow, lastRow }: RowRange, n: number): RowRange[] {
  const size = Math.max(0, lastRow - firstRow + 1);
  const parts = Math.min(n, size);
  return Array.from({ length: parts }, (_, i) => ({
    firstRow: firstRow + Math.floor((i * size) / parts),
    lastRow: firstRow - 1 + Math.floor(((i + 1) * size) / parts),
  }));
}

/** The parts of `within` that no range of `covered` holds, in order; `covered` may overlap and be unsorted. */
export function uncoveredRanges(covered: readonly RowRange[], within: RowRange): RowRange[] {
  const gaps: RowRange[] = [];
  let next = within.firstRow;
  for (const r of [...covered].sort((a, b) => a.firstRow - b.firstRow)) {
    if (r.lastRow < next) continue;
    if (r.firstRow > within.lastRow) break;
    if (r.firstRow > next) gaps.push({ firstRow: next, lastRow: r.firstRow - 1 });
    next = r.lastRow + 1;
  }
  if (next <= within.lastRow) gaps.push({ firstRow: next, lastRow: within.lastRow });
  return gaps;
}

/** How many rows the ranges hold. */
export function rowsIn(ranges: readonly RowRange[]): number {
  return ranges.reduce((n, r) => n + r.lastRow - r.firstRow + 1, 0);
}
