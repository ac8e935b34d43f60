import { inTransaction } from '../db/queryable';
import { incrementCounts } from '../db/queries/imports';
import { findBatch, insertBatch, rejectedAtValidation } from '../db/queries/ledger';
import { readStagedRows } from '../db/queries/staged-rows';
import { checkStagedRow } from '../domain/check-staged-row';
import { todayInBangkok } from '../domain/clock';
import { CUSTOMER_WRITE_LOCK, type ImportDeps } from './deps';
import { importerFor, type BatchCounts, type ValidRow } from './importer';
import { loadImport } from './load-import';

export interface BatchRange {
  firstRow: number;
  lastRow: number;
}

/**
 * Imports the valid records of one row range in one transaction: the writes, their outcomes,
 * the batch marker and the counters commit together or not at all. A batch found already
 * committed returns its recorded counts, so a retried or replayed batch writes nothing.
 */
export async function importBatch(deps: ImportDeps, importId: number, range: BatchRange): Promise<BatchCounts> {
  const { imp, source } = await loadImport(deps.pool, importId);
  const ctx = { today: todayInBangkok(deps.clock) };
  return inTransaction(deps.pool, async (client) => {
    // One writer at a time across all imports: every batch sees all that committed before it.
    await client.query('SELECT pg_advisory_xact_lock($1)', [CUSTOMER_WRITE_LOCK]);
    const done = await findBatch(client, importId, range.firstRow);
    if (done) return done.counts as BatchCounts;
    const staged = await readStagedRows(client, importId, range.firstRow, range.lastRow);
    const rejected = await rejectedAtValidation(client, importId, range.firstRow, range.lastRow);
    const valid: ValidRow<unknown>[] = [];
    for (const row of staged) {
      if (rejected.has(row.rowNumber)) continue;
      const result = checkStagedRow(source, row.record, row.problems, ctx);
      // Validation passed this record; a different answer now means the rules changed under a running import.
      if (!result.ok) throw new Error(`row ${row.rowNumber} of import ${importId} no longer passes validation`);
      valid.push({ rowNumber: row.rowNumber, lineNumber: row.lineNumber, record: row.record, value: result.value });
    }
    const counts = await importerFor(imp.source).importBatch(client, importId, valid);
    await insertBatch(client, importId, range.firstRow, range.lastRow, counts);
    await incrementCounts(client, importId, counts, staged.length);
    return counts;
  });
}
