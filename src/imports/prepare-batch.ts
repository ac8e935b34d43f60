import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Queryable } from '../db/queryable';
import { rejectedAtValidation, type RejectedRow } from '../db/queries/ledger';
import { readStagedRows, type StagedRow } from '../db/queries/staged-rows';
import { checkStagedRow } from '../sources/check-staged-row';
import type { SourceDefinition, ValidationContext } from '../sources/source';
import type { BatchRange } from './batch-range';
import type { ValidRow } from '../sources/importer';

/** A batch's staged records, checked again and ready to write. */
export interface PreparedBatch {
  /** Staged records in the range, valid or not: what the batch adds to rows_processed. */
  staged: number;
  valid: ValidRow<unknown>[];
  /** Records past the checked prefix that fail the rules: the batch records them as validation's rejections. */
  invalid: RejectedRow[];
}

/** Records checked between yields, so a batch prepared in the background never stalls the one writing. */
const CHECK_SLICE = 500;

/**
 * Staged records read per query. A whole range read at once comes back as one burst that pg parses
 * (a JSON record each) without a break, and the batch writing under the lock waits behind it for its
 * own answers, even those PostgreSQL gives at once. Slices leave the event loop gaps to answer them.
 */
export const READ_SLICE = 1_000;

/**
 * Reads a range's staged records and checks each one validation has not rejected. Rows up to
 * `checkedThrough` were checked by validation: one failing now means the rules changed under a
 * running import. Rows past it are checked here for the first time, and those that fail are
 * returned to be recorded as validation's rejections. Everything it reads is final while the
 * batch has not committed (staged records never change, and only this batch records rejections
 * for its rows past the prefix), so it runs outside the batch's transaction and may run ahead of it.
 */
export async function prepareBatch(
  db: Queryable,
  importId: number,
  source: SourceDefinition<unknown>,
  range: BatchRange,
  ctx: ValidationContext,
  checkedThrough: number,
): Promise<PreparedBatch> {
  const [staged, rejected] = await Promise.all([
    readInSlices(db, importId, range),
    rejectedAtValidation(db, importId, range.firstRow, range.lastRow),
  ]);
  const valid: ValidRow<unknown>[] = [];
  const invalid: RejectedRow[] = [];
  for (let i = 0; i < staged.length; i++) {
    if (i > 0 && i % CHECK_SLICE === 0) await yieldToEventLoop();
    const row = staged[i];
    if (rejected.has(row.rowNumber)) continue;
    const result = checkStagedRow(source, row.record, row.problems, ctx);
    if (result.ok)
      valid.push({ rowNumber: row.rowNumber, lineNumber: row.lineNumber, record: row.record, value: result.value });
    else if (row.rowNumber > checkedThrough)
      invalid.push({ rowNumber: row.rowNumber, lineNumber: row.lineNumber, record: row.record, errors: result.errors });
    else throw new Error(`row ${row.rowNumber} of import ${importId} no longer passes validation`);
  }
  return { staged: staged.length, valid, invalid };
}

/** The range's staged records in file order, READ_SLICE at a time, yielding between reads. */
async function readInSlices(db: Queryable, importId: number, range: BatchRange): Promise<StagedRow[]> {
  const rows: StagedRow[] = [];
  for (let first = range.firstRow; first <= range.lastRow; first += READ_SLICE) {
    if (first > range.firstRow) await yieldToEventLoop();
    for (const row of await readStagedRows(db, importId, first, Math.min(first + READ_SLICE - 1, range.lastRow)))
      rows.push(row);
  }
  return rows;
}
