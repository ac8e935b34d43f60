import { inTransaction } from '../db/queryable';
import { refreshCounts, setValidCount } from '../db/queries/imports';
import { countOutcomes, insertRejections, type RejectedRow } from '../db/queries/ledger';
import { readStagedRows } from '../db/queries/staged-rows';
import { checkStagedRow } from '../sources/check-staged-row';
import type { ImportDeps } from './deps';
import { awaitStaged, type StagedMark, type StagingPause } from './await-staged';
import { loadImport } from './load-import';
import { validationContext } from './validation-context';

export const VALIDATION_CHUNK = 10_000;

export interface ValidationSummary {
  total: number;
  /** Records that passed; null when only a prefix was checked (the batches check the rest). */
  valid: number | null;
  rejected: number;
  /** The last row checked: the whole file, or the prefix that holds the test batch. */
  checkedThrough: number;
  /** False while the api still stages the file: `total` counts the records staged so far. */
  stagingDone: boolean;
}

export interface ValidationRange {
  /** First row to check (a retry resumes where the last chunk ended). */
  fromRow: number;
  /**
   * Stop once the rows checked hold this many valid records: enough to choose the test batch. The
   * import's batches then check their own rows while the previous batch writes (prepareBatch), so a
   * record is checked once, not once here and again in its batch.
   */
  untilValid?: number;
}

/**
 * Checks staged records against their source's rules and records each invalid one with every
 * reason: the whole file from `fromRow`, or a prefix (`untilValid`). Chunks commit on their own and
 * are idempotent, so a retry may resume from any chunk. Checking the whole file records the valid count.
 */
export async function validateImport(
  deps: ImportDeps,
  importId: number,
  range: ValidationRange,
  onChunk: (nextRow: number) => void,
  pause?: StagingPause,
): Promise<ValidationSummary> {
  const { imp, source } = await loadImport(deps.pool, importId);
  // Only pass or fail matters here: no content digests (the batches compute them).
  const ctx = { ...validationContext(deps, imp), digests: false };
  // A prefix is read in small chunks: the test batch needs a hundred records, not ten thousand.
  const chunk = range.untilValid ?? VALIDATION_CHUNK;
  // While the api still stages the file, a chunk is read once all of it is staged (or staging ended).
  let staged: StagedMark = { total: imp.total, done: imp.stagingState === 'done' };
  const ready = (first: number) => (staged.done ? first <= staged.total : first + chunk - 1 <= staged.total);
  const read = (first: number) => (ready(first) ? readStagedRows(deps.pool, importId, first, first + chunk - 1) : null);
  let next = read(range.fromRow);
  let checkedThrough = range.fromRow - 1;
  let validFound = 0;
  for (let first = range.fromRow; ; first += chunk) {
    if (range.untilValid !== undefined && validFound >= range.untilValid) break;
    if (!next) {
      if (!staged.done) staged = await awaitStaged(deps, importId, first + chunk - 1, pause);
      if (!ready(first)) break;
      next = read(first)!;
    }
    const rows = await next;
    // PostgreSQL reads the next chunk while this one is checked.
    next = read(first + chunk);
    next?.catch(() => undefined);
    const rejected: RejectedRow[] = [];
    for (const row of rows) {
      const result = checkStagedRow(source, row.record, row.problems, ctx);
      if (!result.ok)
        rejected.push({
          rowNumber: row.rowNumber,
          lineNumber: row.lineNumber,
          record: row.record,
          errors: result.errors,
        });
    }
    await inTransaction(deps.pool, (client) => insertRejections(client, importId, 'validate', rejected));
    validFound += rows.length - rejected.length;
    checkedThrough = Math.min(first + chunk - 1, staged.total);
    onChunk(first + chunk);
  }
  const rejected = await countValidationRejections(deps, importId);
  await refreshCounts(deps.pool, importId);
  const { total, done: stagingDone } = staged;
  if (range.untilValid !== undefined && (!stagingDone || checkedThrough < total))
    return { total, valid: null, rejected, checkedThrough, stagingDone };
  await setValidCount(deps.pool, importId, total - rejected);
  return { total, valid: total - rejected, rejected, checkedThrough: total, stagingDone };
}

async function countValidationRejections(deps: ImportDeps, importId: number): Promise<number> {
  return (await countOutcomes(deps.pool, importId)).filter((c) => c.phase === 'validate').reduce((n, c) => n + c.n, 0);
}
