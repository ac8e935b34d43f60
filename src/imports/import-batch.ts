import { inTransaction } from '../db/queryable';
import { incrementCounts } from '../db/queries/imports';
import { findBatch, insertBatch, insertRejections } from '../db/queries/ledger';
import { mayWriteWithoutRowTriggers } from '../db/queries/row-triggers';
import { CUSTOMER_WRITE_LOCK, type ImportDeps } from './deps';
import { sourceModule } from '../sources';
import type { BatchCounts } from '../sources/importer';
import { loadImport } from './load-import';
import { PREFETCH_MAX_ROWS } from './batch-prefetch';
import { prepareBatch } from './prepare-batch';
import { validationContext } from './validation-context';
import { faultPoint, passing } from '../faults';
import type { BatchRange } from './batch-range';

/**
 * Imports the valid records of one row range in one transaction: the writes, their outcomes,
 * the batch marker and the counters commit together or not at all. A batch found already
 * committed returns its recorded counts, so a retried or replayed batch writes nothing.
 * The records are read and checked before the write lock is taken, and the next range is prepared
 * while this one writes, from the moment its lookups have answered (see BatchPrefetch). Records
 * past `checkedThrough` are checked here for the first time; those that fail are recorded as
 * validation's rejections in the same transaction.
 */
export async function importBatch(
  deps: ImportDeps,
  importId: number,
  range: BatchRange,
  checkedThrough?: number,
): Promise<BatchCounts> {
  const { imp, source } = await loadImport(deps.pool, importId);
  const ctx = validationContext(deps, imp);
  // Without a prefix given, validation checked the whole file (dry runs, approvals, older runs).
  const checked = checkedThrough ?? imp.total;
  const prepare = (r: BatchRange) => () => prepareBatch(deps.pool, importId, source, r, ctx, checked);
  const claimed = deps.prefetch?.claim(importId, range, checked);
  const prepared = (claimed && (await claimed.catch(() => null))) || (await prepare(range)());
  const next = nextRange(range, imp.total, imp.stagingState === 'done');
  // Once this batch's lookups have answered (BatchWriteOptions.lookedUp), or it turns out done already;
  // a second call for the same range is a no-op in BatchPrefetch.start.
  const prepareNext = () => {
    if (next && deps.prefetch && rowsIn(next) <= PREFETCH_MAX_ROWS)
      deps.prefetch.start(importId, next, checked, prepare(next));
  };
  return inTransaction(deps.pool, async (client) => {
    // One writer at a time across all imports: every batch sees all that committed before it.
    await client.query('SELECT pg_advisory_xact_lock($1)', [CUSTOMER_WRITE_LOCK]);
    const done = await findBatch(client, importId, range.firstRow);
    if (done) {
      prepareNext();
      return done.counts as BatchCounts;
    }
    const skipRowTriggers = deps.newCustomerFkChecks !== 'always' && (await mayWriteWithoutRowTriggers(client));
    const counts = await sourceModule(imp.source).importer.importBatch(client, importId, prepared.valid, {
      skipRowTriggers,
      lookups: deps.pool,
      lookedUp: prepareNext,
    });
    // Appended, not upserted: rows past the checked prefix are validation's to record only here, under
    // this batch's marker, and prepareBatch left out those validation recorded. Were one there after all,
    // the batch would fail on it, and its retry would prepare again and leave it out.
    await insertRejections(client, importId, 'validate', prepared.invalid, 'append');
    await faultPoint('batch-written');
    // The marker keeps the import phase's counts; the import's counters take validation's rejections too.
    await insertBatch(client, importId, range.firstRow, range.lastRow, counts);
    await incrementCounts(
      client,
      importId,
      { ...counts, rejected: counts.rejected + prepared.invalid.length },
      prepared.staged,
    );
    return counts;
  }).then(passing('batch-committed'));
}

/**
 * The range the workflow most likely asks for next: same size, right after this one. While the file
 * is still being staged, only a range already wholly staged: a cut one would not be the one asked for.
 */
function nextRange(range: BatchRange, total: number, totalFinal: boolean): BatchRange | null {
  if (range.lastRow >= total) return null;
  const size = rowsIn(range);
  if (!totalFinal && range.lastRow + size > total) return null;
  return { firstRow: range.lastRow + 1, lastRow: Math.min(range.lastRow + size, total) };
}

const rowsIn = (range: BatchRange) => range.lastRow - range.firstRow + 1;
