import type { BatchCounts } from '../sources/importer';
import { awaitStaged, type StagedMark, type StagingPause } from './await-staged';
import type { BatchRange } from './batch-range';
import type { ImportDeps } from './deps';
import { importBatch } from './import-batch';

export interface StagedBatch {
  /** Absent when staging ended before the range: there was nothing left to import. */
  counts?: BatchCounts;
  /** The rows the batch imported: the range, cut at the file's end. */
  lastRow?: number;
  /** What the wait learned: the run carries it, so that it knows when the file ends. */
  staged: StagedMark;
}

/**
 * A batch of a file still being staged: waits (pausing between looks) until its whole range is
 * staged, or staging ended and the range is cut at the file's last record, then imports it. The
 * wait is part of the batch, not a step of its own, so a run's history grows by one activity per
 * batch however long staging takes. A retry cuts the range the same way: once staging ended, the
 * total no longer changes, and a range wholly staged is never cut.
 */
export async function importStagedBatch(
  deps: ImportDeps,
  importId: number,
  range: BatchRange,
  checkedThrough: number | undefined,
  pause?: StagingPause,
): Promise<StagedBatch> {
  const staged = await awaitStaged(deps, importId, range.lastRow, pause);
  const lastRow = staged.done ? Math.min(range.lastRow, staged.total) : range.lastRow;
  if (lastRow < range.firstRow) return { staged };
  const counts = await importBatch(deps, importId, { firstRow: range.firstRow, lastRow }, checkedThrough);
  return { counts, lastRow, staged };
}
